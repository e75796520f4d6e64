import { asConversationId, asEpoch, asMsgId, asUserId } from '@parley/protocol';
import { SendQueue } from '../../src/send-queue';
import { FakeClock } from '../support/fake-clock';

describe('send queue timing', () => {
  const timing = { retransmitTimeoutMs: 3_000, maxRetransmitTimeoutMs: 20_000, ackTimeoutMs: 30_000 };
  const outgoing = (id: string) => ({ msgId: asMsgId(id), toUser: asUserId('bob'), payload: new Uint8Array([1]), clientSeq: 1 });
  const accepted = (id: string) => ({ msgId: asMsgId(id), conversation: asConversationId('d:alice:bob'), position: { epoch: asEpoch('e1'), seq: 1 } });

  let clock: FakeClock;
  let sentAt: number[];
  let queue: SendQueue;

  beforeEach(() => {
    clock = new FakeClock(0);
    sentAt = [];
    queue = new SendQueue(clock, timing, () => sentAt.push(clock.now()));
    queue.goOnline();
  });

  it('retransmits while awaiting msg:A with a doubling wait, capped', () => {
    void queue.add(outgoing('a'));
    clock.advance(100_000);
    expect(sentAt).toEqual([0, 3_000, 9_000, 21_000, 41_000, 61_000, 81_000]);
    expect(queue.retransmits).toBe(6);
  });

  it('after msg:A, waits ackTimeoutMs between re-sends until ack:N', () => {
    void queue.add(outgoing('a'));
    clock.advance(1_000);
    queue.accepted(accepted('a'));
    clock.advance(65_000);
    expect(sentAt).toEqual([0, 31_000, 61_000]);
    expect(queue.stateOf(asMsgId('a'))).toBe('awaiting-ack');
  });

  it('sends nothing and keeps no timer while offline; going online re-sends in order', () => {
    queue.goOffline();
    const order: string[] = [];
    const offline = new SendQueue(clock, timing, (m) => order.push(m.msgId));
    void offline.add(outgoing('a'));
    void offline.add(outgoing('b'));
    clock.advance(60_000);
    expect(order).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    offline.goOnline();
    expect(order).toEqual(['a', 'b']);
  });
});
