// When delivery pushes msg:N again to a receiver that has not acked it, and when it
// stops trying (the message then waits in the receiver's inbox).

export interface RedeliveryPolicy {
  /** Wait before the first re-push, in ms. */
  readonly ackTimeoutMs: number;
  /** Re-pushes after the first push before giving up. */
  readonly maxRedeliveries: number;
  /** Upper bound of the wait between re-pushes, in ms. */
  readonly maxBackoffMs: number;
}

/** Delay before re-push number `attempt` (1-based): ackTimeout, x2, x4, ... capped. */
export function redeliveryDelayMs(policy: RedeliveryPolicy, attempt: number): number {
  return Math.min(policy.maxBackoffMs, policy.ackTimeoutMs * 2 ** Math.max(0, attempt - 1));
}
