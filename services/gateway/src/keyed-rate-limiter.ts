// Token buckets by key (a user, a source address) for the connect limits. Memory stays
// small: each entry is one number, the time its bucket is full again (rate-limiter.ts); an
// entry whose bucket has filled up again is forgotten (a fresh one would be the same), the
// table is swept at most once a second (or once per token, when a token takes longer), and it
// never holds more than `maxKeys` entries (the oldest go first). Pure: the caller passes the time.
//
// Why a second and not the whole refill time: a key that connected once is full again one
// token later (0.5 s at the default 120 per minute), while a full refill takes 15 s (a burst of
// 30): swept once per refill, a reconnect storm kept 15 s of users in the table (an entry, its
// boxed time and the table's slack, ~80 bytes each) after their buckets were full. A sweep
// visits every entry, so it stays bounded to once a second.
//
// What a reconnect storm leaves in the old generation: the times are kept in ms since the
// first call (`origin`), so a whole-ms time (every default rate) is a small integer stored in
// the table itself, not a 16-byte heap number allocated per take; and a sweep that forgets
// most of the table copies the rest into a new one (one table, in the same order) instead of
// deleting entry by entry, which made V8 shrink the table again and again (a new table each
// halving). Both lived a second or so, long enough to be promoted during a storm.
import { FULL_BUCKET, takeToken, tokenWaitMs } from './rate-limiter';

export class KeyedRateLimiter {
  /** Per key, the time its bucket is full again, in ms since `origin`. */
  private fullAt = new Map<string, number>();
  /** The time of the first call: every time kept is relative to it. */
  private origin: number | undefined;
  private sweptAt = -Infinity;
  /** Least time between two sweeps, in ms. */
  private readonly sweepEveryMs: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly maxKeys: number,
  ) {
    this.sweepEveryMs = Math.max(1_000, 1_000 / ratePerSec);
  }

  /** Entries held now. */
  get size(): number {
    return this.fullAt.size;
  }

  /** Takes one token for `key`: 0 when allowed, else the whole seconds until the next token. */
  take(key: string, nowMs: number): number {
    this.origin ??= nowMs;
    return this.takeAt(key, nowMs - this.origin);
  }

  /** `take` with `nowMs` since `origin`. */
  private takeAt(key: string, nowMs: number): number {
    this.sweep(nowMs);
    const held = this.fullAt.get(key);
    if (held === undefined && this.fullAt.size >= this.maxKeys) {
      const oldest = this.fullAt.keys().next();
      if (!oldest.done) this.fullAt.delete(oldest.value);
    }
    const bucket = held ?? FULL_BUCKET;
    const taken = takeToken(bucket, nowMs, this.ratePerSec, this.burst);
    if (taken !== undefined) {
      this.fullAt.set(key, taken);
      return 0;
    }
    return Math.max(1, Math.ceil(tokenWaitMs(bucket, nowMs, this.ratePerSec, this.burst) / 1000));
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.sweptAt < this.sweepEveryMs) return;
    this.sweptAt = nowMs;
    // forEach, not for..of: no [key, value] array per entry of a table of up to maxKeys.
    let kept = 0;
    this.fullAt.forEach((fullAt) => {
      if (fullAt > nowMs) kept++;
    });
    if (kept === this.fullAt.size) return;
    if (kept * 2 >= this.fullAt.size) {
      this.fullAt.forEach((fullAt, key) => {
        if (fullAt <= nowMs) this.fullAt.delete(key);
      });
      return;
    }
    const rest = new Map<string, number>();
    this.fullAt.forEach((fullAt, key) => {
      if (fullAt > nowMs) rest.set(key, fullAt);
    });
    this.fullAt = rest;
  }
}
