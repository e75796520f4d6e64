// Owns the command line of `npm run bench` / `node bench/run-bench.js`: which sections run.

export type BenchSection = 'idle' | 'fanout' | 'latency' | 'cpu' | 'profile' | 'steps';
export const BENCH_SECTIONS: readonly BenchSection[] = ['idle', 'fanout', 'latency', 'cpu', 'profile', 'steps'];

export const BENCH_USAGE = `usage: node bench/run-bench.js [--only SECTIONS]   (npm run bench builds first, then runs everything)
  --only SECTIONS   comma-separated, any of: ${BENCH_SECTIONS.join(', ')} (default: all)
                      idle     server RSS growth per idle connection, 10,000 and 50,000 connections
                      fanout   group fan-out to 1,000 members (peers, parley embedded, parley on Kafka + Redis)
                      latency  1:1 latency, 1,000 pairs (parley embedded and on Kafka + Redis)
                      cpu      CPU per message per process: idle with 2,000 connections, marginal at
                               1,000 and 5,000 msgs/s 1:1 (Kafka + Redis, three processes; embedded)
                      profile  where each process's CPU goes at 1,000 msgs/s 1:1 (V8 CPU profiles:
                               time by package, top frames, collapsed stacks for a flame graph)
                      steps    highest sustainable 1:1 rate: 1k, 2k, 4k, ... msgs/s until a step fails
                    A partial run writes bench/results/<date>-<sections>.md only: latest.md,
                    latest.json and the README keep the last full run.
  --help            this text`;

/** Thrown when the command line cannot be understood; the message says why. */
export class BenchArgsError extends Error {}

export interface BenchArgs {
  readonly sections: ReadonlySet<BenchSection>;
  /** Every section runs: the run may replace latest.md, latest.json and the README's table. */
  readonly full: boolean;
  readonly help: boolean;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let sections: Set<BenchSection> | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const only = arg === '--only' ? argv[++i] : arg.startsWith('--only=') ? arg.slice('--only='.length) : undefined;
    if (only === undefined) {
      if (arg === '--only') throw new BenchArgsError('--only: expected a comma-separated list of sections');
      throw new BenchArgsError(`unknown argument ${arg}`);
    }
    const names = only.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length === 0) throw new BenchArgsError('--only: expected a comma-separated list of sections');
    sections ??= new Set();
    for (const name of names) {
      if (!(BENCH_SECTIONS as readonly string[]).includes(name)) throw new BenchArgsError(`--only: expected any of ${BENCH_SECTIONS.join(', ')}, got ${name}`);
      sections.add(name as BenchSection);
    }
  }
  const chosen = sections ?? new Set(BENCH_SECTIONS);
  return { sections: chosen, full: BENCH_SECTIONS.every((s) => chosen.has(s)), help };
}
