// The webhook retry schedule: doubling from the base, capped, jittered into the upper half of
// the nominal wait, and given up only once the first failure is PARLEY_WEBHOOK_RETRY_FOR_MS old.
import { retryDelayMs, retryExhausted } from '../../src/webhook-retry';

const policy = { baseMs: 1_000, maxMs: 60_000, retryForMs: 3_600_000 };

describe('webhook retry schedule', () => {
  it('doubles from the base up to the cap; jitter keeps each wait within the upper half', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => retryDelayMs(policy, n, 1))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect([1, 2, 7].map((n) => retryDelayMs(policy, n, 0))).toEqual([500, 1_000, 30_000]);
    for (const random of [0, 0.25, 0.999]) {
      const wait = retryDelayMs(policy, 3, random);
      expect(wait).toBeGreaterThanOrEqual(2_000);
      expect(wait).toBeLessThanOrEqual(4_000);
    }
  });

  it('defaults keep retrying for an hour: about 85 attempts, then the dead-letter topic', () => {
    let elapsed = 0;
    let attempts = 1;
    while (!retryExhausted(policy, 0, elapsed)) {
      elapsed += retryDelayMs(policy, attempts, 0.5);
      attempts += 1;
    }
    expect(elapsed).toBeGreaterThanOrEqual(3_600_000);
    expect(attempts).toBeGreaterThan(80);
    expect(attempts).toBeLessThan(90);
    expect(retryExhausted(policy, 1_000, 3_600_999)).toBe(false);
    expect(retryExhausted(policy, 1_000, 3_601_000)).toBe(true);
  });
});
