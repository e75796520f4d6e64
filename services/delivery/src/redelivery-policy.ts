// When delivery pushes msg:N again to a receiver that has not acked it, and when it
// stops trying (the message then waits in the receiver's inbox).
import { backoffCeilingMs } from '@parley/protocol';

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
  return backoffCeilingMs({ minDelayMs: policy.ackTimeoutMs, maxDelayMs: policy.maxBackoffMs }, attempt - 1);
}

/**
 * While delivery is behind (IntakeLag), a due re-push waits one more timeout, at most this many
 * times in a row: a backlog is usually worked off by then, and a wrong reading (a gateway clock
 * stepped back, say) can delay re-pushes but never stop them.
 */
export const MAX_POSTPONED_TIMEOUTS = 6;
