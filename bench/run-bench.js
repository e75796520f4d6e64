#!/usr/bin/env node
// `npm run bench`: the benchmark lives in @parley/loadtest (packages/loadtest/src/bench).
// `node bench/run-bench.js --only idle` (or fanout, latency, comma-separated) runs some
// sections after a build; `--help` prints the usage.
require('../packages/loadtest/dist/bench/run-bench.js')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code), (err) => {
    process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
    process.exit(1);
  });
