// Entry point of `npm run fuzz -- --count N [--seed S]`: runs the request fuzz on a local Kafka
// and redis-server, prints a line per batch and a final verdict line, exits 1 on failure, and
// stops everything it started on exit and on SIGINT/SIGTERM.
import { FUZZ_USAGE, parseFuzzOptions } from './fuzz-options';
import { formatFuzzResult, runFuzz, Started } from './run-fuzz';

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${FUZZ_USAGE}\n`);
    return 0;
  }
  const options = parseFuzzOptions(argv);
  const started = new Started();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`fuzz: ${signal}, stopping\n`);
      void started.stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  const log = (line: string): void => void process.stdout.write(`[fuzz] ${line}\n`);
  const t0 = Date.now();
  try {
    const result = await runFuzz(options, started, log);
    process.stdout.write(`${formatFuzzResult(options, result, (Date.now() - t0) / 1000)}\n`);
    return result.failures.length === 0 ? 0 : 1;
  } finally {
    await started.stopAll();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`fuzz failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
