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

  it('decides the same at any clock reading (times are kept relative to the first call)', () => {
    const run = (start: number): number[] => {
      const limiter = new KeyedRateLimiter(2, 3, 4);
      const waits: number[] = [];
      const steps: Array<[string, number]> = [
        ['alice', 0], ['alice', 0], ['alice', 0], ['alice', 0], ['bob', 10], ['alice', 499], ['alice', 500],
        ['carol', 1_200], ['dave', 1_300], ['erin', 1_400], ['frank', 1_450], ['alice', 1_500], ['alice', 1_500], ['alice', 1_500], ['alice', 1_500],
        ['carol', 2_600], ['carol', 2_600], ['carol', 2_600], ['carol', 2_600], ['alice', 4_000],
      ];
      for (const [key, at] of steps) waits.push(limiter.take(key, start + at));
      return waits;
    };
    const fromZero = run(0);
    expect(fromZero.slice(0, 7)).toEqual([0, 0, 0, 1, 0, 1, 0]);
    expect(run(1_800_000_000_123)).toEqual(fromZero);
    expect(run(1_765_000_000_000.5)).toEqual(fromZero);
  });

  it('keeps the entries not yet full again, oldest first, when a sweep forgets most of the table', () => {
    const limiter = new KeyedRateLimiter(2, 30, 5); // one every 500 ms, 30 at once; at most 5 keys
    limiter.take('a', 0); // full again at 500
    limiter.take('b', 0); // 500
    for (let i = 0; i < 3; i++) limiter.take('c', 100); // 1,600
    for (let i = 0; i < 3; i++) limiter.take('d', 150); // 1,650
    limiter.take('e', 200); // 700
    limiter.take('x', 1_000); // a sweep: a, b and e forgotten, c and d kept (in that order), x added
    expect(limiter.size).toBe(3);
    limiter.take('y', 1_000);
    limiter.take('z', 1_000);
    limiter.take('w', 1_000); // five held: the oldest, c, goes
    expect(limiter.size).toBe(5);
    const waits = (key: string, times: number): number[] => Array.from({ length: times }, () => limiter.take(key, 1_000));
    expect(waits('d', 29).filter((wait) => wait === 0)).toHaveLength(28); // d kept its bucket: 28 more, not 30
    expect(waits('c', 30).every((wait) => wait === 0)).toBe(true); // c was forgotten: a full bucket again
  });

  it('never holds more than maxKeys entries', () => {
    const limiter = new KeyedRateLimiter(1, 2, 10);
    for (let i = 0; i < 1_000; i++) limiter.take(`addr-${i}`, i);
    expect(limiter.size).toBeLessThanOrEqual(10);
  });
});
