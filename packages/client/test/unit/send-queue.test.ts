import { asConversationId, asEpoch, asMsgId, asUserId, ErrorCode, type ConversationId } from '@parley/protocol';
import { SendRefusedError } from '../../src/errors';
import { SendQueue, type OutgoingMessage, type SendNumbering, type SendReceipt } from '../../src/send-queue';
import { FakeClock } from '../support/fake-clock';

const CONV = asConversationId('d:alice:bob');
const timing = { retransmitTimeoutMs: 3_000, maxRetransmitTimeoutMs: 20_000, ackTimeoutMs: 30_000, window: 4, random: () => 0.999_999 };

/** Counters in memory; renewDevice starts them over and counts the renewals. */
class Numbering implements SendNumbering {
  readonly counters = new Map<ConversationId, number>();
  renewals = 0;
  conversationOf = () => CONV;
  next(conversation: ConversationId): number {
    const n = (this.counters.get(conversation) ?? 0) + 1;
    this.counters.set(conversation, n);
    return n;
  }
  rewind(conversation: ConversationId, last: number): void {
    this.counters.set(conversation, last);
  }
  renewDevice(): void {
    this.renewals += 1;
    this.counters.clear();
  }
}

describe('send queue', () => {
  let clock: FakeClock;
  let sent: Array<{ at: number; msgId: string; clientSeq: number }>;
  let numbering: Numbering;
  let queue: SendQueue;
  let nextSeq: number;

  const add = (id: string) => {
    const state: { receipt?: SendReceipt; error?: unknown } = {};
    queue.add({ msgId: asMsgId(id), toUser: asUserId('bob'), payload: new Uint8Array([1]) }).then(
      (receipt) => (state.receipt = receipt),
      (error: unknown) => (state.error = error),
    );
    return state;
  };
  const accept = (id: string, seq = nextSeq++) =>
    queue.accepted({ msgId: asMsgId(id), conversation: CONV, position: { epoch: asEpoch('e1'), seq } });
  const refuse = (id: string, code: number, retryable: boolean, expectedClientSeq = 0) =>
    queue.refused(asMsgId(id), { code, retryable, expectedClientSeq }, new SendRefusedError(asMsgId(id), code, 'refused'));
  const ids = () => sent.map((s) => s.msgId);
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

  beforeEach(() => {
    clock = new FakeClock(0);
    sent = [];
    nextSeq = 1;
    numbering = new Numbering();
    queue = new SendQueue(clock, timing, numbering, (m: OutgoingMessage) => sent.push({ at: clock.now(), msgId: m.msgId, clientSeq: m.clientSeq }));
    queue.goOnline();
  });

  it('retransmits the oldest unaccepted message with a doubling wait, capped', () => {
    add('a');
    clock.advance(100_000);
    expect(sent.map((s) => s.at)).toEqual([0, 3_000, 9_000, 21_000, 41_000, 61_000, 81_000]);
    expect(queue.retransmits).toBe(6);
  });

  it('sends client_seq 1 alone until its msg:A, then pipelines up to the window, in order', () => {
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) add(id);
    expect(sent).toEqual([{ at: 0, msgId: 'a', clientSeq: 1 }]);
    accept('a');
    expect(ids()).toEqual(['a', 'b', 'c', 'd', 'e']); // 4 unaccepted in flight
    accept('b');
    expect(ids()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(sent.map((s) => s.clientSeq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('after msg:A, waits ackTimeoutMs between re-sends until ack:N', () => {
    add('a');
    clock.advance(1_000);
    accept('a');
    clock.advance(65_000);
    expect(sent.map((s) => s.at)).toEqual([0, 31_000, 61_000]);
    expect(queue.stateOf(asMsgId('a'))).toBe('awaiting-ack');
  });

  it('goes back to the oldest unaccepted message on a timeout: one timer per conversation, not per message', () => {
    for (const id of ['a', 'b', 'c', 'd']) add(id);
    accept('a');
    sent = [];
    expect(clock.pendingTimers()).toBe(2); // the head's accept timeout and the ack:N wait of 'a'
    accept('b'); // c and d get no msg:A
    clock.advance(3_000);
    expect(ids()).toEqual(['c']); // the round starts with the head alone
    accept('c');
    expect(ids()).toEqual(['c', 'd']);
  });

  it('on a retryable refusal waits (jittered, doubling), then resends from the oldest unaccepted in order; the refusals of the same round count once', async () => {
    for (const id of ['a', 'b', 'c', 'd']) add(id);
    accept('a');
    sent = [];
    refuse('b', ErrorCode.RATE_LIMITED, true);
    refuse('c', ErrorCode.OUT_OF_ORDER, true, 2);
    refuse('d', ErrorCode.OUT_OF_ORDER, true, 2);
    clock.advance(5_999);
    expect(sent).toEqual([]);
    clock.advance(1);
    expect(sent).toEqual([{ at: 6_000, msgId: 'b', clientSeq: 2 }]);
    accept('b');
    expect(ids()).toEqual(['b', 'c', 'd']);
    await flush();
  });

  it('resends from the accepted message an OUT_OF_ORDER names (the server lost our state in between)', () => {
    for (const id of ['a', 'b', 'c']) add(id);
    accept('a');
    accept('b');
    sent = [];
    refuse('c', ErrorCode.OUT_OF_ORDER, true, 2);
    clock.advance(6_000);
    expect(sent.map((s) => [s.msgId, s.clientSeq])).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('resends from expected_client_seq when it is ahead of the oldest unaccepted message (whose msg:A is on its way)', () => {
    for (const id of ['a', 'b', 'c', 'd']) add(id);
    accept('a');
    sent = [];
    refuse('d', ErrorCode.OUT_OF_ORDER, true, 3); // b was accepted (its msg:A on the way), c was not
    clock.advance(6_000);
    expect(ids()).toEqual(['c']);
    accept('b');
    accept('c');
    expect(ids()).toEqual(['c', 'd']);
  });

  it('starts a new device when an OUT_OF_ORDER names a message it no longer has', () => {
    for (const id of ['a', 'b', 'c']) add(id);
    accept('a');
    queue.acknowledged({ msgId: asMsgId('a'), conversation: CONV, position: { epoch: asEpoch('e1'), seq: 1 }, toUser: asUserId('bob'), status: 'DELIVERED' });
    refuse('c', ErrorCode.OUT_OF_ORDER, true, 1);
    expect(numbering.renewals).toBe(1);
    expect(queue.clientSeqOf(asMsgId('b'))).toBe(1);
    expect(queue.clientSeqOf(asMsgId('c'))).toBe(2);
    sent = [];
    clock.advance(60_000);
    expect(sent).toEqual([]); // nothing on the old link: the reconnect resends
    queue.goOffline();
    queue.goOnline();
    expect(sent.map((s) => [s.msgId, s.clientSeq])).toEqual([['b', 1]]);
  });

  it('on CLIENT_SEQ_REUSED moves to a new device and sends the refused message again from it; a second refusal fails it', async () => {
    const a = add('a');
    const b = add('b');
    refuse('a', ErrorCode.CLIENT_SEQ_REUSED, false);
    expect(numbering.renewals).toBe(1);
    expect([queue.clientSeqOf(asMsgId('a')), queue.clientSeqOf(asMsgId('b'))]).toEqual([1, 2]);
    queue.goOffline();
    queue.goOnline(); // the reconnect as the new device
    expect(sent.map((s) => [s.msgId, s.clientSeq])).toEqual([
      ['a', 1],
      ['a', 1],
    ]);
    refuse('a', ErrorCode.CLIENT_SEQ_REUSED, false);
    await flush();
    expect(a.error).toMatchObject({ code: 'CLIENT_SEND_REFUSED', serverCode: ErrorCode.CLIENT_SEQ_REUSED });
    expect(b.error).toBeUndefined();
    expect(numbering.renewals).toBe(2);
    expect(queue.clientSeqOf(asMsgId('b'))).toBe(1);
  });

  it('sends unnumbered (client_seq 0) an accepted message whose re-send for its ack:N was refused CLIENT_SEQ_REUSED', () => {
    add('a');
    accept('a');
    clock.advance(30_000); // no ack:N: sent again
    expect(sent.map((s) => s.clientSeq)).toEqual([1, 1]);
    refuse('a', ErrorCode.CLIENT_SEQ_REUSED, false); // the server lost its state meanwhile
    expect(numbering.renewals).toBe(0);
    clock.advance(30_000);
    expect(sent.map((s) => s.clientSeq)).toEqual([1, 1, 0]);
  });

  it('fails a message refused for good and closes the hole it leaves: the later ones take the numbers down by one', async () => {
    for (const id of ['a', 'b', 'c', 'd']) add(id);
    accept('a');
    const refused = queue.stateOf(asMsgId('b'));
    expect(refused).toBe('awaiting-accept');
    sent = [];
    refuse('b', ErrorCode.PAYLOAD_TOO_LARGE, false);
    expect(numbering.renewals).toBe(0);
    expect(numbering.counters.get(CONV)).toBe(3);
    expect(sent.map((s) => [s.msgId, s.clientSeq])).toEqual([['c', 2]]); // alone: a new round
    refuse('c', ErrorCode.OUT_OF_ORDER, true, 2); // the old copy of c (3) arriving: stale
    accept('c');
    expect(sent.map((s) => [s.msgId, s.clientSeq])).toEqual([
      ['c', 2],
      ['d', 3],
    ]);
  });

  it('sends nothing and keeps no timer while offline; going online resends every lane from its start', () => {
    queue.goOffline();
    add('a');
    add('b');
    clock.advance(60_000);
    expect(sent).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
    queue.goOnline();
    expect(ids()).toEqual(['a']);
    accept('a');
    expect(ids()).toEqual(['a', 'b']);
  });

  it('waits for its conversation (our user id) before numbering', () => {
    let known = false;
    numbering.conversationOf = () => (known ? CONV : undefined) as ConversationId;
    queue.goOffline();
    add('a');
    queue.goOnline();
    expect(sent).toEqual([]);
    queue.goOffline();
    known = true;
    queue.goOnline();
    expect(sent).toEqual([{ at: 0, msgId: 'a', clientSeq: 1 }]);
  });
});
