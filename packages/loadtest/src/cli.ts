#!/usr/bin/env node
// `parley-load` / `npm run load -- ...`: runs a load test and exits non-zero unless the
// verdict is clean (0 lost, 0 duplicated, 0 reordered, every connection up).
import { writeFileSync } from 'node:fs';
import { LoadOptionsError, parseLoadArgs, USAGE } from './options';
import { formatReport } from './report';
import { runLoad } from './run-load';

async function main(): Promise<number> {
  let options;
  try {
    options = parseLoadArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof LoadOptionsError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  const result = await runLoad(options, { onProgress: options.progress ? (line) => process.stderr.write(`${line}\n`) : undefined });
  process.stdout.write(`${formatReport(result)}\n`);
  if (options.jsonPath) writeFileSync(options.jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  return result.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`parley-load: ${err.message}\n`);
    process.exit(1);
  },
);
