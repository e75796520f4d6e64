// The run over time, in half-second buckets of the shared monotonic clock: messages sent
// (and the deliveries they owe), their send -> msg:N latency (by send time, so a message
// stuck in a fault counts against the moment it was sent), and frames each way (by the
// time they crossed). From it: latency and frames per message before, during and after a
// fault, and the time to recover. Workers record, the coordinator merges, analysis is pure.
import type { Histogram } from 'hdr-histogram-js';
import { decodeHistogram, encodeHistogram, LatencySummary, newHistogram, summarize } from './latency';
import { PendingLatencies } from './pending-latencies';

export const BUCKET_US = 500_000;

export const bucketOf = (atUs: number): number => Math.floor(atUs / BUCKET_US);

export interface TimelineBucket {
  sent: number;
  /** Deliveries the messages sent in this bucket owe (one per receiver). */
  expected: number;
  framesUp: number;
  framesDown: number;
  /** send -> first msg:N, of the messages sent in this bucket. */
  readonly latency: Histogram;
}

/** A bucket as it crosses the worker boundary. */
export interface EncodedBucket {
  readonly bucket: number;
  readonly sent: number;
  readonly expected: number;
  readonly framesUp: number;
  readonly framesDown: number;
  readonly latency: string;
}

export type Timeline = Map<number, TimelineBucket>;

const emptyBucket = (): TimelineBucket => ({ sent: 0, expected: 0, framesUp: 0, framesDown: 0, latency: newHistogram() });

/** One worker's recording. */
export class TimelineRecorder {
  private readonly recorded: Timeline = new Map();
  /**
   * The two buckets used last, their numbers and the latencies counted for them but not yet
   * added to their histograms (PendingLatencies): most calls fall into one of them. Two, as a
   * delivery's frame counts in the bucket of now and its latency in the bucket of its send
   * time, which in a burst or fan-out is often the one before: with one they would displace
   * each other on every message. The one used last is always `last`.
   */
  private last: TimelineBucket | undefined;
  private lastNumber = NaN;
  private lastPending = new PendingLatencies();
  private other: TimelineBucket | undefined;
  private otherNumber = NaN;
  private otherPending = new PendingLatencies();

  /** Every bucket, its latencies all added. */
  get buckets(): Timeline {
    if (this.last) this.lastPending.addTo(this.last.latency);
    if (this.other) this.otherPending.addTo(this.other.latency);
    return this.recorded;
  }

  /** The bucket of `atUs`, made `last`. */
  private at(atUs: number): TimelineBucket {
    const b = bucketOf(atUs);
    if (b === this.lastNumber) return this.last!;
    const pending = this.otherPending;
    let bucket: TimelineBucket;
    if (b === this.otherNumber) bucket = this.other!;
    else {
      if (this.other) pending.addTo(this.other.latency);
      let found = this.recorded.get(b);
      if (!found) this.recorded.set(b, (found = emptyBucket()));
      bucket = found;
    }
    this.other = this.last;
    this.otherNumber = this.lastNumber;
    this.otherPending = this.lastPending;
    this.last = bucket;
    this.lastNumber = b;
    this.lastPending = pending;
    return bucket;
  }

  sent(atUs: number, receivers: number): void {
    const b = this.at(atUs);
    b.sent++;
    b.expected += receivers;
  }

  frameUp(atUs: number): void {
    this.at(atUs).framesUp++;
  }

  frameDown(atUs: number): void {
    this.at(atUs).framesDown++;
  }

  delivered(sentAtUs: number, latencyUs: number): void {
    this.at(sentAtUs);
    this.lastPending.record(latencyUs);
  }

  encode(): EncodedBucket[] {
    return [...this.buckets].map(([bucket, b]) => ({ bucket, sent: b.sent, expected: b.expected, framesUp: b.framesUp, framesDown: b.framesDown, latency: encodeHistogram(b.latency) }));
  }
}

export function mergeTimelines(parts: ReadonlyArray<readonly EncodedBucket[]>): Timeline {
  const merged: Timeline = new Map();
  for (const part of parts) {
    for (const e of part) {
      let b = merged.get(e.bucket);
      if (!b) merged.set(e.bucket, (b = emptyBucket()));
      b.sent += e.sent;
      b.expected += e.expected;
      b.framesUp += e.framesUp;
      b.framesDown += e.framesDown;
      b.latency.add(decodeHistogram(e.latency));
    }
  }
  return merged;
}

export interface WindowSummary {
  readonly name: 'steady' | 'before' | 'during' | 'after';
  readonly fromUs: number;
  readonly toUs: number;
  readonly sent: number;
  readonly latency: LatencySummary;
  /** Client -> server frames per message sent in the window (msg:R, acks, syncs, pings, retransmits...). */
  readonly framesUpPerMessage: number;
  /** Server -> client frames per message sent in the window (msg:A, msg:N and its re-pushes, ack:N, errors...). */
  readonly framesDownPerMessage: number;
}

export interface TimelineAnalysis {
  readonly windows: readonly WindowSummary[];
  /** p99 send -> msg:N before the fault (after the warm-up), in ms; undefined without a fault. */
  readonly baselineP99Ms: number | undefined;
  /** A bucket is back to normal when its p99 is at most this and every delivery it owes arrived. */
  readonly thresholdMs: number | undefined;
  /** From the fault to the first moment from which every later bucket is back to normal; undefined: not before sending stopped. */
  readonly timeToRecoverMs: number | undefined;
  /** Whether there was a fault to recover from. */
  readonly fault: boolean;
}

/**
 * send -> msg:N p99 (ms) per second of sending, and how many deliveries each second's sends
 * still miss: the run's shape at a glance.
 */
export function p99BySecond(timeline: Timeline, sendStartUs: number, sendStopUs: number): Array<{ readonly second: number; readonly p99Ms: number; readonly missing: number }> {
  const out: Array<{ second: number; p99Ms: number; missing: number }> = [];
  for (let from = sendStartUs; from < sendStopUs; from += 1_000_000) {
    const h = newHistogram();
    let expected = 0;
    for (let b = bucketOf(from); b * BUCKET_US < Math.min(from + 1_000_000, sendStopUs); b++) {
      const bucket = timeline.get(b);
      if (!bucket) continue;
      h.add(bucket.latency);
      expected += bucket.expected;
    }
    out.push({ second: Math.round((from - sendStartUs) / 1_000_000), p99Ms: Math.round(h.getValueAtPercentile(99) / 1000), missing: Math.max(0, expected - h.totalCount) });
  }
  return out;
}

/** Time at the start of a run left out of the baseline (cold JIT, fresh topics). */
export const WARMUP_US = 2_000_000;
/** The baseline ("before") is at most this much time just before the fault: the steady state it interrupted. */
export const BASELINE_US = 10_000_000;
/**
 * Messages sent this long before the fault may still be in flight when it strikes: they
 * belong to "during" (by send time they would otherwise make the baseline look like the fault).
 */
export const IN_FLIGHT_US = 2_000_000;

/**
 * How near the pre-fault p99 "back to normal" is: twice it, and never less than 250 ms above
 * it (on a shared machine, half-second p99s wander by a few hundred ms with no fault at all;
 * a fault's stall is seconds).
 */
export const RECOVERY_MARGIN_MS = 250;
export const recoveryThresholdMs = (baselineP99Ms: number): number => Math.max(2 * baselineP99Ms, baselineP99Ms + RECOVERY_MARGIN_MS);

function summarizeWindow(timeline: Timeline, name: WindowSummary['name'], fromUs: number, toUs: number): WindowSummary {
  const latency = newHistogram();
  let sent = 0;
  let up = 0;
  let down = 0;
  for (let b = bucketOf(fromUs); b * BUCKET_US < toUs; b++) {
    const bucket = timeline.get(b);
    if (!bucket) continue;
    sent += bucket.sent;
    up += bucket.framesUp;
    down += bucket.framesDown;
    latency.add(bucket.latency);
  }
  return { name, fromUs, toUs, sent, latency: summarize(latency), framesUpPerMessage: sent > 0 ? up / sent : 0, framesDownPerMessage: sent > 0 ? down / sent : 0 };
}

/**
 * Windows and recovery, by send time. `faultAtUs` undefined: one steady window. Otherwise:
 * before (up to BASELINE_US, after the warm-up, ending IN_FLIGHT_US before the fault),
 * during (from then to the recovery, or to the end of sending), after (from the recovery to
 * the end of sending). The time to recover counts from the fault itself.
 */
export function analyzeTimeline(timeline: Timeline, sendStartUs: number, sendStopUs: number, faultAtUs?: number): TimelineAnalysis {
  const duringFromUs = faultAtUs === undefined ? sendStopUs : Math.max(sendStartUs, faultAtUs - IN_FLIGHT_US);
  const warm = Math.min(sendStartUs + WARMUP_US, duringFromUs);
  if (faultAtUs === undefined) {
    return { windows: [summarizeWindow(timeline, 'steady', warm, sendStopUs)], baselineP99Ms: undefined, thresholdMs: undefined, timeToRecoverMs: undefined, fault: false };
  }
  const before = summarizeWindow(timeline, 'before', Math.max(warm, duringFromUs - BASELINE_US), duringFromUs);
  const baselineP99Ms = before.latency.p99;
  const thresholdMs = recoveryThresholdMs(baselineP99Ms);
  const healthy = (b: number): boolean => {
    const bucket = timeline.get(b);
    if (!bucket || bucket.sent === 0) return true;
    return bucket.latency.totalCount >= bucket.expected && bucket.latency.getValueAtPercentile(99) / 1000 <= thresholdMs;
  };
  const lastBucket = bucketOf(sendStopUs - 1);
  let recovered: number | undefined;
  for (let b = lastBucket; b >= bucketOf(duringFromUs); b--) {
    if (!healthy(b)) break;
    recovered = b;
  }
  const recoveredAtUs = recovered === undefined ? undefined : Math.max(faultAtUs, recovered * BUCKET_US);
  const duringToUs = Math.max(duringFromUs, recovered === undefined ? sendStopUs : recovered * BUCKET_US);
  const windows = [before, summarizeWindow(timeline, 'during', duringFromUs, duringToUs)];
  if (duringToUs < sendStopUs) windows.push(summarizeWindow(timeline, 'after', duringToUs, sendStopUs));
  return {
    windows,
    baselineP99Ms,
    thresholdMs,
    timeToRecoverMs: recoveredAtUs === undefined ? undefined : Math.round((recoveredAtUs - faultAtUs) / 1000),
    fault: true,
  };
}
