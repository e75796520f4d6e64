// Per-connection token bucket, stored in the connection's own fields (no per-connection
// timers or objects): `tokens` refill at `ratePerSec` up to `burst`.

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
