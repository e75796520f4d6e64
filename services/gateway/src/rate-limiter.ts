// Per-connection frame rate limit and flood detection, stored in the connection's own fields
// (no per-connection timers or objects): `tokens` refill at `ratePerSec` up to `burst`; a
// connection refused again and again is "over the limit", and one over it for
// `floodCloseMs` without a break is closed (4005 FLOOD). Pure: the caller passes the time.

export interface RateBucket {
  tokens: number;
  refilledAt: number;
}

/** Takes one token; returns false when the bucket is empty (the frame is refused). */
export function takeToken(bucket: RateBucket, nowMs: number, ratePerSec: number, burst: number): boolean {
  const elapsed = nowMs - bucket.refilledAt;
  if (elapsed > 0) {
    bucket.tokens = Math.min(burst, bucket.tokens + (elapsed * ratePerSec) / 1000);
    bucket.refilledAt = nowMs;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** A connection's frame bucket and what the flood rule remembers (times in ms, -Infinity = never). */
export interface FloodState extends RateBucket {
  /** Start of the current period over the limit; -Infinity when not over it. */
  overLimitSince: number;
  /** The last refused frame. */
  lastRefusedAt: number;
  /** The last RATE_LIMITED error written to the client. */
  lastToldAt: number;
}

export interface FloodPolicy {
  readonly ratePerSec: number;
  /** Frames a connection may send at once after being quiet (the bucket's size). */
  readonly burst: number;
  /** Time over the limit without a break before the connection is closed (FLOOD). */
  readonly floodCloseMs: number;
}

/**
 * A period over the limit ends after this long without a refused frame. A steady flood earns
 * a token every few ms, so accepted frames alone never end it: only a quiet second does.
 * It is also the least time between two RATE_LIMITED errors on one connection.
 */
export const RATE_LIMIT_QUIET_MS = 1_000;

/**
 * What to do with one frame: `accept` it; refuse it and `tell` the client (one RATE_LIMITED
 * error per RATE_LIMIT_QUIET_MS at most); refuse it `silently`; or `close` the connection.
 */
export type FrameVerdict = 'accept' | 'tell' | 'silent' | 'close';

export function judgeFrame(state: FloodState, nowMs: number, policy: FloodPolicy): FrameVerdict {
  const quiet = nowMs - state.lastRefusedAt >= RATE_LIMIT_QUIET_MS;
  if (takeToken(state, nowMs, policy.ratePerSec, policy.burst)) {
    if (quiet) state.overLimitSince = -Infinity;
    return 'accept';
  }
  if (quiet || state.overLimitSince === -Infinity) state.overLimitSince = nowMs;
  state.lastRefusedAt = nowMs;
  if (nowMs - state.overLimitSince >= policy.floodCloseMs) return 'close';
  if (nowMs - state.lastToldAt < RATE_LIMIT_QUIET_MS) return 'silent';
  state.lastToldAt = nowMs;
  return 'tell';
}
