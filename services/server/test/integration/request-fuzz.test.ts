// The request fuzz on real Kafka and Redis, smaller (a few hundred packets, seeded): generated
// client packets of every kind over WebSockets; every request that expects an answer gets one
// (its answer or a documented error), and a fresh pair on every deliver partition still
// exchanges a message afterwards.
import fc from 'fast-check';
import { asUserId, directConversationId, encodeFrame, Frame, FrameInit } from '@parley/protocol';
import { partitionForKey } from '@parley/ports';
import { waitFor } from '@parley/testkit';
import { decodeInboundFrame } from '@parley/gateway';
import { ParleyServer } from '../../src';
import { AnswerLedger, LIMITS, packet, USERS } from '@parley/fuzz';
import { RawConnection, realEnv, startServer, wsUrl } from './harness';

const SEED = 20_261_207;
const PACKETS = 400;
const PARTITIONS = 4;
const GATEWAY_LIMITS = { ...LIMITS, maxFrameBytes: 64 * 1024 };

describe('generated client packets on real Kafka and Redis', () => {
  let server: ParleyServer;

  beforeAll(async () => {
    server = await startServer(
      realEnv('fuzz', {
        PARLEY_TOPIC_PARTITIONS: String(PARTITIONS),
        PARLEY_MAX_PAYLOAD_BYTES: String(LIMITS.maxPayloadBytes),
        PARLEY_MAX_GROUP_MEMBERS: String(LIMITS.maxGroupMembers),
        PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '10000',
      }),
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`answers every request of ${PACKETS} generated packets and keeps every partition flowing`, async () => {
    // Raw bytes are left out here: ten malformed frames in a row close a connection (4002).
    const frames = fc
      .sample(packet, { seed: SEED, numRuns: PACKETS * 2 })
      .filter((p): p is { user: number; frame: FrameInit } => 'frame' in p)
      .slice(0, PACKETS);
    const connections = await Promise.all(USERS.map((user) => RawConnection.open(wsUrl(server.port, user))));
    const ledger = new AnswerLedger();
    try {
      for (const { user, frame } of frames) {
        const bytes = encodeFrame(frame);
        connections[user]!.sendBytes(bytes);
        // Whatever the gateway forwards is owed an answer from the sequencer or delivery (what it
        // refuses is answered by the gateway itself, at once).
        if (decodeInboundFrame(bytes, asUserId(USERS[user]!), GATEWAY_LIMITS).action === 'forward') ledger.owe(USERS[user]!, frame);
      }
      const framesOf = (user: string): readonly Frame[] => connections[USERS.indexOf(user as (typeof USERS)[number])]!.frames;
      await waitFor(() => ledger.shortfalls(framesOf).length === 0, {
        timeoutMs: 60_000,
        what: `every request answered (still missing: ${JSON.stringify(ledger.shortfalls(framesOf).slice(0, 5))})`,
      });
      expect(connections.map((c) => c.closeCode)).toEqual(USERS.map(() => undefined));
    } finally {
      for (const c of connections) c.close();
    }

    for (let partition = 0; partition < PARTITIONS; partition++) {
      const [a, b] = pairOn(partition);
      const alice = await RawConnection.open(wsUrl(server.port, a));
      const bob = await RawConnection.open(wsUrl(server.port, b));
      try {
        const msgId = `fresh-${partition}`;
        alice.send({ msgR: { msgId, toUser: b, payload: Buffer.from('after the fuzz') } });
        await alice.next('msgA', (f) => f.msgA?.msgId === msgId, 30_000);
        const pushed = await bob.next('msgN', (f) => f.msgN?.msgId === msgId, 30_000);
        bob.send({ ackR: { conversation: pushed.msgN!.conversation, position: pushed.msgN!.position } });
        expect((await alice.next('ackN', (f) => f.ackN?.msgId === msgId, 30_000)).ackN?.status).toBe(1);
      } finally {
        alice.close();
        bob.close();
      }
    }
  });
});

function pairOn(partition: number): [string, string] {
  for (let i = 0; ; i++) {
    const a = `fza${i}`;
    const b = `fzb${i}`;
    if (partitionForKey(directConversationId(asUserId(a), asUserId(b)), PARTITIONS) === partition) return [a, b];
  }
}
