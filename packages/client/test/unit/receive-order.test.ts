import { asConversationId, asEpoch, asMsgId, asUserId } from '@parley/protocol';
import { ReceiveOrder, type ReceiveLimits } from '../../src/receive-order';
import { CONV, message, seqs, trace } from '../support/messages';

const limits: ReceiveLimits = { maxConversations: 100, maxRememberedMsgIds: 1_000, maxBufferedPerConversation: 50, maxParked: 50 };
const e = asEpoch;

describe('receive order: each message once, in seq order per conversation', () => {
  let order: ReceiveOrder;
  beforeEach(() => {
    order = new ReceiveOrder(limits);
  });

  it('delivers consecutive seqs at once', () => {
    expect(seqs(order.accept(message(1), 'live').deliver)).toEqual([1]);
    expect(seqs(order.accept(message(2), 'live').deliver)).toEqual([2]);
    expect(seqs(order.accept(message(3), 'live').deliver)).toEqual([3]);
  });

  it('buffers seqs after a gap and delivers them in order once the gap fills', () => {
    order.accept(message(1), 'live');
    expect(order.accept(message(3), 'live')).toEqual({ verdict: 'buffered', deliver: [] });
    expect(order.accept(message(5), 'live').verdict).toBe('buffered');
    expect(order.bufferedCount).toBe(2);
    const filled = order.accept(message(2), 'live');
    expect(filled.verdict).toBe('delivered');
    expect(seqs(filled.deliver)).toEqual([2, 3]);
    expect(seqs(order.accept(message(4), 'live').deliver)).toEqual([4, 5]);
    expect(order.bufferedCount).toBe(0);
  });

  it('drops a repeated position, whether already delivered or still buffered', () => {
    order.accept(message(1), 'live');
    order.accept(message(3), 'live');
    expect(order.accept(message(1), 'live')).toEqual({ verdict: 'duplicate', deliver: [] });
    expect(order.accept(message(3), 'live')).toEqual({ verdict: 'duplicate', deliver: [] });
    expect(order.duplicatesDropped).toBe(2);
    expect(seqs(order.accept(message(2), 'live').deliver)).toEqual([2, 3]);
  });

  it('delivers a (sender, msgId) once even at a new position', () => {
    order.accept(message(1, { msgId: 'x' }), 'live');
    const again = order.accept(message(2, { msgId: 'x' }), 'live');
    expect(again).toEqual({ verdict: 'duplicate', deliver: [] });
    // The position is used up all the same: the next seq is not stuck behind it.
    expect(seqs(order.accept(message(3), 'live').deliver)).toEqual([3]);
  });

  it('keeps conversations independent', () => {
    const other = 'd:alice:carol';
    order.accept(message(1), 'live');
    expect(seqs(order.accept(message(7, { conversation: other, from: 'carol' }), 'live').deliver)).toEqual([7]);
    expect(order.accept(message(3), 'live').verdict).toBe('buffered');
    expect(seqs(order.accept(message(8, { conversation: other, from: 'carol' }), 'live').deliver)).toEqual([8]);
  });

  it('starts a conversation it has no state for from the first message it sees (documented limitation)', () => {
    expect(seqs(order.accept(message(10), 'live').deliver)).toEqual([10]);
    // An older message arriving later cannot be told from a duplicate.
    expect(order.accept(message(9), 'live').verdict).toBe('duplicate');
    expect(seqs(order.accept(message(11), 'live').deliver)).toEqual([11]);
  });

  describe('own messages (1:1 conversations share one counter for both directions)', () => {
    it('fills the seqs of our own sends, so the peer’s next message is not stuck behind them', () => {
      order.accept(message(1), 'live');
      expect(order.acceptOwn(CONV, { epoch: e('e1'), seq: 2 })).toEqual([]);
      expect(seqs(order.accept(message(3), 'live').deliver)).toEqual([3]);
    });

    it('releases buffered messages when the msg:A of our seq arrives after them', () => {
      order.accept(message(1), 'live');
      expect(order.accept(message(3), 'live').verdict).toBe('buffered');
      expect(seqs(order.acceptOwn(CONV, { epoch: e('e1'), seq: 2 }))).toEqual([3]);
    });

    it('starts a new conversation at seq 1 when it was ours', () => {
      order.acceptOwn(CONV, { epoch: e('e1'), seq: 1 });
      expect(order.accept(message(3), 'live').verdict).toBe('buffered');
      expect(seqs(order.accept(message(2), 'live').deliver)).toEqual([2, 3]);
    });

    it('never delivers an echo of our own message', () => {
      order.accept(message(1), 'live');
      order.acceptOwn(CONV, { epoch: e('e1'), seq: 2 });
      expect(order.accept(message(2, { from: 'alice' }), 'live').verdict).toBe('duplicate');
    });
  });

  describe('epochs', () => {
    // A sync's reset page moves a conversation to a new epoch: `to` is the position before the page's first message.
    const syncReachesE2 = (at = 0) => order.resetTo(CONV, { epoch: e('e2'), seq: at });

    it('enters a new epoch only through a sync, then takes it as a fresh sequence', () => {
      order.accept(message(1), 'live');
      order.accept(message(2), 'live');
      expect(order.accept(message(1, { epoch: 'e2' }), 'live')).toEqual({ verdict: 'buffered', deliver: [] });
      expect(order.awaitsEpoch(CONV)).toBe(true);
      expect(order.gapSize(CONV)).toBe(1); // the gap watch syncs it (at once: awaitsEpoch)
      expect(order.position(CONV)).toEqual({ epoch: 'e1', seq: 2 }); // the sync goes from here
      expect(trace(syncReachesE2())).toEqual(['reset e1/2>e2/0 epoch', 'e2/1']);
      expect(order.awaitsEpoch(CONV)).toBe(false);
      expect(seqs(order.accept(message(2, { epoch: 'e2' }), 'live').deliver)).toEqual([2]);
      expect(order.positions()).toEqual([{ conversation: CONV, epoch: 'e2', seq: 2 }]);
    });

    it("keeps delivering the old epoch while the new one waits (delivery far behind at a store loss): every member's order", () => {
      order.accept(message(1), 'live');
      expect(order.acceptOwn(CONV, { epoch: e('e2'), seq: 1 })).toEqual([]); // our send, sequenced after the loss
      expect(order.accept(message(2, { epoch: 'e2' }), 'live').verdict).toBe('buffered');
      expect(seqs(order.accept(message(2), 'live').deliver)).toEqual([2]); // e1/2 still comes, and first
      expect(seqs(order.accept(message(3), 'sync').deliver)).toEqual([3]); // the sync's old-epoch page
      expect(trace(syncReachesE2())).toEqual(['reset e1/3>e2/0 epoch', 'e2/2']); // e2/1 is ours: no gap
      expect(order.position(CONV)).toEqual({ epoch: 'e2', seq: 2 });
    });

    it('reports the break and waits for the new epoch’s first seqs when it does not start at 1 (a gap sync fills them)', () => {
      order.accept(message(5), 'live');
      expect(order.accept(message(3, { epoch: 'e2' }), 'live').verdict).toBe('buffered');
      expect(trace(syncReachesE2())).toEqual(['reset e1/5>e2/0 epoch']);
      expect(order.gapSize(CONV)).toBe(1);
      expect(seqs(order.accept(message(1, { epoch: 'e2' }), 'live').deliver)).toEqual([1]);
      expect(seqs(order.accept(message(2, { epoch: 'e2' }), 'live').deliver)).toEqual([2, 3]);
    });

    it('delivers what the old epoch held for a gap that can no longer fill, before the new epoch', () => {
      order.accept(message(1), 'live');
      order.accept(message(4), 'live');
      order.accept(message(3), 'live');
      order.accept(message(1, { epoch: 'e2' }), 'live');
      // Each hole is reported where it is: e1/2 never came, and whatever followed e1/4 in e1.
      expect(trace(syncReachesE2())).toEqual(['reset e1/1>e1/2 epoch', 'e1/3', 'e1/4', 'reset e1/4>e2/0 epoch', 'e2/1']);
    });

    it('delivers a late copy from a retired epoch once, without disturbing the new order', () => {
      order.accept(message(1), 'live');
      order.accept(message(1, { epoch: 'e2' }), 'live');
      syncReachesE2();
      expect(order.accept(message(1), 'live').verdict).toBe('duplicate'); // already delivered (same msgId)
      expect(seqs(order.accept(message(2), 'live').deliver)).toEqual([2]); // never seen: delivered
      expect(seqs(order.accept(message(2, { epoch: 'e2' }), 'live').deliver)).toEqual([2]);
      expect(order.positions()).toEqual([{ conversation: CONV, epoch: 'e2', seq: 2 }]);
    });

    it('enters a waiting epoch as it stands once the bound passed without a sync reaching it (delivery down)', () => {
      let now = 1_000;
      order.now = () => now;
      order.accept(message(1), 'live');
      order.accept(message(3), 'live');
      order.accept(message(1, { epoch: 'e2' }), 'live');
      now += order.epochHoldMs - 1;
      expect(order.expireWait(CONV)).toEqual([]);
      now += 1;
      expect(trace(order.expireWait(CONV))).toEqual(['reset e1/1>e1/2 epoch', 'e1/3', 'reset e1/3>e2/0 epoch', 'e2/1']);
      expect(order.epochWaitsExpired).toBe(1);
      expect(order.awaitsEpoch(CONV)).toBe(false);
    });
  });

  describe('offline pull', () => {
    it('parks live messages of unknown conversations until the pull ends, then orders them after the inbox', () => {
      order.beginSync();
      // A live push overtakes the pull: on its own it would become the starting point.
      expect(order.accept(message(7), 'live')).toEqual({ verdict: 'parked', deliver: [] });
      expect(order.accept(message(6), 'live').verdict).toBe('parked');
      expect(seqs(order.accept(message(4), 'offline').deliver)).toEqual([4]);
      expect(seqs(order.accept(message(5), 'offline').deliver)).toEqual([5]);
      expect(order.parkedCount).toBe(2);
      expect(seqs(order.endSync())).toEqual([6, 7]);
      expect(order.parkedCount).toBe(0);
    });

    it('does not park messages of conversations it already follows', () => {
      order.accept(message(1), 'live');
      order.beginSync();
      expect(seqs(order.accept(message(2), 'live').deliver)).toEqual([2]);
    });

    it('parks live messages of an epoch not delivered from yet, so the pull\'s old-epoch messages come first', () => {
      order.accept(message(1), 'live');
      order.beginSync();
      expect(order.accept(message(1, { epoch: 'e2' }), 'live').verdict).toBe('parked');
      expect(seqs(order.accept(message(2), 'live').deliver)).toEqual([2]); // the current epoch goes on
      expect(trace(order.accept(message(3), 'offline').deliver)).toEqual(['e1/3']);
      expect(trace(order.endSync())).toEqual([]); // then it waits for a sync to reach e2
      expect(trace(order.resetTo(CONV, { epoch: e('e2'), seq: 0 }))).toEqual(['reset e1/3>e2/0 epoch', 'e2/1']);
    });

    it('refuses to park beyond the limit (overflow: the caller does not ack, the server re-sends)', () => {
      const small = new ReceiveOrder({ ...limits, maxParked: 1 });
      small.beginSync();
      expect(small.accept(message(1), 'live').verdict).toBe('parked');
      expect(small.accept(message(2), 'live').verdict).toBe('overflow');
    });
  });

  describe('bounded memory', () => {
    it('refuses a message after a gap when the conversation already holds the maximum', () => {
      const small = new ReceiveOrder({ ...limits, maxBufferedPerConversation: 2 });
      small.accept(message(1), 'live');
      expect(small.accept(message(3), 'live').verdict).toBe('buffered');
      expect(small.accept(message(4), 'live').verdict).toBe('buffered');
      expect(small.accept(message(5), 'live').verdict).toBe('overflow');
      // The next in-order message is always taken.
      expect(seqs(small.accept(message(2), 'live').deliver)).toEqual([2, 3, 4]);
    });

    it('forgets the least recently active idle conversation beyond maxConversations', () => {
      const small = new ReceiveOrder({ ...limits, maxConversations: 2 });
      small.accept(message(1, { conversation: 'd:alice:a' }), 'live');
      small.accept(message(1, { conversation: 'd:alice:b' }), 'live');
      small.accept(message(2, { conversation: 'd:alice:a' }), 'live');
      small.accept(message(1, { conversation: 'd:alice:c' }), 'live');
      expect(small.positions().map((p) => p.conversation).sort()).toEqual(['d:alice:a', 'd:alice:c']);
    });
  });

  describe('own messages of this device and of our other devices', () => {
    beforeEach(() => order.setUser(asUserId('alice')));

    it('delivers a message our user sent from another device like any other', () => {
      order.accept(message(1), 'live');
      expect(seqs(order.accept(message(2, { from: 'alice', msgId: 'phone-1' }), 'live').deliver)).toEqual([2]);
    });

    it('never delivers a copy of a message sent from this device, found by msgId, but counts its seq', () => {
      order.ownSend(asMsgId('laptop-1'));
      order.accept(message(1), 'live');
      // The msg:A was lost; the message comes back in a sync page before the retransmit's msg:A.
      expect(order.accept(message(2, { from: 'alice', msgId: 'laptop-1' }), 'sync')).toEqual({ verdict: 'duplicate', deliver: [] });
      expect(seqs(order.accept(message(3), 'live').deliver)).toEqual([3]);
      expect(order.isOwnSend(asMsgId('laptop-1'))).toBe(true);
    });
  });

  describe('sync and resets', () => {
    it('does not park sync pages during the offline pull', () => {
      order.beginSync();
      expect(order.accept(message(1), 'sync').verdict).toBe('delivered');
    });

    it('reports its contiguous position, what it follows and the size of a gap', () => {
      expect(order.position(CONV)).toBeUndefined();
      order.accept(message(1), 'live');
      order.accept(message(3), 'live');
      order.accept(message(4), 'live');
      expect(order.position(CONV)).toEqual({ epoch: 'e1', seq: 1 });
      expect(order.gapSize(CONV)).toBe(2);
      expect(order.followed()).toEqual([{ conversation: CONV, epoch: 'e1', seq: 1 }]);
    });

    it('resetTo past the retention: held messages before the new start go first, each hole reported', () => {
      order.accept(message(1), 'live');
      order.accept(message(3), 'live');
      order.accept(message(60), 'live');
      expect(trace(order.resetTo(CONV, { epoch: e('e1'), seq: 49 }))).toEqual([
        'reset e1/1>e1/2 retention',
        'e1/3',
        'reset e1/3>e1/49 retention',
      ]);
      expect(order.position(CONV)).toEqual({ epoch: 'e1', seq: 49 });
      expect(order.gapSize(CONV)).toBe(1); // 60 still waits for 50..59, which the page brings
    });

    it('resetTo a new epoch retires the old one with a reset', () => {
      order.accept(message(1), 'live');
      expect(trace(order.resetTo(CONV, { epoch: e('e2'), seq: 0 }))).toEqual(['reset e1/1>e2/0 epoch']);
      expect(seqs(order.accept(message(1, { epoch: 'e2' }), 'sync').deliver)).toEqual([1]);
      expect(order.accept(message(1, { epoch: 'e2', msgId: 'other' }), 'live').verdict).toBe('duplicate');
    });

    it('resetTo makes the start of a conversation it had no state for, with no break to report', () => {
      expect(order.resetTo(CONV, { epoch: e('e1'), seq: 49 })).toEqual([]);
      expect(seqs(order.accept(message(50), 'sync').deliver)).toEqual([50]);
    });

    it('resetTo behind its position changes nothing', () => {
      order.accept(message(1), 'live');
      order.accept(message(2), 'live');
      expect(order.resetTo(CONV, { epoch: e('e1'), seq: 1 })).toEqual([]);
      expect(order.position(CONV)).toEqual({ epoch: 'e1', seq: 2 });
    });

    it('skipMissing gives up only the seqs the server has passed, with a reset for each hole', () => {
      order.accept(message(1), 'live');
      order.accept(message(4), 'live');
      order.accept(message(8), 'live');
      expect(trace(order.skipMissing(CONV, { epoch: e('e1'), seq: 5 }))).toEqual(['reset e1/1>e1/3 missing', 'e1/4', 'reset e1/4>e1/5 missing']);
      expect(order.gapSize(CONV)).toBe(1); // 6 and 7 are newer than the server's latest: still awaited
      expect(order.skipMissing(CONV, { epoch: e('e2'), seq: 9 })).toEqual([]); // another epoch: not about these seqs
      expect(trace(order.skipMissing(CONV, undefined))).toEqual(['reset e1/5>e1/7 missing', 'e1/8']);
      expect(order.gapSize(CONV)).toBe(0);
    });
  });

  it('continues from restored positions', () => {
    order.restore([{ conversation: asConversationId(CONV), epoch: e('e1'), seq: 4 }]);
    expect(order.accept(message(4), 'live').verdict).toBe('duplicate');
    expect(order.accept(message(6), 'live').verdict).toBe('buffered');
    expect(seqs(order.accept(message(5), 'live').deliver)).toEqual([5, 6]);
  });
});
