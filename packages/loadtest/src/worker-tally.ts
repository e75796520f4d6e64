// What one worker counts as it runs, shared by its parts: event counters, errors by kind,
// latency histograms, frames each way per packet kind and the send/delivery timeline.
import type { Histogram } from 'hdr-histogram-js';
import { ArrivalClock, encodeHistogram, LATENCY_NAMES, LatencyName, monotonicMicros, newHistogram } from './latency';
import type { LinkTransport } from './load-link';
import { TimelineRecorder } from './timeline';

export interface WorkerCounters {
  connectFailures: number;
  reconnects: number;
  accepted: number;
  acked: number;
  storedOffline: number;
  notSent: number;
  stormDropped: number;
  stormReconnected: number;
  stormReconnectFailures: number;
  drainedClosed: number;
  drainedReconnected: number;
  resyncs: number;
  syncs: number;
}

export class WorkerTally {
  readonly counters: WorkerCounters = {
    connectFailures: 0,
    reconnects: 0,
    accepted: 0,
    acked: 0,
    storedOffline: 0,
    notSent: 0,
    stormDropped: 0,
    stormReconnected: 0,
    stormReconnectFailures: 0,
    drainedClosed: 0,
    drainedReconnected: 0,
    resyncs: 0,
    syncs: 0,
  };
  readonly errors: Record<string, number> = {};
  readonly histograms = Object.fromEntries(LATENCY_NAMES.map((n) => [n, newHistogram()])) as Record<LatencyName, Histogram>;
  readonly timeline = new TimelineRecorder();
  readonly framesUp: Record<string, number> = {};
  readonly framesDown: Record<string, number> = {};
  readonly stormDroppedBy: Record<LinkTransport, number> = { websocket: 0, 'long-poll': 0 };
  /** When the last first delivery happened (monotonic microseconds; 0: none yet). */
  lastDeliveryUs = 0;
  /** The time of the socket read being handled (shared by the frames of one read). */
  readonly arrival = new ArrivalClock();

  countError(key: string): void {
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }

  /** A frame of kind `packet` went up (frames per message show retry amplification). */
  frameUp(packet: string): void {
    this.framesUp[packet] = (this.framesUp[packet] ?? 0) + 1;
    this.timeline.frameUp(monotonicMicros());
  }

  frameDown(packet: string): void {
    this.framesDown[packet] = (this.framesDown[packet] ?? 0) + 1;
    this.timeline.frameDown(this.arrival.micros());
  }

  /**
   * A message shown for the first time, now: its send -> msg:N latency when its payload
   * carries the send time. Recorded once, in the timeline's bucket of its send time; the
   * msgN histogram is the sum of those buckets (encodedHistograms).
   */
  delivered(sentAtUs: number | undefined): void {
    const nowUs = this.arrival.micros();
    this.lastDeliveryUs = nowUs;
    if (sentAtUs !== undefined) this.timeline.delivered(sentAtUs, nowUs - sentAtUs);
  }

  encodedHistograms(): Record<LatencyName, string> {
    const msgN = this.histograms.msgN;
    msgN.reset();
    for (const bucket of this.timeline.buckets.values()) msgN.add(bucket.latency);
    return Object.fromEntries(LATENCY_NAMES.map((n) => [n, encodeHistogram(this.histograms[n])])) as Record<LatencyName, string>;
  }
}
