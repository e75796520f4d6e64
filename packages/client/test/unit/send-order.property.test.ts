// Property: whatever the network and the server do to a client's sends (retryable
// refusals, lost msg:R, lost msg:A / ack:N / errors, reconnects, time passing), against a
// server that applies the sequencer's rule exactly (test/support/model-sequencer.ts), every
// message is sequenced exactly once, each conversation's messages are sequenced in the
// order send() was called (client_seq 1, 2, 3, ... of one device), and every send resolves
// with the position the server gave it.
import fc from 'fast-check';
import { ErrorCode, parley } from '@parley/protocol';
import { connected, harness, track } from '../support/client-harness';
import { settle } from '../support/fake-server';

const TEAM = 'g:team';
const DM = 'd:alice:bob';

type Command =
  | { readonly kind: 'send'; readonly to: 'bob' | typeof TEAM; readonly count: number }
  | { readonly kind: 'refuse'; readonly code: number }
  | { readonly kind: 'lose-msgR' }
  | { readonly kind: 'lose-answer'; readonly packet: 'msgA' | 'ackN' | 'error' }
  | { readonly kind: 'reconnect' }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'lose-state'; readonly conversation: typeof DM | typeof TEAM };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), to: fc.constantFrom('bob' as const, TEAM), count: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refuse' as const), code: fc.constantFrom(ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE, ErrorCode.INTERNAL) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'lose-msgR' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('lose-answer' as const), packet: fc.constantFrom('msgA' as const, 'ackN' as const, 'error' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reconnect' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40_000 }) }) },
);

/** The server's store losing a conversation's state (a new epoch: no dedupe data, no sender counters). */
const loseState: fc.Arbitrary<Command> = fc.record({ kind: fc.constant('lose-state' as const), conversation: fc.constantFrom(DM as typeof DM, TEAM as typeof TEAM) });

async function run(commands: readonly Command[], check: (h: Awaited<ReturnType<typeof setUp>>['h'], sends: SendRecord[], device: string) => void): Promise<void> {
  const { h, sends, device } = await setUp(commands);
  check(h, sends, device);
  await h.client.close();
}

interface SendRecord {
  readonly to: string;
  readonly msgId: string;
  readonly outcome: ReturnType<typeof track>;
}

async function setUp(commands: readonly Command[]) {
  let refusals: number[] = [];
  let lostMsgR = 0;
  const lostAnswers = { msgA: 0, ackN: 0, error: 0 };
  const h = harness({
    filter: {
      outgoing: (frame) => {
        if (frame.packet !== 'msgR' || lostMsgR === 0) return true;
        lostMsgR -= 1;
        return false;
      },
      incoming: (frame) => {
        const packet = frame.packet;
        if ((packet !== 'msgA' && packet !== 'ackN' && packet !== 'error') || lostAnswers[packet] === 0) return true;
        lostAnswers[packet] -= 1;
        return false;
      },
    },
  });
  h.server.groups.set(TEAM, new Set(['alice', 'bob']));
  h.server.ackStatus = parley.v1.AckStatus.ACK_STATUS_DELIVERED;
  h.server.onFrame = (connection, frame) => {
    const code = frame.packet === 'msgR' ? refusals.shift() : undefined;
    if (code === undefined) return false;
    connection.push({ error: { code, message: 'try later', retryable: true, msgId: frame.msgR!.msgId } });
    return true;
  };
  await connected(h);
  const device = h.client.deviceId;
  const sends: SendRecord[] = [];
  let ids = 0;
  let epochs = 1;
  for (const c of commands) {
    switch (c.kind) {
      case 'send':
        for (let i = 0; i < c.count; i++) {
          const msgId = `p${++ids}`;
          sends.push({ to: c.to, msgId, outcome: track(c.to === 'bob' ? h.client.send('bob', new Uint8Array([ids]), { msgId }) : h.client.sendToConversation(TEAM, new Uint8Array([ids]), { msgId })) });
        }
        await settle();
        break;
      case 'refuse':
        refusals.push(c.code);
        break;
      case 'lose-msgR':
        lostMsgR += 1;
        break;
      case 'lose-answer':
        lostAnswers[c.packet] += 1;
        break;
      case 'reconnect':
        if (h.server.connections.length > 0) h.server.current.drop(1006, 'network');
        await settle();
        break;
      case 'advance':
        await h.advance(c.ms);
        break;
      case 'lose-state':
        h.server.restartEpoch(c.conversation, `e${++epochs}`);
        break;
    }
  }
  // The network heals: everything pending must get through.
  refusals = [];
  lostMsgR = 0;
  lostAnswers.msgA = lostAnswers.ackN = lostAnswers.error = 0;
  for (let i = 0; i < 100 && (h.client.stats.pendingSends > 0 || sends.some((s) => !s.outcome.settled)); i++) await h.advance(10_000);

  return { h, sends, device };
}

const conversationOf = (send: SendRecord) => (send.to === 'bob' ? DM : TEAM);

/** Every send settled, none failed, none pending. */
function expectAllResolved(h: Awaited<ReturnType<typeof setUp>>['h'], sends: SendRecord[]): void {
  expect(sends.filter((s) => !s.outcome.settled).map((s) => s.msgId)).toEqual([]);
  expect(sends.filter((s) => s.outcome.error !== undefined).map((s) => [s.msgId, String(s.outcome.error)])).toEqual([]);
  expect(h.client.stats.pendingSends).toBe(0);
}

function checkExactlyOnceInOrder(h: Awaited<ReturnType<typeof setUp>>['h'], sends: SendRecord[], device: string): void {
  expectAllResolved(h, sends);
  expect(h.client.deviceId).toBe(device); // no counter trouble: the device never had to change
  expect(h.errors.filter((e) => e.code === ErrorCode.CLIENT_SEQ_REUSED)).toEqual([]);
  const log = h.server.sequencer.log;
  for (const conversation of [DM, TEAM]) {
    const ours = sends.filter((s) => conversationOf(s) === conversation);
    const sequenced = log.filter((e) => e.conversation === conversation);
    // Exactly once each, in send() order, numbered 1, 2, 3, ... by our one device.
    expect(sequenced.map((e) => e.msgId)).toEqual(ours.map((s) => s.msgId));
    expect(sequenced.map((e) => e.clientSeq)).toEqual(ours.map((_, i) => i + 1));
    expect(new Set(sequenced.map((e) => e.device))).toEqual(new Set(ours.length > 0 ? [device] : []));
    // Each send resolved with the position the server gave it.
    for (const entry of sequenced) {
      const send = ours.find((s) => s.msgId === entry.msgId)!;
      expect(send.outcome.value).toEqual({ msgId: entry.msgId, conversation, epoch: entry.epoch, seq: entry.seq });
    }
  }
}

/**
 * With the server's store losing state (new epochs), a message may be sequenced again in a
 * later epoch (receivers dedupe it by sender and msgId), and messages in flight when the
 * state went may be sequenced out of send() order (a server with no state for the device
 * accepts whatever comes first: a pipelined message can overtake a refused one). What
 * holds: every send resolves with a position the server gave it, every message is
 * sequenced, and none twice within one epoch.
 */
function checkNothingLost(h: Awaited<ReturnType<typeof setUp>>['h'], sends: SendRecord[]): void {
  expectAllResolved(h, sends);
  const log = h.server.sequencer.log;
  for (const conversation of [DM, TEAM]) {
    const ours = sends.filter((s) => conversationOf(s) === conversation);
    const sequenced = log.filter((e) => e.conversation === conversation);
    for (const send of ours) expect(sequenced.some((e) => e.msgId === send.msgId)).toBe(true);
    const perEpoch = sequenced.map((e) => `${e.epoch} ${e.msgId}`);
    expect(new Set(perEpoch).size).toBe(perEpoch.length);
    for (const send of ours) {
      const value = send.outcome.value as { epoch: string; seq: number };
      expect(sequenced.some((e) => e.msgId === send.msgId && e.epoch === value.epoch && e.seq === value.seq)).toBe(true);
    }
  }
}

describe('send order (property)', () => {
  it('sequences every message once, in send() order per conversation, and resolves every send, whatever the schedule', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), async (commands) => run(commands, checkExactlyOnceInOrder)),
      { seed: 20_261_206, numRuns: 300, endOnFailure: true },
    );
  }, 300_000);

  it('loses no message and resolves every send when the server loses its state', async () => {
    const withLoss = fc.oneof({ weight: 12, arbitrary: command }, { weight: 1, arbitrary: loseState });
    await fc.assert(
      fc.asyncProperty(fc.array(withLoss, { minLength: 1, maxLength: 40 }), async (commands) => run(commands, (h, sends) => checkNothingLost(h, sends))),
      { seed: 20_261_207, numRuns: 200, endOnFailure: true },
    );
  }, 300_000);
});
