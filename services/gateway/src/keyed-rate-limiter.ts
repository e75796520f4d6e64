// Token buckets by key (a user, a source address) for the connect limits. Memory stays
// small: each entry is one number, the time its bucket is full again (rate-limiter.ts); an
// entry whose bucket has filled up again is forgotten (a fresh one would be the same), the
// table is swept at most once per refill time, and it never holds more than `maxKeys`
// entries (the oldest go first). Pure: the caller passes the time.
import { FULL_BUCKET, takeToken, tokenWaitMs } from './rate-limiter';

export class KeyedRateLimiter {
  private readonly fullAt = new Map<string, number>();
  private sweptAt = -Infinity;
  /** Time an empty bucket takes to fill up, in ms: after that, an entry carries nothing. */
  private readonly refillMs: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly maxKeys: number,
  ) {
    this.refillMs = (burst / ratePerSec) * 1000;
  }

  /** Entries held now. */
  get size(): number {
    return this.fullAt.size;
  }

  /** Takes one token for `key`: 0 when allowed, else the whole seconds until the next token. */
  take(key: string, nowMs: number): number {
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
    if (nowMs - this.sweptAt < Math.max(this.refillMs, 1_000)) return;
    this.sweptAt = nowMs;
    // forEach, not for..of: no [key, value] array per entry of a table of up to maxKeys.
    this.fullAt.forEach((fullAt, key) => {
      if (fullAt <= nowMs) this.fullAt.delete(key);
    });
  }
}
