// The gateway's Node.js flags (GATEWAY_NODE_FLAGS) are what its Kubernetes Deployment starts it
// with, only the gateway's, and Node accepts them from NODE_OPTIONS with the effect they are for.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { GATEWAY_NODE_FLAGS } from '@parley/gateway';
import { repoPath } from '../../src';

interface Container {
  name: string;
  env?: Array<{ name: string; value?: string }>;
}

function containersOf(service: string): Container[] {
  const docs = parseAllDocuments(readFileSync(repoPath('k8s', 'base', service, 'deployment.yaml'), 'utf8')).map((d) => d.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: Container[] } } } });
  return docs.filter((d) => d.kind === 'Deployment').flatMap((d) => d.spec?.template?.spec?.containers ?? []);
}

const nodeOptionsOf = (container: Container): string | undefined => container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;

it('starts the gateway container with GATEWAY_NODE_FLAGS in NODE_OPTIONS', () => {
  const [gateway] = containersOf('gateway').filter((c) => c.name === 'gateway');
  expect(gateway).toBeDefined();
  expect(nodeOptionsOf(gateway!)).toBe(GATEWAY_NODE_FLAGS.join(' '));
});

it.each(['sequencer', 'delivery', 'api'])('leaves the %s container at Node defaults', (service) => {
  for (const container of containersOf(service)) expect(nodeOptionsOf(container)).toBeUndefined();
});

it('bounds the young generation of a process given the flags in NODE_OPTIONS', () => {
  // Keeps 32 MB of small arrays alive while allocating: V8 would grow the new space to 16+ MB.
  const script = `
    const v8 = require('v8');
    const kept = [];
    for (let i = 0; i < 400000; i++) kept.push([i, i + 1, String(i)]);
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(space.space_size));`;
  const sizeWith = (nodeOptions: string): number =>
    Number(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: nodeOptions }, encoding: 'utf8' }));
  const semiSpaceMb = Number(/^--max-semi-space-size=(\d+)$/.exec(GATEWAY_NODE_FLAGS.find((f) => f.startsWith('--max-semi-space-size=')) ?? '')?.[1]);
  expect(semiSpaceMb).toBeGreaterThan(0);
  const bounded = sizeWith(GATEWAY_NODE_FLAGS.join(' '));
  // The new space is two semi-spaces of at most --max-semi-space-size MB each.
  expect(bounded).toBeLessThanOrEqual(2 * semiSpaceMb * 2 ** 20);
  expect(sizeWith('')).toBeGreaterThan(bounded);
});
