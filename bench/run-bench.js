#!/usr/bin/env node
// `npm run bench`: the benchmark lives in @parley/loadtest (packages/loadtest/src/bench).
require('../packages/loadtest/dist/bench/run-bench.js')
  .main()
  .then(() => process.exit(0), (err) => {
    process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
    process.exit(1);
  });
