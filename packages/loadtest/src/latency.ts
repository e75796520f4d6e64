// Latency histograms (HDR, microseconds): recorded in each worker, shipped encoded,
// added up in the coordinator.
import * as hdr from 'hdr-histogram-js';

/** `reconnect`: from a storm cutting a connection to its next welcome; `drained`: from a gateway's 4007 DRAINING close to the next welcome. */
export type LatencyName = 'connect' | 'msgA' | 'msgN' | 'ackN' | 'reconnect' | 'drained';
export const LATENCY_NAMES: readonly LatencyName[] = ['connect', 'msgA', 'msgN', 'ackN', 'reconnect', 'drained'];

/** Highest recordable value: 10 minutes in microseconds (larger values are clamped). */
export const HIGHEST_US = 600_000_000;

export function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });
}

export function recordMicros(h: hdr.Histogram, micros: number): void {
  h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(micros))));
}

export const encodeHistogram = (h: hdr.Histogram): string => hdr.encodeIntoCompressedBase64(h);
export const decodeHistogram = (encoded: string): hdr.Histogram => hdr.decodeFromCompressedBase64(encoded, 32);

/** Percentiles in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

export function summarize(h: hdr.Histogram): LatencySummary {
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

/** Monotonic clock shared by every process on the machine (CLOCK_MONOTONIC), in microseconds. */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * The time of the socket read being handled: read once, then the same for every frame handled
 * before the current callback returns (its microtasks run after it). Frames that came in one
 * read arrived together, and a fan-out run handles millions: one clock read per read, not two
 * per frame.
 */
export class ArrivalClock {
  private us = 0;
  private ms = 0;
  private readonly reset = (): void => {
    this.us = 0;
  };

  /** monotonicMicros() of the current read. */
  micros(): number {
    if (this.us === 0) this.read();
    return this.us;
  }

  /** Date.now() of the current read. */
  millis(): number {
    if (this.us === 0) this.read();
    return this.ms;
  }

  private read(): void {
    this.us = monotonicMicros();
    this.ms = Date.now();
    queueMicrotask(this.reset);
  }
}
