// Token buckets by key: the burst, the rate after it, the seconds to wait, and memory that
// stays small (entries forgotten once full again, never more than maxKeys).
import { KeyedRateLimiter } from '../../src/keyed-rate-limiter';

describe('token buckets by key', () => {
  it('allows the burst, then the rate, and says how many whole seconds to wait', () => {
    const limiter = new KeyedRateLimiter(0.5, 3, 100); // one every 2 s, 3 at once
    expect([0, 1, 2].map(() => limiter.take('alice', 0))).toEqual([0, 0, 0]);
    expect(limiter.take('alice', 0)).toBe(2);
    expect(limiter.take('bob', 0)).toBe(0); // keys are independent
    expect(limiter.take('alice', 1_000)).toBe(1);
    expect(limiter.take('alice', 2_000)).toBe(0);
    expect(limiter.take('alice', 2_100)).toBe(2);
  });

  it('forgets an entry once its bucket is full again, so idle keys cost nothing', () => {
    const limiter = new KeyedRateLimiter(1, 10, 100);
    for (let i = 0; i < 50; i++) limiter.take(`addr-${i}`, 0);
    expect(limiter.size).toBe(50);
    limiter.take('late', 10_000);
    expect(limiter.size).toBe(1);
  });

  it('forgets an entry about a second after its bucket is full again, not a whole refill time later', () => {
    // The gateway's per-user default: 120 a minute, 30 at once (a full refill takes 15 s).
    const limiter = new KeyedRateLimiter(2, 30, 100_000);
    for (let i = 0; i < 50; i++) limiter.take(`user-${i}`, 0); // each full again at 500 ms
    limiter.take('later', 600); // full again at 1,100; no sweep within the second
    expect(limiter.size).toBe(51);
    limiter.take('last', 1_000); // a sweep: the 50 are full again, 'later' is not
    expect(limiter.size).toBe(2);
  });

  it('keeps the decisions of a key whose bucket is not full again across sweeps', () => {
    const limiter = new KeyedRateLimiter(2, 3, 100); // one every 500 ms, 3 at once
    expect([0, 1, 2].map(() => limiter.take('alice', 0))).toEqual([0, 0, 0]);
    limiter.take('bob', 1_200); // a sweep: alice is full again only at 1,500
    expect(limiter.take('alice', 1_200)).toBe(0);
    expect(limiter.take('alice', 1_200)).toBe(0);
    expect(limiter.take('alice', 1_200)).toBe(1); // her bucket was not forgotten (a fresh one would allow 3)
  });

  it('never holds more than maxKeys entries', () => {
    const limiter = new KeyedRateLimiter(1, 2, 10);
    for (let i = 0; i < 1_000; i++) limiter.take(`addr-${i}`, i);
    expect(limiter.size).toBeLessThanOrEqual(10);
  });
});
