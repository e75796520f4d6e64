#!/usr/bin/env node
// CPU per message per process, on its own (after a build):
//   node packages/loadtest/dist/bench/cpu-cost-cli.js --target distributed --rates 1000,5000
//   node packages/loadtest/dist/bench/cpu-cost-cli.js --target embedded --rates 1000 --cpu-prof /tmp/prof
// Prints the markdown table; --json writes the raw figures.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LocalCluster } from '../chaos/local-cluster';
import { COST_TARGETS, CostTarget, measureCpuCost } from './cpu-cost';
import { nonNegativeOption } from './cli-numbers';
import { cpuCostTable } from './cpu-cost-table';
import { WS_CLIENTS, type WsClientName } from '../options';

const USAGE = `usage: cpu-cost-cli.js [--target ${COST_TARGETS.join('|')}] [--rates 1000,5000] [--connections 2000]
  [--idle S] [--duration S] [--warm-up S] [--cpu-prof DIR] [--json PATH] [--source-from N]
  [--ws-client builtin|ws]       the load tester's WebSocket client (default its own)
  [--env PARLEY_NAME=VALUE]...   settings every service reads (e.g. PARLEY_TOPIC_PARTITIONS=3)`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        target: { type: 'string' },
        rates: { type: 'string' },
        connections: { type: 'string' },
        idle: { type: 'string' },
        duration: { type: 'string' },
        'warm-up': { type: 'string' },
        'cpu-prof': { type: 'string' },
        json: { type: 'string' },
        'source-from': { type: 'string' },
        'ws-client': { type: 'string' },
        env: { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const target = (values.target ?? 'distributed') as CostTarget;
  if (!COST_TARGETS.includes(target)) {
    process.stderr.write(`--target: expected one of ${COST_TARGETS.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const rates = (values.rates ?? '1000,5000').split(',').map(Number);
  if (rates.some((r) => !Number.isInteger(r) || r < 1)) {
    process.stderr.write(`--rates: expected positive integers\n${USAGE}\n`);
    return 2;
  }
  const sharedEnv: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const at = pair.indexOf('=');
    if (!pair.startsWith('PARLEY_') || at < 0) {
      process.stderr.write(`--env: expected PARLEY_NAME=VALUE, got ${pair}\n${USAGE}\n`);
      return 2;
    }
    sharedEnv[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const wsClient = values['ws-client'] as WsClientName | undefined;
  if (wsClient !== undefined && !WS_CLIENTS.includes(wsClient)) {
    process.stderr.write(`--ws-client: expected one of ${WS_CLIENTS.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const profDir = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
  const stop = (): void => void LocalCluster.stopAll().then(() => process.exit(130));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const result = await measureCpuCost({
    target,
    rates,
    connections: nonNegativeOption('connections', values.connections, 2000),
    idleSec: nonNegativeOption('idle', values.idle, 15),
    durationSec: nonNegativeOption('duration', values.duration, 20),
    warmUpSec: nonNegativeOption('warm-up', values['warm-up'], 8),
    sourceFrom: values['source-from'] ? nonNegativeOption('source-from', values['source-from'], 20) : undefined,
    sharedEnv,
    ...(wsClient ? { wsClient } : {}),
    execArgv: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
    log: (line) => process.stderr.write(`[cpu-cost] ${line}\n`),
  });
  process.stdout.write(`${cpuCostTable(result).join('\n')}\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  return result.runs.every((r) => r.passed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`cpu-cost: ${err.stack ?? err.message}\n`);
    void LocalCluster.stopAll().then(() => process.exit(1));
  },
);
