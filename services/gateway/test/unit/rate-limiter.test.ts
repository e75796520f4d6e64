// The per-connection frame limit and the flood rule (pure, on a hand-driven clock): a
// steady flood is closed after floodCloseMs over the limit however many of its frames get
// through, a client is told at most once a second, and a burst followed by calm is never closed.
import { FloodState, FULL_BUCKET, judgeFrame, RATE_LIMIT_QUIET_MS } from '../../src/rate-limiter';

const policy = { ratePerSec: 100, burst: 200, floodCloseMs: 5_000 };
const fresh = (): FloodState => ({ framesFullAt: FULL_BUCKET, refusals: undefined });

/** Sends `perSec` frames a second, evenly, for `ms`; counts each verdict and stops at a close. */
function drive(state: FloodState, from: number, perSec: number, ms: number) {
  const counts = { accept: 0, tell: 0, silent: 0, close: 0, closedAt: -1 };
  const gap = 1000 / perSec;
  for (let t = from; t < from + ms; t += gap) {
    const verdict = judgeFrame(state, t, policy);
    counts[verdict] += 1;
    if (verdict === 'close') {
      counts.closedAt = t;
      break;
    }
  }
  return counts;
}

describe('the frame rate limit and the flood rule', () => {
  it('closes a steady flood at 10x the rate after floodCloseMs over the limit, though a token comes every 10 ms', () => {
    const counts = drive(fresh(), 0, 10 * policy.ratePerSec, 20_000);
    expect(counts.close).toBe(1);
    // The burst (200 frames at 1,000/s with refill) runs out after about 0.22 s; 5 s later, the close.
    expect(counts.closedAt).toBeGreaterThanOrEqual(5_000);
    expect(counts.closedAt).toBeLessThan(5_500);
    expect(counts.accept).toBeGreaterThan(600); // frames got through all along: not a "run of refusals"
    expect(counts.tell).toBeLessThanOrEqual(6); // at most one error a second
    expect(counts.tell).toBeGreaterThanOrEqual(5);
  });

  it('never refuses a client at its rate', () => {
    const counts = drive(fresh(), 0, policy.ratePerSec, 60_000);
    expect(counts).toMatchObject({ tell: 0, silent: 0, close: 0 });
  });

  it('refuses the end of a burst, then forgets it after a quiet second: bursts with pauses are never closed', () => {
    const state = fresh();
    let now = 0;
    for (let round = 0; round < 10; round++) {
      const counts = drive(state, now, 100_000, 5); // 500 frames in 5 ms
      expect(counts.close).toBe(0);
      expect(counts.tell).toBe(1);
      now += 3_000; // quiet: the bucket refills and the period over the limit ends
      expect(judgeFrame(state, now, policy)).toBe('accept');
      expect(state.refusals).toBeUndefined(); // forgotten: a connection within its rate holds no record
    }
  });

  it('keeps a period over the limit going while refusals come less than a quiet second apart', () => {
    const state = fresh();
    drive(state, 0, 100_000, 3); // empties the bucket
    const start = state.refusals!.overLimitSince!;
    // 1.5x the rate: some frames pass, a refusal at least every few tens of ms
    const counts = drive(state, 10, 1.5 * policy.ratePerSec, 10_000);
    expect(state.refusals!.overLimitSince).toBe(start);
    expect(counts.close).toBe(1);
    expect(counts.closedAt - start).toBeGreaterThanOrEqual(policy.floodCloseMs);
    expect(counts.closedAt - start).toBeLessThan(policy.floodCloseMs + RATE_LIMIT_QUIET_MS);
  });
});
