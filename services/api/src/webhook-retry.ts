// When an endpoint tries a failed event again: exponential backoff with jitter, capped, for a
// bounded time. Pure: the caller owns the clock, the random source and the waiting.
import { equalJitterMs } from '@parley/protocol';

export interface RetryPolicy {
  /** Wait after the first failure, in ms; doubled at each further one. */
  readonly baseMs: number;
  /** Longest wait, in ms. */
  readonly maxMs: number;
  /** Retrying stops (the event is dead-lettered) once the first failure is this old, in ms. */
  readonly retryForMs: number;
}

/**
 * The wait before attempt `failures + 1`, after `failures` (≥ 1) failures in a row: the capped
 * exponential delay scaled by `random` into its upper half ("equal jitter"), so endpoints that
 * failed together do not retry in lockstep, and no wait is shorter than half the nominal one.
 */
export function retryDelayMs(policy: RetryPolicy, failures: number, random: number): number {
  return equalJitterMs({ minDelayMs: policy.baseMs, maxDelayMs: policy.maxMs }, failures - 1, () => random);
}

/** Whether an event that first failed at `firstFailureAt` must be given up now (dead-lettered) rather than tried again. */
export function retryExhausted(policy: RetryPolicy, firstFailureAt: number, now: number): boolean {
  return now - firstFailureAt >= policy.retryForMs;
}
