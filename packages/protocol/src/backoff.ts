// Exponential backoff, the one formula behind every retry delay (the SDK's reconnects and
// retransmits, delivery's re-pushes, the bus's re-deliveries, Redis reconnects): attempt n
// may wait up to min(max, base × 2^n). With full jitter (AWS Architecture Blog, "Exponential
// Backoff And Jitter") the wait is random(0, that ceiling), so clients cut off together by a
// gateway restart do not all come back at the same instant; with equal jitter it is random in
// the upper half, for retries that must not come back much sooner than the nominal delay. Lives in the protocol package
// because the SDK and the servers both use it and the SDK depends on nothing else of parley.

export interface BackoffPolicy {
  /** The base delay (the ceiling of attempt 0), in ms; > 0. */
  readonly minDelayMs: number;
  /** The largest ceiling, in ms; >= minDelayMs. */
  readonly maxDelayMs: number;
}

/** base × 2^52 already exceeds any sane maximum; capping the exponent keeps the product finite. */
const MAX_EXPONENT = 52;

/**
 * min(max, base × 2^attempt): the longest attempt `attempt` (0-based; below 0 counts as 0)
 * may wait, in ms. Never decreases as `attempt` grows, and doubles until it reaches the max.
 */
export function backoffCeilingMs(policy: BackoffPolicy, attempt: number): number {
  const exponent = Math.min(Math.max(0, attempt), MAX_EXPONENT);
  return Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** exponent);
}

/**
 * Full jitter: a whole number of ms, uniformly one of 0..floor(backoffCeilingMs(policy,
 * attempt)). `random` returns a number in [0, 1), like Math.random (injected in tests).
 */
export function fullJitterMs(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(policy, attempt);
  return Math.min(Math.floor(ceiling), Math.floor(random() * (ceiling + 1)));
}

/**
 * Equal jitter: the ceiling scaled into its upper half, rounded to whole ms (ceiling / 2 +
 * random × ceiling / 2), so retries that failed together spread out and none waits less than
 * half the nominal delay. `random` returns a number in [0, 1).
 */
export function equalJitterMs(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(policy, attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
