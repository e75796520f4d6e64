// The workspace lint (eslint.config.js): the tree has no finding, and every structure rule
// does fire on a small workspace written for the purpose (a rule that cannot fail guards nothing).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
/** Linting the tree takes ~20 s of CPU; on a shared two-core machine give it far longer. */
const LINT_TIMEOUT_MS = 600_000;

interface Finding {
  file: string;
  line: number;
  rule: string | null;
  message: string;
}

/** Runs ESLint on `cwd` (with the workspace's config) and returns every finding. */
function lint(cwd: string): Finding[] {
  const run = spawnSync(process.execPath, [ESLINT, '--config', path.join(ROOT, 'eslint.config.js'), '--format', 'json', '.'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed (exit ${run.status}): ${run.stderr}`);
  const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ line: number; ruleId: string | null; message: string }> }>;
  return results.flatMap((result) =>
    result.messages.map((m) => ({ file: path.relative(cwd, result.filePath), line: m.line, rule: m.ruleId, message: m.message })),
  );
}

describe('the workspace lint', () => {
  it(
    'finds nothing in the tree',
    () => {
      const findings = lint(ROOT).map((f) => `${f.file}:${f.line} ${f.rule ?? ''} ${f.message}`);
      expect(findings).toEqual([]);
    },
    LINT_TIMEOUT_MS,
  );

  describe('on a workspace that breaks every structure rule once', () => {
    // Inside the repository so that bare imports resolve through its node_modules; test-artifacts/ is ignored by git.
    const dir = path.join(ROOT, 'test-artifacts', `eslint-fixture-${process.pid}`);
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'fixture', private: true }),
      'services/gateway/package.json': JSON.stringify({
        name: '@parley/gateway',
        dependencies: { '@parley/protocol': '*', '@parley/ports': '*', '@parley/composition': '*', '@parley/kafka': '*' },
        devDependencies: { '@parley/testkit': '*' },
      }),
      'services/delivery/package.json': JSON.stringify({ name: '@parley/delivery' }),
      'services/server/package.json': JSON.stringify({ name: '@parley/server', dependencies: { '@parley/gateway': '*', '@parley/redis': '*' } }),
      'packages/client/package.json': JSON.stringify({ name: '@parley/client', dependencies: { '@parley/protocol': '*', '@parley/ports': '*' } }),
      'packages/runtime/package.json': JSON.stringify({ name: '@parley/runtime', dependencies: { kafkajs: '*' } }),
      // A cycle between two files of a service.
      'services/gateway/src/session.ts': "import { heartbeat } from './heartbeat';\nexport const session = (): unknown => heartbeat;\n",
      'services/gateway/src/heartbeat.ts': "import { session } from './session';\nexport const heartbeat = (): unknown => session;\n",
      // A service library reaching for another service, a real adapter, the composition root, a deep path, a relative path into another package, an undeclared package.
      'services/gateway/src/fanout.ts': [
        "import { deliver } from '@parley/delivery';",
        "import Redis from 'ioredis';",
        "import { createInfrastructure } from '@parley/composition';",
        "import { MemoryBus } from '@parley/ports/src/bus.memory';",
        "import { inbox } from '../../delivery/src/inbox';",
        "import WebSocket from 'ws';",
        'export const fanout = [deliver, Redis, createInfrastructure, MemoryBus, inbox, WebSocket];',
      ].join('\n'),
      'services/delivery/src/inbox.ts': 'export const inbox = 1;\n',
      // What is allowed: main.ts builds adapters, the all-in-one server composes services, tests take contract suites.
      'services/gateway/src/main.ts': "import { createInfrastructure } from '@parley/composition';\nimport { KafkaBus } from '@parley/kafka';\nexport const main = [createInfrastructure, KafkaBus];\n",
      'services/server/src/server.ts': "import { startGateway } from '@parley/gateway';\nimport { RedisInbox } from '@parley/redis';\nexport const server = [startGateway, RedisInbox];\n",
      'services/gateway/test/unit/fanout.test.ts': "import { describeBusContract } from '@parley/ports/testing';\nimport { waitFor } from '@parley/testkit';\nexport const t = [describeBusContract, waitFor];\n",
      // A shared package importing a real client, and the client SDK importing a server package.
      'packages/runtime/src/topics.ts': "import { Kafka } from 'kafkajs';\nexport const topics = Kafka;\n",
      'packages/client/src/connection.ts': "import { encodeFrame } from '@parley/protocol';\nimport { MemoryBus } from '@parley/ports';\nexport const connection = [encodeFrame, MemoryBus];\n",
    };
    let byFile: Map<string, string[]>;

    beforeAll(() => {
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), content);
      }
      byFile = new Map();
      for (const f of lint(dir)) byFile.set(f.file, [...(byFile.get(f.file) ?? []), `${f.line} ${f.rule}`]);
    }, LINT_TIMEOUT_MS);

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reports an import cycle on both files', () => {
      expect(byFile.get('services/gateway/src/session.ts')).toEqual(['1 import-x/no-cycle']);
      expect(byFile.get('services/gateway/src/heartbeat.ts')).toEqual(['1 import-x/no-cycle']);
    });

    it('reports a service library importing another service, a real adapter, the composition root, a deep or relative path into another package, an undeclared package', () => {
      expect(byFile.get('services/gateway/src/fanout.ts')).toEqual([
        '1 import-x/no-extraneous-dependencies',
        '1 no-restricted-imports',
        '2 import-x/no-extraneous-dependencies',
        '2 no-restricted-imports',
        '3 no-restricted-imports',
        '4 no-restricted-imports',
        '5 import-x/no-relative-packages',
        '6 import-x/no-extraneous-dependencies',
      ]);
    });

    it('reports a shared package importing a real client, and the client SDK importing a server package', () => {
      expect(byFile.get('packages/runtime/src/topics.ts')).toEqual(['1 no-restricted-imports']);
      expect(byFile.get('packages/client/src/connection.ts')).toEqual(['2 no-restricted-imports']);
    });

    it('lets main.ts build adapters, the all-in-one server compose services, and tests use the testing subpath', () => {
      expect(byFile.get('services/gateway/src/main.ts')).toBeUndefined();
      expect(byFile.get('services/server/src/server.ts')).toBeUndefined();
      expect(byFile.get('services/gateway/test/unit/fanout.test.ts')).toBeUndefined();
    });
  });
});
