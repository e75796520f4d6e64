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

  it('never holds more than maxKeys entries', () => {
    const limiter = new KeyedRateLimiter(1, 2, 10);
    for (let i = 0; i < 1_000; i++) limiter.take(`addr-${i}`, i);
    expect(limiter.size).toBeLessThanOrEqual(10);
  });
});
