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

  it('reports a gap older than the grace, restarts it on sync, forgets it once filled', () => {
    let now = 1000;
    const d = new OrderedDelivery<string>(() => now);
    d.offer('e', 1, 'm1');
    d.offer('e', 3, 'm3');
    now = 1500;
    expect(d.gapOlderThan(1000)).toBe(false);
    now = 2000;
    expect(d.gapOlderThan(1000)).toBe(true);
    d.syncing();
    expect(d.gapOlderThan(1000)).toBe(false);
    d.offer('e', 2, 'm2');
    now = 9000;
    expect(d.gapOlderThan(1000)).toBe(false);
  });

  it('restarts at a new epoch, releasing what was held in the old one', () => {
    const d = new OrderedDelivery<string>(() => 0);
    d.offer('e1', 1, 'a');
    d.offer('e1', 3, 'c');
    expect(d.offer('e2', 1, 'x')).toEqual(['c', 'x']);
    expect(d.position).toEqual({ epoch: 'e2', seq: 1 });
  });
});
