// Reconnect delays: full-jitter exponential backoff (the formula is @parley/protocol's
// `fullJitterMs`), counting the attempts since the last successful connection.
import { fullJitterMs, type BackoffPolicy } from '@parley/protocol';

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
    const delay = fullJitterMs(this.policy, this.attempt, this.random);
    this.attempt += 1;
    return delay;
  }

  /** Called after a successful connection: the next failure starts from the base delay again. */
  reset(): void {
    this.attempt = 0;
  }
}
