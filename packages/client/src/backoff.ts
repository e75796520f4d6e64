// Reconnect delays: exponential growth with "full jitter" (AWS Architecture Blog,
// "Exponential Backoff And Jitter"): attempt n waits random(0, min(max, base * 2^n)), so
// clients cut off together by a gateway restart do not all come back at the same instant.

export interface BackoffPolicy {
  /** The base delay (the ceiling of the first attempt), in ms; > 0. */
  readonly minDelayMs: number;
  /** The largest ceiling, in ms; >= minDelayMs. */
  readonly maxDelayMs: number;
}

/** min(max, base * 2^attempt): the largest delay attempt `attempt` (0-based) may wait. */
export function backoffCeilingMs(policy: BackoffPolicy, attempt: number): number {
  // 2^52 already exceeds any sane max; the cap keeps the product finite.
  const exponent = Math.min(Math.max(0, attempt), 52);
  return Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** exponent);
}

export class FullJitterBackoff {
  private attempt = 0;

  /** `random` returns a number in [0, 1), like Math.random (injectable for tests). */
  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt, in whole ms within [0, backoffCeilingMs(attempt)]. */
  next(): number {
    const ceiling = backoffCeilingMs(this.policy, this.attempt);
    this.attempt += 1;
    return Math.min(Math.floor(ceiling), Math.floor(this.random() * (ceiling + 1)));
  }

  /** Called after a successful connection: the next failure starts from the base delay again. */
  reset(): void {
    this.attempt = 0;
  }
}
