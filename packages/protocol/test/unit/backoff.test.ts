import fc from 'fast-check';
import { backoffCeilingMs, equalJitterMs, fullJitterMs, type BackoffPolicy } from '../../src/backoff';

// Every retry delay of parley (SDK reconnects and retransmits, delivery re-pushes, bus
// re-deliveries, Redis reconnects) is one of these two functions: their properties hold for
// any policy a caller may configure and any attempt number, huge ones included.

const policyArb: fc.Arbitrary<BackoffPolicy> = fc
  .tuple(fc.double({ min: 0.001, max: 1e9, noNaN: true }), fc.double({ min: 1, max: 1e6, noNaN: true }))
  .map(([minDelayMs, factor]) => ({ minDelayMs, maxDelayMs: minDelayMs * factor }));
const wholeMsPolicyArb: fc.Arbitrary<BackoffPolicy> = fc
  .tuple(fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 0, max: 3_600_000 }))
  .map(([minDelayMs, extra]) => ({ minDelayMs, maxDelayMs: minDelayMs + extra }));
const attemptArb = fc.oneof(fc.integer({ min: -5, max: 64 }), fc.integer({ min: 0, max: 1e9 }));
/** Like Math.random: [0, 1), its ends included. */
const randomValueArb = fc.oneof(fc.constantFrom(0, 0.5, 1 - Number.EPSILON), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }));

describe('backoffCeilingMs', () => {
  it('doubles from the base and stops at the max', () => {
    const policy = { minDelayMs: 500, maxDelayMs: 30_000 };
    expect(Array.from({ length: 9 }, (_, n) => backoffCeilingMs(policy, n))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('counts attempts below 0 as attempt 0', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: -1e9, max: 0 }), (policy, attempt) => {
        expect(backoffCeilingMs(policy, attempt)).toBe(policy.minDelayMs);
      }),
    );
  });

  it('stays within [base, max] and finite, whatever the attempt', () => {
    fc.assert(
      fc.property(policyArb, attemptArb, (policy, attempt) => {
        const ceiling = backoffCeilingMs(policy, attempt);
        expect(Number.isFinite(ceiling)).toBe(true);
        expect(ceiling).toBeGreaterThanOrEqual(policy.minDelayMs);
        expect(ceiling).toBeLessThanOrEqual(policy.maxDelayMs);
      }),
    );
    expect(backoffCeilingMs({ minDelayMs: 30_000, maxDelayMs: 30_000 }, 10_000)).toBe(30_000);
    expect(backoffCeilingMs({ minDelayMs: 1, maxDelayMs: Number.MAX_VALUE }, 5_000)).toBe(2 ** 52);
  });

  it('never decreases from one attempt to the next, and doubles until it reaches the max', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 60 }), (policy, attempt) => {
        const now = backoffCeilingMs(policy, attempt);
        const next = backoffCeilingMs(policy, attempt + 1);
        expect(next).toBeGreaterThanOrEqual(now);
        expect(next).toBe(Math.min(policy.maxDelayMs, now * 2));
      }),
    );
  });

  it('reaches the max and stays there', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 1000 }), (policy, beyond) => {
        const reached = Math.ceil(Math.log2(policy.maxDelayMs / policy.minDelayMs));
        expect(backoffCeilingMs(policy, reached + 1 + beyond)).toBe(policy.maxDelayMs);
      }),
    );
  });
});

describe('fullJitterMs', () => {
  it('is a whole number of ms in [0, floor(ceiling)], for any policy, attempt and random value', () => {
    fc.assert(
      fc.property(policyArb, attemptArb, randomValueArb, (policy, attempt, value) => {
        const delay = fullJitterMs(policy, attempt, () => value);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.floor(backoffCeilingMs(policy, attempt)));
      }),
    );
  });

  it('spans the whole range: 0 at the lowest random value, the ceiling at the highest', () => {
    fc.assert(
      fc.property(wholeMsPolicyArb, attemptArb, (policy, attempt) => {
        expect(fullJitterMs(policy, attempt, () => 0)).toBe(0);
        expect(fullJitterMs(policy, attempt, () => 1 - Number.EPSILON)).toBe(backoffCeilingMs(policy, attempt));
      }),
    );
  });

  it('grows with the random value (the same draw never waits less for a larger one)', () => {
    fc.assert(
      fc.property(policyArb, attemptArb, randomValueArb, randomValueArb, (policy, attempt, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(fullJitterMs(policy, attempt, () => low)).toBeLessThanOrEqual(fullJitterMs(policy, attempt, () => high));
      }),
    );
  });

  it('the same random value never waits less at a later attempt (the cap only rises)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 60 }), randomValueArb, (policy, attempt, value) => {
        expect(fullJitterMs(policy, attempt + 1, () => value)).toBeGreaterThanOrEqual(fullJitterMs(policy, attempt, () => value));
      }),
    );
  });

  it('draws every whole ms of a small range about equally often', () => {
    // Ceiling 3 ms: four outcomes 0..3, each a quarter of [0, 1).
    const counts = [0, 0, 0, 0];
    const steps = 4000;
    for (let i = 0; i < steps; i++) counts[fullJitterMs({ minDelayMs: 3, maxDelayMs: 3 }, 0, () => i / steps)]! += 1;
    expect(counts).toEqual([1000, 1000, 1000, 1000]);
  });

  it('asks the random source once per delay and defaults to Math.random', () => {
    let calls = 0;
    fullJitterMs({ minDelayMs: 10, maxDelayMs: 100 }, 3, () => {
      calls += 1;
      return 0.3;
    });
    expect(calls).toBe(1);
    const delay = fullJitterMs({ minDelayMs: 10, maxDelayMs: 100 }, 3);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(80);
  });
});

describe('equalJitterMs', () => {
  it('is a whole number of ms in the upper half of the ceiling, for any policy, attempt and random value', () => {
    fc.assert(
      fc.property(policyArb, attemptArb, randomValueArb, (policy, attempt, value) => {
        const ceiling = backoffCeilingMs(policy, attempt);
        const delay = equalJitterMs(policy, attempt, () => value);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(Math.round(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(Math.round(ceiling));
      }),
    );
  });

  it('is half the ceiling at the lowest random value and grows with it', () => {
    fc.assert(
      fc.property(wholeMsPolicyArb, attemptArb, randomValueArb, randomValueArb, (policy, attempt, a, b) => {
        expect(equalJitterMs(policy, attempt, () => 0)).toBe(Math.round(backoffCeilingMs(policy, attempt) / 2));
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(equalJitterMs(policy, attempt, () => low)).toBeLessThanOrEqual(equalJitterMs(policy, attempt, () => high));
      }),
    );
  });
});
