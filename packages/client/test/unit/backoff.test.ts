import { FullJitterBackoff } from '../../src/backoff';

describe('full-jitter reconnect backoff', () => {
  const policy = { minDelayMs: 500, maxDelayMs: 30_000 };

  it('keeps every delay within [0, min(max, base * 2^n)], whatever the random source', () => {
    const sources: Array<[string, () => number]> = [
      ['always 0', () => 0],
      ['almost 1', () => 0.999_999_999],
      ['Math.random', Math.random],
    ];
    for (const [, random] of sources) {
      const backoff = new FullJitterBackoff(policy, random);
      for (let n = 0; n < 200; n++) {
        const delay = backoff.next();
        const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** n);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('spreads delays over the whole range (full jitter), reaching the ceiling', () => {
    const low = new FullJitterBackoff(policy, () => 0);
    const high = new FullJitterBackoff(policy, () => 0.999_999_999);
    const lows = Array.from({ length: 8 }, () => low.next());
    const highs = Array.from({ length: 8 }, () => high.next());
    expect(lows).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(highs).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('starts from the base delay again after reset (a successful welcome)', () => {
    const backoff = new FullJitterBackoff(policy, () => 0.999_999_999);
    backoff.next();
    backoff.next();
    backoff.next();
    expect(backoff.attempts).toBe(3);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(500);
  });
});
