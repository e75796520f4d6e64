#!/usr/bin/env node
// CPU per 1:1 message of the sequencer's and delivery's Redis path with a fixed batch shape (see
// redis-path-cost.ts), on a throwaway redis-server of its own:
//   node packages/loadtest/dist/bench/redis-path-cost-cli.js --per-call 1 --partitions 4
//   node packages/loadtest/dist/bench/redis-path-cost-cli.js --root /work/wt/redis-base   # another build
// Prints one JSON line per run.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startRedisServer } from '@parley/testkit';
import { countOption, runCli } from './cli-numbers';
import { measureRedisPath } from './redis-path-cost';

const USAGE = `usage: redis-path-cost-cli.js [--root DIR] [--per-call K] [--partitions C] [--messages N]
  [--warm-up N] [--users U] [--runs R]
  --root DIR       a built parley tree whose packages are measured (default: this one)
  --per-call K     messages per handler call, per partition (default 2)
  --partitions C   handler calls at once (default 4)
  --messages N     messages measured (default 20000), after --warm-up N not measured (default 4000)
  --users U        users (in pairs, one connection each; default 2000)
  --runs R         runs in a row, each on a fresh redis-server (default 1)
Each run starts its own redis-server (no persistence) and stops it. Per message: CPU µs of this
process (all; the sequencer's assign; delivery's handler calls) and of redis-server, write
system calls, and INFO commandstats (commands inside scripts counted).`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        root: { type: 'string' },
        'per-call': { type: 'string' },
        partitions: { type: 'string' },
        messages: { type: 'string' },
        'warm-up': { type: 'string' },
        users: { type: 'string' },
        runs: { type: 'string' },
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
  let settings;
  try {
    settings = {
      root: path.resolve(values.root ?? path.join(__dirname, '..', '..', '..', '..')),
      perCall: countOption('per-call', values['per-call'], 2),
      partitions: countOption('partitions', values.partitions, 4),
      messages: countOption('messages', values.messages, 20_000),
      warmUp: countOption('warm-up', values['warm-up'], 4_000),
      users: countOption('users', values.users, 2_000),
    };
    if (settings.users < 2) throw new Error('--users: at least 2 (one pair)');
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const runs = countOption('runs', values.runs, 1);
  for (let run = 0; run < runs; run += 1) {
    const server = await startRedisServer();
    try {
      const result = await measureRedisPath({ ...settings, redisUrl: server.url, redisPid: server.pid });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await server.stop();
    }
  }
  return 0;
}

runCli(main);
