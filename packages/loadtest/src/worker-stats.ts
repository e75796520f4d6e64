// A worker's progress figures (sent to the coordinator every second and at the end): its
// counters, its streams' and connections' totals, per transport too, and its own health
// (CPU, event-loop delay, memory), which tells whether the load generator was the bottleneck.
import type { Connection } from './load-connection';
import { LINK_TRANSPORTS, type LinkTransport } from './load-link';
import type { SenderStream } from './sender-stream';
import type { TransportStats, WorkerStats } from './worker-protocol';
import type { WorkerTally } from './worker-tally';

export interface WorkerHealth {
  readonly cpuPercent: number;
  readonly cpuPercentMax: number;
  readonly loopDelayP99Ms: number;
  readonly rssBytes: number;
}

export function workerStats(
  workerIndex: number,
  connections: readonly Connection[],
  streams: readonly SenderStream[],
  tally: WorkerTally,
  health: WorkerHealth,
): WorkerStats {
  const transports = Object.fromEntries(
    LINK_TRANSPORTS.map((t) => [t, { connections: 0, connected: 0, sent: 0, delivered: 0, stormDropped: tally.stormDroppedBy[t] }]),
  ) as Record<LinkTransport, { -readonly [K in keyof TransportStats]: number }>;
  let expectedDeliveries = 0;
  let sent = 0;
  let outstanding = 0;
  let retransmits = 0;
  for (const s of streams) {
    sent += s.sent;
    outstanding += s.queue.size;
    retransmits += s.queue.retransmits;
    transports[s.connection.plan.transport].sent += s.sent;
    expectedDeliveries += (s.sent - s.refused.length) * s.plan.receivers.length;
  }
  let delivered = 0;
  let connected = 0;
  for (const c of connections) {
    const t = transports[c.plan.transport];
    t.connections++;
    delivered += c.ledger.counters.delivered;
    t.delivered += c.ledger.counters.delivered;
    if (c.welcomed) {
      connected++;
      t.connected++;
    }
  }
  const { counters } = tally;
  return {
    workerIndex,
    connections: connections.length,
    connected,
    connectFailures: counters.connectFailures,
    reconnects: counters.reconnects,
    sent,
    accepted: counters.accepted,
    acked: counters.acked,
    storedOffline: counters.storedOffline,
    delivered,
    expectedDeliveries,
    outstanding,
    retransmits,
    resyncs: counters.resyncs,
    syncs: counters.syncs,
    errors: { ...tally.errors },
    ...health,
    notSent: counters.notSent,
    stormDropped: counters.stormDropped,
    stormReconnected: counters.stormReconnected,
    stormReconnectFailures: counters.stormReconnectFailures,
    drainedClosed: counters.drainedClosed,
    drainedReconnected: counters.drainedReconnected,
    transports,
  };
}
