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

  it('restarts a known conversation at seq 1 of a new epoch, releasing what was held in the old one', () => {
    const d = new OrderedDelivery<string>(() => 0);
    d.offer('e1', 1, 'a');
    d.offer('e1', 3, 'c');
    expect(d.offer('e2', 1, 'x')).toEqual(['c', 'x']);
    expect(d.position).toEqual({ epoch: 'e2', seq: 1 });
    expect(d.epochChanges).toBe(1);
  });

  it('holds a new epoch message beyond seq 1 until 1 comes, and never goes back to an old epoch', () => {
    const d = new OrderedDelivery<string>(() => 0);
    d.offer('e1', 5, 'a');
    expect(d.offer('e2', 2, 'y')).toEqual([]);
    expect(d.gapOpen).toBe(true);
    expect(d.offer('e1', 6, 'late')).toEqual(['late']); // a late copy from the old epoch goes to the ledger
    expect(d.position).toEqual({ epoch: 'e2', seq: 0 });
    expect(d.offer('e2', 1, 'x')).toEqual(['x', 'y']);
    expect(d.fill('e1', 7)).toEqual([]);
    expect(d.position).toEqual({ epoch: 'e2', seq: 2 });
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
