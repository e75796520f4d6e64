// The end-of-run report for people.
import type { LatencySummary } from './latency';
import type { LoadResult } from './run-load';
import { LINK_TRANSPORTS, LinkTransport } from './load-link';

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const latencyRow = (name: string, s: LatencySummary): string =>
  `  ${name.padEnd(18)} ${fmt(s.count).padStart(10)}  p50 ${fmt(s.p50, 2).padStart(8)}  p90 ${fmt(s.p90, 2).padStart(8)}  p99 ${fmt(s.p99, 2).padStart(8)}  p99.9 ${fmt(s.p999, 2).padStart(8)}  max ${fmt(s.max, 2).padStart(9)}`;

const TRANSPORT_NAMES: Readonly<Record<LinkTransport, string>> = { websocket: 'WebSocket', 'long-poll': 'long-poll' };

const transportRow = (t: LinkTransport, f: LoadResult['transports'][LinkTransport], storms: boolean): string =>
  `${TRANSPORT_NAMES[t]} ${fmt(f.connections)} connections (${fmt(f.connected)} up${storms ? `, ${fmt(f.stormDropped)} storm cuts` : ''}), ` +
  `sent ${fmt(f.sent)}, delivered ${fmt(f.delivered)} of ${fmt(f.expectedDeliveries)} expected`;

/** `msgR 1,234, ackR 1,200, ...`, most frequent first. */
export function frameCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ${fmt(n)}`).join(', ');
}

/** CPU the load generator's workers used from the first send to the end, in seconds. */
export function testerCpuSeconds(r: LoadResult): number {
  return r.loadGenerator.perWorker.reduce((total, w) => total + w.cpuSecondsSinceGo, 0);
}

export function formatReport(r: LoadResult): string {
  const o = r.options;
  const v = r.verdict;
  const errors = Object.entries(r.errors).sort((a, b) => b[1] - a[1]);
  const lines = [
    `parley load: ${o.scenario}, ${fmt(o.connections)} connections, ${o.burst > 0 ? `a burst of ${fmt(o.burst)} messages` : `${fmt(o.ratePerSec)} msgs/s for ${o.durationSec} s`}, payload ${o.payloadBytes} B` +
      (o.scenario === 'groups' ? `, groups of ${o.groupSize} with ${o.groupSenders} sender(s)` : '') +
      (o.longPollShare > 0 ? `, ${fmt(o.longPollShare * 100, 1)}% on long-poll` : ''),
    `machine: ${r.machine.cores} cores (${r.machine.cpuModel}), ${fmt(r.machine.memoryBytes / 2 ** 30, 1)} GiB, Node ${r.machine.node}`,
    `setup: ${r.setup.workers} worker processes; gateway${r.setup.gateways.length > 1 ? 's' : ''} ${r.setup.gateways.join(', ')}; source addresses ${r.setup.sourceAddresses.join(', ') || '(system)'}; ` +
      `open files needed per worker ${fmt(r.setup.fd.neededPerWorker)} (soft ${r.setup.fd.soft}, hard ${r.setup.fd.hard}${r.setup.fd.raisedTo ? `, raised to ${r.setup.fd.raisedTo}` : ''})`,
    `connect: ${fmt(r.connect.connected)}/${fmt(r.connect.wanted)} up in ${fmt(r.connect.seconds, 1)} s, ${fmt(r.connect.failures)} failed attempts, ${fmt(r.reconnects)} reconnects`,
    `throughput: sent ${fmt(r.throughput.sent)} (${fmt(r.throughput.sentPerSec)}/s over ${fmt(r.throughput.sendSeconds, 1)} s), accepted ${fmt(r.throughput.accepted)}, ` +
      `ack:N ${fmt(r.throughput.acked)} (+${fmt(r.throughput.storedOffline)} stored offline), delivered ${fmt(r.throughput.delivered)} (${fmt(r.throughput.deliveredPerSec)}/s until the last one, ${fmt(r.throughput.deliverySeconds, 1)} s after the first send)` +
      (r.throughput.notSent > 0 ? `, ${fmt(r.throughput.notSent)} not sent (no sender connected)` : ''),
    `transports: ${LINK_TRANSPORTS.map((t) => transportRow(t, r.transports[t], r.storm !== undefined)).join('; ')}`,
    `latency (ms)            count`,
    latencyRow('connect -> welcome', r.connect.latency),
    latencyRow('send -> msg:A', r.latency.msgA),
    latencyRow('send -> msg:N', r.latency.msgN),
    latencyRow('send -> ack:N', r.latency.ackN),
    ...(r.storm
      ? [
          `storms: ${fmt(r.storm.storms)} × ${r.storm.percent}% cut (${r.storm.everySec > 0 ? `every ${r.storm.everySec} s` : 'once at mid-run'}): ` +
            `${fmt(r.storm.dropped)} connections dropped, ${fmt(r.storm.reconnected)} back, ${fmt(r.storm.reconnectFailures)} failed reconnect attempts; ` +
            `time to reconnect p50 ${fmt(r.storm.timeToReconnect.p50, 2)} ms, p99 ${fmt(r.storm.timeToReconnect.p99, 2)} ms, max ${fmt(r.storm.timeToReconnect.max, 2)} ms`,
        ]
      : []),
    ...(r.drained.closed > 0
      ? [
          `drained by a gateway (4007): ${fmt(r.drained.closed)} links closed, ${fmt(r.drained.reconnected)} welcomed again; ` +
            `close -> welcome p50 ${fmt(r.drained.timeToReconnect.p50, 2)} ms, p99 ${fmt(r.drained.timeToReconnect.p99, 2)} ms, max ${fmt(r.drained.timeToReconnect.max, 2)} ms`,
        ]
      : []),
    r.drain.timedOut
      ? `drain: GAVE UP after ${fmt(r.drain.seconds, 1)} s with ${fmt(r.drain.outstandingAtEnd)} messages unacknowledged: the server fell behind; what had not arrived by then counts as lost` +
        (r.storm && r.transports['long-poll'].stormDropped > 0
          ? ` (a storm-cut long-poll session lives on the server until its idle limit, 2 × heartbeat: an ack:N waiting on it comes then; --drain-ms 90000 covers the defaults: 25 s heartbeat, re-push after 5, 10, 20, 30 s)`
          : '')
      : `drain: everything answered and delivered ${fmt(r.drain.seconds, 1)} s after sending stopped` +
        (r.drain.extended ? ` (past the ${fmt(r.options.drainMs / 1000, 1)} s drain window: the server fell behind and worked off its backlog)` : ''),
    `quiet: judged after ${fmt(r.drain.quietSeconds, 1)} s more with nothing new arriving; late (first arrival after the drain started) ${fmt(v.late)}`,
    `retransmits: ${fmt(r.retransmits)}; re-pushed msg:N (legal, acked again): ${fmt(v.detail.redelivered)}; syncs ${fmt(r.syncs)}; resync:N followed ${fmt(r.resyncs)}; ` +
      `new epochs seen ${fmt(v.detail.epochChanges)}; re-sequenced copies dropped by (from_user, msg_id) ${fmt(v.detail.reSequenced)}`,
    `frames per message: client -> server ${fmt(r.frames.upPerMessage, 2)} (${frameCounts(r.frames.up)}), server -> client ${fmt(r.frames.downPerMessage, 2)} (${frameCounts(r.frames.down)})`,
    `errors: ${errors.length === 0 ? 'none' : errors.map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}`,
    `load generator: ${r.loadGenerator.perWorker.map((w, i) => `w${i} cpu max ${w.cpuPercentMax}% loop p99 ${w.loopDelayP99Ms} ms rss ${fmt(w.rssBytes / 2 ** 20)} MiB`).join('; ')}; ` +
      `CPU from the first send to the end ${fmt(testerCpuSeconds(r), 2)} s = ${fmt((1e6 * testerCpuSeconds(r)) / Math.max(1, r.throughput.delivered), 2)} µs per delivery`,
    r.loadGenerator.bottleneck ? `load generator WAS A BOTTLENECK: ${r.loadGenerator.bottleneck}` : 'load generator was not the bottleneck',
    `verdict: lost ${fmt(v.lost)}, duplicated ${fmt(v.duplicated)}, reordered ${fmt(v.reordered)}, missing ack:N ${fmt(v.missingAckN)}, shared positions ${fmt(v.sharedPositions)}, client_seq reused ${fmt(v.clientSeqReused)}, refused ${fmt(v.refused)}, late ${fmt(v.late)} ` +
      `(expected deliveries ${fmt(v.detail.expectedDeliveries)}, ${fmt(r.transports['long-poll'].expectedDeliveries)} of them to long-poll connections, no msg:A ${v.detail.unanswered}, msg:A but no ack:N ${v.detail.unacked}, refused ${v.detail.refused}, ` +
      `dup at receiver ${v.detail.receiverDuplicates}, position conflicts at receivers ${v.detail.positionConflicts}, re-positioned ${v.detail.positionChanges}, ` +
      `out of order by seq ${v.detail.reorderedBySeq}, by sender ${v.detail.reorderedBySender}, sequenced out of order ${v.detail.sequencedOutOfOrder}${v.detail.toNeverConnected > 0 ? `; not counted as lost: ${v.detail.toNeverConnected} addressed to receivers whose connection never came up` : ''})`,
    ...v.samples.slice(0, 10).map((s) => `  ${s}`),
    r.passed ? 'PASS' : `FAIL${r.connect.connected < r.connect.wanted ? ` (${fmt(r.connect.wanted - r.connect.connected)} connections not up at the end)` : ''}`,
  ];
  return lines.join('\n');
}
