#!/usr/bin/env node
// CPU per 1:1 message of the embedded mode's own code with a fixed shape (see
// embedded-path-cost.ts):
//   node packages/loadtest/dist/bench/embedded-path-cost-cli.js --per-round 1
//   node packages/loadtest/dist/bench/embedded-path-cost-cli.js --root /work/other-build --per-round 20
// Prints one JSON line.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { countOption, runCli } from './cli-numbers';
import { measureEmbeddedPath } from './embedded-path-cost';

const USAGE = `usage: embedded-path-cost-cli.js [--root DIR] [--per-round K] [--messages N] [--pairs P] [--runs R]
  --root DIR       a built parley tree whose server is measured (default: this one)
  --per-round K    messages in flight together, one per pair (default 1: a low rate's shape)
  --messages N     messages of each measured run (default 20000), after a warm-up run
  --pairs P        sender/receiver pairs, one in-process connection each (default 1000)
  --runs R         measured runs; the minimum is reported too (default 3)
The all-in-one server runs in this process on its memory adapters; its gateway is driven through
its connection handler (no sockets). Per message: CPU µs of this process (user + system) and the
frames the server wrote.`;

async function main(): Promise<number> {
  let settings;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        root: { type: 'string' },
        'per-round': { type: 'string' },
        messages: { type: 'string' },
        pairs: { type: 'string' },
        runs: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    settings = {
      root: path.resolve(values.root ?? path.join(__dirname, '..', '..', '..', '..')),
      perRound: countOption('per-round', values['per-round'], 1),
      messages: countOption('messages', values.messages, 20_000),
      pairs: countOption('pairs', values.pairs, 1_000),
      runs: countOption('runs', values.runs, 3),
    };
    if (settings.perRound > settings.pairs) throw new Error('--per-round: at most --pairs (one message per pair in a round)');
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  process.stdout.write(`${JSON.stringify(await measureEmbeddedPath(settings))}\n`);
  return 0;
}

runCli(main);
