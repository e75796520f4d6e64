// The group fan-out section: deliveries per second to FANOUT_MEMBERS members, the peers
// broadcasting from the server, parley through its whole pipeline with acks, and its table.
import { monotonicMicros } from '../latency';
import { figureColumn, markdownTable, textColumn } from '../markdown-table';
import { connectClients } from './bench-clients';
import { count, perSec, ratio, verdictOf } from './bench-format';
import { log, sleep } from './bench-log';
import { PARLEY_BENCH_FRAME_RATE, startServer } from './bench-servers';
import { planConnections } from './connection-plan';
import type { Measured } from './parley-load-run';
import { cpuSecondsOf } from './proc-cpu';

export const FANOUT_MEMBERS = 1000;
export const FANOUT_BROADCASTS = 2000;
export const FANOUT_BYTES = 64;

/** The load tester's arguments of parley's fan-out row. */
export const FANOUT_ARGS = ['--scenario', 'groups', '--connections', String(FANOUT_MEMBERS), '--group-size', String(FANOUT_MEMBERS), '--group-senders', '1', '--burst', String(FANOUT_BROADCASTS), '--payload', String(FANOUT_BYTES), '--drain-ms', '60000'];

/** Peers: the server broadcasts FANOUT_BROADCASTS messages to FANOUT_MEMBERS clients. */
export async function peerFanout(kind: 'uws' | 'ws' | 'socketio'): Promise<{ rate: number; cpuPercent: number }> {
  const server = await startServer(kind);
  try {
    const { clients, connected } = await connectClients([server], planConnections(FANOUT_MEMBERS, 1), `f${kind}`);
    if (connected !== FANOUT_MEMBERS) throw new Error(`${kind}: only ${connected} of ${FANOUT_MEMBERS} connected`);
    await sleep(500);
    const startedUs = monotonicMicros();
    const cpu0 = cpuSecondsOf(server.child.pid!) ?? NaN;
    clients[0]!.send({ type: 'burst', count: FANOUT_BROADCASTS, bytes: FANOUT_BYTES });
    const expected = FANOUT_MEMBERS * FANOUT_BROADCASTS;
    const deadline = Date.now() + 120_000;
    let received = 0;
    let lastUs = 0;
    while (Date.now() < deadline) {
      await sleep(200);
      const counts = await Promise.all(clients.map((c) => c.request({ type: 'counts' })));
      received = counts.reduce((n, r) => n + (r.type === 'counts' ? r.received : 0), 0);
      lastUs = Math.max(...counts.map((r) => (r.type === 'counts' ? r.lastUs : 0)));
      if (received >= expected) break;
    }
    const cpuPercent = Math.round((100 * ((cpuSecondsOf(server.child.pid!) ?? NaN) - cpu0)) / ((monotonicMicros() - startedUs) / 1e6));
    await Promise.all(clients.map((c) => c.stop()));
    const rate = received / ((lastUs - startedUs) / 1e6);
    log(`fan-out ${kind}: ${received}/${expected} deliveries, ${Math.round(rate)}/s, server cpu ${cpuPercent}%`);
    return { rate: received >= expected ? rate : NaN, cpuPercent };
  } finally {
    await server.stop();
  }
}

export interface FanoutPeers {
  readonly uws: { rate: number; cpuPercent: number };
  readonly ws: { rate: number; cpuPercent: number };
  readonly socketio: { rate: number; cpuPercent: number };
}

export function fanoutSection(peers: FanoutPeers, embedded: Measured, real: Measured): string[] {
  return [
    `## Group fan-out: deliveries per second to ${count(FANOUT_MEMBERS)} members (${FANOUT_BYTES}-byte payload)`,
    '',
    ...markdownTable(
      [textColumn('server'), figureColumn('deliveries/s'), figureColumn('server CPU (% of one core)'), figureColumn('÷ raw uWS (target ≥ 0.5)'), figureColumn('÷ Socket.IO (target ≥ 3)')],
      [
        ...([['parley embedded', embedded.result.throughput.deliveredPerSec, embedded.serverCpuPercent], ['parley Kafka + Redis', real.result.throughput.deliveredPerSec, real.serverCpuPercent]] as const).map(
          ([name, rate, cpu]) => [name, perSec(rate), String(cpu), ratio(rate, peers.uws.rate), ratio(rate, peers.socketio.rate)],
        ),
        ['raw uWebSockets.js publish', perSec(peers.uws.rate), String(peers.uws.cpuPercent), '', ''],
        ['ws (loop over clients)', perSec(peers.ws.rate), String(peers.ws.cpuPercent), '', ''],
        ['Socket.IO rooms', perSec(peers.socketio.rate), String(peers.socketio.cpuPercent), '', ''],
      ],
    ),
    '',
    `Peers: the server broadcasts ${count(FANOUT_BROADCASTS)} messages to all members; rate = deliveries ÷ (last delivery − burst request). ` +
      `parley: one sender sends ${count(FANOUT_BROADCASTS)} messages (as many as the peers broadcast) at once into one group of ${count(FANOUT_MEMBERS)} through the whole pipeline (gateway → bus → sequencer → delivery → gateway) with acks: ` +
      `client_seq 1 alone until its msg:A, then the rest pipelined as fast as its link takes them (the bench's parley runs with PARLEY_RATE_LIMIT_FRAMES_PER_SEC=${PARLEY_BENCH_FRAME_RATE}; at the default of 200 frames/s, whose bucket holds 2 s' worth, one connection may send 400 at once, and the burst would need at least 5 senders); rate = deliveries ÷ (last delivery − first send). ` +
      `Every member checks every msg:N for loss, duplication and order (per conversation: seq contiguity, one message per position, one position per message, the sender's client_seq order, the msg_id naming its client_seq) and acks cumulatively every 100 ms. ` +
      `Verdicts: embedded ${verdictOf(embedded.result)}; Kafka + Redis ${verdictOf(real.result)}.` +
      [embedded.result, real.result]
        .map((r, i) => {
          const run = i === 0 ? 'embedded' : 'Kafka + Redis';
          const retransmits = r.retransmits > 0 ? ` The ${run} sender sent ${count(r.retransmits)} msg:R again (no msg:A within ${count(r.options.retransmitMs)} ms).` : '';
          return retransmits + (r.loadGenerator.bottleneck ? ` Load generator limited the ${run} run: ${r.loadGenerator.bottleneck}.` : '');
        })
        .join(''),
    '',
  ];
}
