// A receiver (1:1 or group) shows messages in seq order, holds them behind a gap, acks only the
// contiguous prefix, counts its own msg:A seqs as filled, and says when a gap needs a sync.
import { OrderedDelivery } from '../../src/ordered-delivery';

describe('OrderedDelivery', () => {
  it('holds a live push that overtook the inbox until the gap fills, then releases in order', () => {
    const d = new OrderedDelivery<string>(() => 0);
    expect(d.offer('e', 40, 'm40')).toEqual(['m40']);
    expect(d.offer('e', 44, 'm44')).toEqual([]);
    expect(d.position).toEqual({ epoch: 'e', seq: 40 });
    expect(d.offer('e', 41, 'm41')).toEqual(['m41']);
    expect(d.offer('e', 44, 'm44')).toEqual([]); // a re-push of a held seq is dropped
    expect(d.offer('e', 43, 'm43')).toEqual([]);
    expect(d.offer('e', 42, 'm42')).toEqual(['m42', 'm43', 'm44']);
    expect(d.position).toEqual({ epoch: 'e', seq: 44 });
    expect(d.offer('e', 42, 'm42')).toEqual(['m42']); // a repeat goes to the ledger (redelivered)
  });

  it('counts its own messages (msg:A) as filled seqs', () => {
    const d = new OrderedDelivery<string>(() => 0);
    d.offer('e', 1, 'm1');
    expect(d.offer('e', 3, 'm3')).toEqual([]);
    expect(d.fill('e', 2)).toEqual(['m3']);
    expect(d.fill('e', 5)).toEqual([]);
    expect(d.offer('e', 4, 'm4')).toEqual(['m4']);
    expect(d.position).toEqual({ epoch: 'e', seq: 5 });
  });

  it('does not start a conversation at its own position: a peer\'s earlier messages still on their way come first', () => {
    const d = new OrderedDelivery<string>(() => 0);
    // Our msg:A for seq 3 overtook the peer's seqs 1 and 2 (pushed late: re-pushed after a lost push).
    expect(d.fill('e', 3)).toEqual([]);
    expect(d.position).toBeUndefined();
    expect(d.offer('e', 2, 'm2')).toEqual(['m2']); // the first message seen starts it (receiver rule 3) ...
    expect(d.position).toEqual({ epoch: 'e', seq: 3 }); // ... and our seq 3 right after it is filled
    expect(d.offer('e', 4, 'm4')).toEqual(['m4']);
  });

  it('starts at an own seq 1, the true start, and counts the own seqs it learnt before', () => {
    const d = new OrderedDelivery<string>(() => 0);
    expect(d.fill('e', 3)).toEqual([]);
    expect(d.fill('e', 1)).toEqual([]);
    expect(d.position).toEqual({ epoch: 'e', seq: 1 });
    expect(d.offer('e', 2, 'm2')).toEqual(['m2']);
    expect(d.position).toEqual({ epoch: 'e', seq: 3 });
    // A message past own seqs before the start is held behind its gap as usual.
    const e = new OrderedDelivery<string>(() => 0);
    e.fill('e', 5);
    expect(e.offer('e', 2, 'm2')).toEqual(['m2']);
    expect(e.offer('e', 4, 'm4')).toEqual([]);
    expect(e.offer('e', 3, 'm3')).toEqual(['m3', 'm4']);
    expect(e.position).toEqual({ epoch: 'e', seq: 5 });
  });

  it('syncs a gap once after the grace, then backs off (full jitter, doubling) while it persists, and forgets it once filled', () => {
    let now = 1000;
    let draw = 0.5;
    const d = new OrderedDelivery<string>(() => now, { graceMs: 1000, maxBackoffMs: 30_000, answerTimeoutMs: 10_000 }, () => draw);
    d.offer('e', 1, 'm1');
    d.offer('e', 3, 'm3');
    now = 1500;
    expect(d.syncDue()).toBe(false);
    now = 2000;
    expect(d.syncDue()).toBe(true);
    d.syncing(); // attempt 1: next after 0.5 x min(30 s, 1 s x 2) = 1 s, and not while unanswered
    d.synced();
    now = 2999;
    expect(d.syncDue()).toBe(false);
    now = 3000;
    expect(d.syncDue()).toBe(true);
    d.syncing(); // attempt 2: 0.5 x 4 s
    now = 4500;
    expect(d.syncDue()).toBe(false); // unanswered, and the backoff runs
    d.synced();
    expect(d.syncDue()).toBe(false);
    now = 5000;
    expect(d.syncDue()).toBe(true);
    draw = 0.999;
    for (let i = 0; i < 10; i++) {
      d.syncing();
      d.synced();
    }
    now += 29_000;
    expect(d.syncDue()).toBe(false);
    now += 1000; // capped at 30 s
    expect(d.syncDue()).toBe(true);
    d.offer('e', 2, 'm2');
    now += 100_000;
    expect(d.syncDue()).toBe(false);
    expect(d.gapOpen).toBe(false);
  });

  it('does not sync again while a sync is unanswered, until the answer timeout', () => {
    let now = 0;
    const d = new OrderedDelivery<string>(() => now, { graceMs: 1000, maxBackoffMs: 30_000, answerTimeoutMs: 10_000 }, () => 0);
    d.offer('e', 1, 'm1');
    d.offer('e', 3, 'm3');
    now = 1000;
    d.syncing();
    now = 9999;
    expect(d.syncDue()).toBe(false);
    now = 11_000;
    expect(d.syncDue()).toBe(true);
  });

  it('enters a new epoch only through a sync: its messages and own seqs wait, old-epoch ones keep coming first', () => {
    const now = 1_000;
    const d = new OrderedDelivery<string>(() => now, { graceMs: 1000, maxBackoffMs: 30_000, answerTimeoutMs: 10_000, epochHoldMs: 60_000 }, () => 0.5);
    d.offer('e1', 1, 'a');
    expect(d.fill('e2', 1)).toEqual([]); // our own message, sequenced after the loss
    expect(d.offer('e2', 2, 'y')).toEqual([]); // pushed before delivery got through the old epoch's backlog
    expect(d.epochWaiting).toBe(true);
    expect(d.syncDue()).toBe(true); // at once, no grace
    d.syncing();
    expect(d.syncDue()).toBe(false);
    expect(d.position).toEqual({ epoch: 'e1', seq: 1 }); // the sync goes from here
    // The sync's first page: what is left of e1 (a late push of e1 delivers the same way).
    expect(d.offer('e1', 2, 'b')).toEqual(['b']);
    expect(d.offer('e1', 4, 'd')).toEqual([]); // e1 #3 never comes (its sender's retransmit went to e2)
    // The reset page (e2 from seq 1): the held e1 message goes first, then what waited for e2.
    expect(d.reset('e2', 1)).toEqual(['d', 'y']);
    expect(d.fill('e2', 1)).toEqual([]); // the page's copy of our own message
    expect(d.offer('e2', 2, 'y')).toEqual(['y']); // the page's copy of y: a repeat, judged by the ledger
    expect(d.position).toEqual({ epoch: 'e2', seq: 2 });
    expect(d.epochWaiting).toBe(false);
    expect(d.epochChanges).toBe(1);
    expect(d.offer('e1', 5, 'late')).toEqual(['late']); // after the switch a late e1 copy goes to the ledger
  });

  it('delivers what waited for the new epoch after the reset page, in seq order', () => {
    const d = new OrderedDelivery<string>(() => 0);
    d.offer('e1', 7, 'a');
    expect(d.offer('e2', 3, 'z')).toEqual([]);
    expect(d.offer('e2', 2, 'y')).toEqual([]);
    expect(d.reset('e2', 1)).toEqual([]); // z and y wait for seq 1 of the page
    expect(d.offer('e2', 1, 'x')).toEqual(['x', 'y', 'z']);
    expect(d.gapOpen).toBe(false);
  });

  it('syncs a waiting epoch again with backoff while no answer reaches it, and enters it as it stands after the bound', () => {
    let now = 0;
    const d = new OrderedDelivery<string>(() => now, { graceMs: 1000, maxBackoffMs: 30_000, answerTimeoutMs: 10_000, epochHoldMs: 60_000 }, () => 1);
    d.offer('e1', 1, 'a');
    d.offer('e1', 3, 'c');
    d.offer('e2', 1, 'x');
    expect(d.syncDue()).toBe(true);
    d.syncing(); // next one no sooner than 2 s
    d.synced(); // answered, but the new epoch was not in it (delivery not there yet)
    now = 1_999;
    expect(d.syncDue()).toBe(false);
    now = 2_000;
    expect(d.syncDue()).toBe(true);
    d.syncing(); // ... 4 s
    now = 59_999;
    expect(d.expireWait()).toEqual([]);
    now = 60_000;
    expect(d.expireWait()).toEqual(['c', 'x']); // the old epoch's held message, then the new epoch as it stands
    expect(d.epochHoldsExpired).toBe(1);
    expect(d.position).toEqual({ epoch: 'e2', seq: 1 });
    expect(d.epochWaiting).toBe(false);
  });

  it('continues from a reset sync page, releasing what it held', () => {
    const d = new OrderedDelivery<string>(() => 0);
    d.offer('e1', 1, 'a');
    d.offer('e1', 4, 'd');
    expect(d.reset('e2', 7)).toEqual(['d']);
    expect(d.offer('e2', 7, 'g')).toEqual(['g']);
    expect(d.position).toEqual({ epoch: 'e2', seq: 7 });
    expect(d.gapOpen).toBe(false);
  });
});
