// Messages between the coordinator and its worker processes (Node IPC, structured clone).
import type { WorkerPlan } from './plan';
import type { ReceiptCounters, ReceiptReport, SenderReport } from './verdict';
import type { LatencyName } from './latency';
import type { LinkTransport } from './load-link';
import type { EncodedBucket } from './timeline';

/** The connections of one transport in a worker, and their messages. */
export interface TransportStats {
  readonly connections: number;
  /** Connections up now (welcomed). */
  readonly connected: number;
  /** Messages sent by these connections. */
  readonly sent: number;
  /** First arrivals of messages at these connections. */
  readonly delivered: number;
  /** Of these connections, how many a reconnect storm cut (a connection cut twice counts twice). */
  readonly stormDropped: number;
}

/** Live figures of one worker; counters are totals since the start. */
export interface WorkerStats {
  readonly workerIndex: number;
  readonly connections: number;
  readonly connected: number;
  readonly connectFailures: number;
  readonly reconnects: number;
  readonly sent: number;
  readonly accepted: number;
  readonly acked: number;
  readonly storedOffline: number;
  readonly delivered: number;
  /** Deliveries this worker's senders expect (sent, not refused, times receivers). */
  readonly expectedDeliveries: number;
  /** Messages sent and not yet answered by ack:N. */
  readonly outstanding: number;
  readonly retransmits: number;
  /** resync:N frames followed. */
  readonly resyncs: number;
  /** sync:R sent (gap syncs and catch-ups; the pages of one sync not counted). */
  readonly syncs: number;
  readonly errors: Readonly<Record<string, number>>;
  /** This process's CPU use over the last interval, percent of one core. */
  readonly cpuPercent: number;
  /** Highest CPU use over any interval so far, percent of one core. */
  readonly cpuPercentMax: number;
  /** Event-loop delay p99 over the run, in milliseconds. */
  readonly loopDelayP99Ms: number;
  readonly rssBytes: number;
  /** Messages the schedule asked for that could not go out (no sender connected). */
  readonly notSent: number;
  /** Reconnect storms: connections cut, cut connections welcomed again, and their failed reconnect attempts. */
  readonly stormDropped: number;
  readonly stormReconnected: number;
  readonly stormReconnectFailures: number;
  /** Links a draining gateway closed (4007), and those connections welcomed again after it. */
  readonly drainedClosed: number;
  readonly drainedReconnected: number;
  /** The same figures split by transport (WebSocket, long-poll). */
  readonly transports: Readonly<Record<LinkTransport, TransportStats>>;
}

export interface WorkerResult {
  readonly stats: WorkerStats;
  readonly histograms: Readonly<Record<LatencyName, string>>;
  readonly senders: readonly SenderReport[];
  readonly receipts: readonly ReceiptReport[];
  /** Users whose connection never came up (no welcome in the whole run). */
  readonly neverConnected: readonly string[];
  readonly counters: ReceiptCounters;
  readonly samples: readonly string[];
  /** Sends, latencies and frames over time. */
  readonly timeline: readonly EncodedBucket[];
  /** Frames written and received, by packet. */
  readonly framesUp: Readonly<Record<string, number>>;
  readonly framesDown: Readonly<Record<string, number>>;
  /** When sending started and stopped (monotonic microseconds). */
  readonly sendStartedAtUs: number;
  readonly sendStoppedAtUs: number;
  /** The last first-arrival of a message (monotonic microseconds; 0: none). */
  readonly lastDeliveryAtUs: number;
  /** CPU this worker process used (user + system) from `go` to `finish`, in seconds: what sending, receiving and checking cost it. */
  readonly cpuSecondsSinceGo: number;
}

export type CoordinatorMessage =
  | { readonly type: 'start'; readonly plan: WorkerPlan; readonly connectTimeoutMs: number }
  | { readonly type: 'go' }
  | { readonly type: 'stop-sending' }
  /** The drain started: first arrivals from now on are late. */
  | { readonly type: 'drain' }
  /** Cut this share (percent) of the worker's connections that are up, at once. */
  | { readonly type: 'storm'; readonly percent: number }
  | { readonly type: 'finish' };

export type WorkerMessage =
  | { readonly type: 'progress'; readonly stats: WorkerStats }
  | { readonly type: 'ready'; readonly stats: WorkerStats }
  /** The answer to 'drain': figures taken after sending stopped, so the coordinator never judges the drain on older ones. */
  | { readonly type: 'draining'; readonly stats: WorkerStats }
  | { readonly type: 'result'; readonly result: WorkerResult }
  | { readonly type: 'fatal'; readonly message: string };
