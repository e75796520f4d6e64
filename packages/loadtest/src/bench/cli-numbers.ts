// What the bench's command-line tools share: numeric options checked the same way in each (a
// value that is not what the option takes is a usage error naming the option), and how a
// tool's main ends the process.

/** A whole number ≥ 1 (a count), or `fallback` when the option is absent. */
export function countOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected an integer ≥ 1, got ${raw}`);
  return n;
}

/** A number ≥ 0 (seconds, a rate), or `fallback` when the option is absent. */
export function nonNegativeOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: expected a number ≥ 0, got ${raw}`);
  return n;
}

/** Ends the process with `main`'s exit code; a failure prints its stack and exits 1. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
