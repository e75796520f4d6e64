// Options of `npm run fuzz`: how many generated packets, from which seed, in batches of what
// size, how long a fresh pair may take to exchange a message after a batch, and the run's bound.
export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  readonly batch: number;
  readonly pairDeadlineMs: number;
  readonly maxMinutes: number;
}

export const FUZZ_USAGE = `npm run fuzz -- [--count N] [--seed S] [--batch B] [--pair-deadline-ms MS] [--max-minutes M]
  Starts a local Kafka broker and redis-server, runs parley on them and sends N generated client
  packets of every kind (valid to hostile) over WebSockets, B at a time. After each batch: every
  request is answered (its answer or a documented error) and a fresh pair on every deliver
  partition exchanges a message (msg:A, msg:N, ack:N) within the pair deadline.
  Defaults: --count 10000 --seed 20261207 --batch 500 --pair-deadline-ms 2000 --max-minutes 30.`;

export function parseFuzzOptions(argv: readonly string[]): FuzzOptions {
  const values: Record<string, number> = { count: 10_000, seed: 20_261_207, batch: 500, 'pair-deadline-ms': 2000, 'max-minutes': 30 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.replace(/^--/, '');
    if (!argv[i]!.startsWith('--') || !(name in values)) throw new Error(`unknown option ${argv[i]}\n${FUZZ_USAGE}`);
    const value = Number(argv[++i]);
    if (!Number.isSafeInteger(value) || value < 0 || (name !== 'seed' && value === 0)) throw new Error(`--${name} needs a positive integer\n${FUZZ_USAGE}`);
    values[name] = value;
  }
  return { count: values.count!, seed: values.seed!, batch: values.batch!, pairDeadlineMs: values['pair-deadline-ms']!, maxMinutes: values['max-minutes']! };
}
