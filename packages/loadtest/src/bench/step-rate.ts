// The highest sustainable 1:1 rate: one parley, offered rates stepped up (1k, 2k, 4k, ...)
// with fresh connections each step; a step passes when the verdict is clean (nothing lost,
// duplicated or reordered, every ack:N) and p99 send → ack:N stays within the bound. The
// stepping stops at the first step that fails.
import { parseLoadArgs } from '../options';
import { LoadResult, runLoad } from '../run-load';
import { CostTarget, startTarget, TARGET_SECRET } from './parley-target';
import { loadAverage } from './proc-cpu';

export interface StepRateOptions {
  readonly target: CostTarget;
  readonly rates: readonly number[];
  readonly connections: number;
  readonly durationSec: number;
  /** A step passes only with p99 send → ack:N at most this, in ms. */
  readonly maxAckP99Ms: number;
  readonly warmUpSec: number;
  readonly sourceFrom?: number;
  readonly log?: (line: string) => void;
}

export interface RateStep {
  readonly rate: number;
  readonly sentPerSec: number;
  readonly msgNp50: number;
  readonly msgNp99: number;
  readonly ackNp50: number;
  readonly ackNp99: number;
  readonly verdict: string;
  readonly clean: boolean;
  readonly passed: boolean;
  readonly loadAverage: string;
}

export interface StepRateResult {
  readonly target: CostTarget;
  readonly connections: number;
  readonly durationSec: number;
  readonly maxAckP99Ms: number;
  readonly steps: readonly RateStep[];
  /** Highest offered rate that passed (0: none). */
  readonly highest: number;
}

/** Doubling from 1,000 up to `max` (inclusive when it is on the way). */
export function doublingRates(max: number, first = 1000): number[] {
  const rates: number[] = [];
  for (let r = first; r <= max; r *= 2) rates.push(r);
  return rates;
}

export function judgeStep(rate: number, r: LoadResult, maxAckP99Ms: number): RateStep {
  const clean = r.passed && !r.drain.timedOut;
  const notes = [
    `lost ${r.verdict.lost}, dup ${r.verdict.duplicated}, reordered ${r.verdict.reordered}`,
    r.drain.timedOut ? `fell behind (${r.drain.outstandingAtEnd} unacked when the drain ended)` : '',
    r.loadGenerator.bottleneck ? `load generator limited: ${r.loadGenerator.bottleneck}` : '',
  ].filter(Boolean);
  return {
    rate,
    sentPerSec: r.throughput.sentPerSec,
    msgNp50: r.latency.msgN.p50,
    msgNp99: r.latency.msgN.p99,
    ackNp50: r.latency.ackN.p50,
    ackNp99: r.latency.ackN.p99,
    verdict: notes.join('; '),
    clean,
    passed: clean && r.latency.ackN.p99 <= maxAckP99Ms,
    loadAverage: loadAverage(),
  };
}

export async function measureStepRate(options: StepRateOptions): Promise<StepRateResult> {
  const log = options.log ?? (() => undefined);
  const running = await startTarget(options.target, { log, gatewayEnv: { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '100000' } });
  let octet = options.sourceFrom ?? 120;
  const load = (rate: number, durationSec: number): Promise<LoadResult> => {
    const from = octet;
    octet = octet + 2 > 250 ? 120 : octet + 2;
    return runLoad(
      parseLoadArgs([
        '--url', running.urls.join(','), '--scenario', 'pairs', '--connections', String(options.connections), '--rate', String(rate),
        '--duration', String(durationSec), '--payload', '64', '--secret', TARGET_SECRET, '--quiet', '--source-from', String(from),
      ]),
    );
  };
  const steps: RateStep[] = [];
  try {
    if (options.warmUpSec > 0) await load(1000, options.warmUpSec);
    for (const rate of options.rates) {
      const step = judgeStep(rate, await load(rate, options.durationSec), options.maxAckP99Ms);
      steps.push(step);
      log(`${options.target} step ${rate}/s: ${step.passed ? 'pass' : 'FAIL'}; ack:N p99 ${step.ackNp99} ms; ${step.verdict}; load ${step.loadAverage}`);
      if (!step.passed) break;
    }
  } finally {
    await running.stop();
  }
  const passed = steps.filter((s) => s.passed);
  return {
    target: options.target,
    connections: options.connections,
    durationSec: options.durationSec,
    maxAckP99Ms: options.maxAckP99Ms,
    steps,
    highest: passed.length > 0 ? passed[passed.length - 1]!.rate : 0,
  };
}
