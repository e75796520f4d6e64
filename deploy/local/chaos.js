#!/usr/bin/env node
// `npm run chaos [-- options]`: kills, stops and restarts parley's processes (gateway,
// sequencer, delivery, the Kafka broker, redis-server) on a local cluster under steady 1:1
// and group load, and judges every message (packages/loadtest/src/chaos). `--help` for
// the options, `--list` for the scenarios. Writes bench/results/chaos-<timestamp>.md.
const path = require('node:path');
const { main, CHAOS_USAGE } = require('../../packages/loadtest/dist/chaos/chaos-cli.js');

if (process.argv.includes('--help')) {
  process.stdout.write(`${CHAOS_USAGE}\n`);
  process.exit(0);
}
main(process.argv.slice(2), path.resolve(__dirname, '../..')).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`chaos failed: ${err.stack ?? err}\n`);
    process.exit(1);
  },
);
