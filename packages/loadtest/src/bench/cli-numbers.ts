// Numeric options of the bench's command-line tools, checked the same way in each: a value
// that is not what the option takes is a usage error naming the option.

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
