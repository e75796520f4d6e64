// What one worker counts as it runs, shared by its parts: event counters, errors by kind,
// latency histograms, frames each way per packet kind and the send/delivery timeline.
import type { Histogram } from 'hdr-histogram-js';
import { encodeHistogram, LATENCY_NAMES, LatencyName, monotonicMicros, newHistogram } from './latency';
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
    this.timeline.frameDown(monotonicMicros());
  }

  encodedHistograms(): Record<LatencyName, string> {
    return Object.fromEntries(LATENCY_NAMES.map((n) => [n, encodeHistogram(this.histograms[n])])) as Record<LatencyName, string>;
  }
}
