// Per-connection frame rate limit and flood detection, stored in the connection's own fields
// (no per-connection timers or objects until a frame is refused): a token bucket refilled at
// `ratePerSec` up to `burst`; a connection refused again and again is "over the limit", and
// one over it for `floodCloseMs` without a break is closed (4005 FLOOD). Pure: the caller
// passes the time.
//
// A bucket is kept as one number, the time it is full again (`fullAt`, ms; at or before now:
// full), rather than a token count and the time it was last refilled: taking a token moves
// `fullAt` one token's time later, and a take is allowed while `fullAt` is at most burst - 1
// tokens' time ahead (the generic cell rate algorithm). The decisions are those of tokens
// refilled at the rate; the state is one field where every connection holds one (a number
// that is not a small integer is a separate 16-byte heap object in V8, so fields count).

/** A bucket nobody took from yet: full at any time. */
export const FULL_BUCKET = 0;

/**
 * Takes one token from the bucket that is full again at `fullAt`: the bucket's new `fullAt`,
 * or undefined when it is empty (refused; the bucket is unchanged).
 */
export function takeToken(fullAt: number, nowMs: number, ratePerSec: number, burst: number): number | undefined {
  const tokenMs = 1000 / ratePerSec;
  const from = fullAt > nowMs ? fullAt : nowMs;
  if (from - nowMs > (burst - 1) * tokenMs) return undefined;
  return from + tokenMs;
}

/** Ms until the bucket full again at `fullAt` holds a token (≤ 0: it holds one now). */
export function tokenWaitMs(fullAt: number, nowMs: number, ratePerSec: number, burst: number): number {
  return fullAt - nowMs - ((burst - 1) * 1000) / ratePerSec;
}

/** What the flood rule remembers once a connection had a frame refused (times in ms). */
export interface RefusalTimes {
  /** Start of the current period over the limit; undefined when not over it. */
  overLimitSince: number | undefined;
  /** The last refused frame. */
  lastRefusedAt: number;
  /** The last RATE_LIMITED error written to the client; undefined = none yet. */
  lastToldAt: number | undefined;
}

/** A connection's frame bucket and, once one of its frames was refused, the flood rule's times. */
export interface FloodState {
  /** The frame bucket (see above); FULL_BUCKET for a new connection. */
  framesFullAt: number;
  /** Undefined until a frame is refused: a connection within its rate never pays for it. */
  refusals: RefusalTimes | undefined;
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
  const refusals = state.refusals;
  const quiet = refusals === undefined || nowMs - refusals.lastRefusedAt >= RATE_LIMIT_QUIET_MS;
  const fullAt = takeToken(state.framesFullAt, nowMs, policy.ratePerSec, policy.burst);
  if (fullAt !== undefined) {
    state.framesFullAt = fullAt;
    // A quiet second ends the period over the limit: a fresh connection's state again.
    if (quiet && refusals !== undefined) state.refusals = undefined;
    return 'accept';
  }
  const times = refusals ?? (state.refusals = { overLimitSince: undefined, lastRefusedAt: nowMs, lastToldAt: undefined });
  if (quiet || times.overLimitSince === undefined) times.overLimitSince = nowMs;
  times.lastRefusedAt = nowMs;
  if (nowMs - times.overLimitSince >= policy.floodCloseMs) return 'close';
  if (times.lastToldAt !== undefined && nowMs - times.lastToldAt < RATE_LIMIT_QUIET_MS) return 'silent';
  times.lastToldAt = nowMs;
  return 'tell';
}
