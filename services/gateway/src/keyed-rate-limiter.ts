// Token buckets by key (a user, a source address) for the connect limits. Memory stays
// small: an entry whose bucket has filled up again is forgotten (a fresh one would be the
// same), the table is swept at most once per refill time, and it never holds more than
// `maxKeys` entries (the oldest go first). Pure: the caller passes the time.
import { RateBucket, takeToken } from './rate-limiter';

export class KeyedRateLimiter {
  private readonly buckets = new Map<string, RateBucket>();
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
    return this.buckets.size;
  }

  /** Takes one token for `key`: 0 when allowed, else the whole seconds until the next token. */
  take(key: string, nowMs: number): number {
    this.sweep(nowMs);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
      bucket = { tokens: this.burst, refilledAt: nowMs };
      this.buckets.set(key, bucket);
    }
    if (takeToken(bucket, nowMs, this.ratePerSec, this.burst)) return 0;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSec));
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.sweptAt < Math.max(this.refillMs, 1_000)) return;
    this.sweptAt = nowMs;
    for (const [key, bucket] of this.buckets) {
      if (nowMs - bucket.refilledAt >= this.refillMs) this.buckets.delete(key);
    }
  }
}
