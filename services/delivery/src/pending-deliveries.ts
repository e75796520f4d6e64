// msg:N pushed and not yet acknowledged, one entry per (conversation, epoch, seq,
// receiver), each with its re-delivery timer. In memory: after a delivery restart the
// messages are still in the receivers' inboxes and senders retransmit until ack:N.
import type { Clock, TimerHandle } from '@parley/ports';
import type { StoredMessage, UserId } from '@parley/protocol';
import { redeliveryDelayMs, RedeliveryPolicy } from './redelivery-policy';

export interface PendingDelivery {
  readonly key: string;
  readonly message: StoredMessage;
  readonly receiver: UserId;
  /** Re-pushes done so far (0 after the first push). */
  attempts: number;
  timer: TimerHandle | undefined;
}

export type PendingTimeout = (pending: PendingDelivery) => void;

export function pendingKey(conversation: string, epoch: string, seq: number, receiver: string): string {
  return `${conversation}|${epoch}|${seq}|${receiver}`;
}

export class PendingDeliveries {
  private readonly entries = new Map<string, PendingDelivery>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: RedeliveryPolicy,
    private readonly onTimeout: PendingTimeout,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Starts tracking a pushed message (no-op when already tracked). */
  track(message: StoredMessage, receiver: UserId): PendingDelivery {
    const key = pendingKey(message.conversation, message.position?.epoch ?? '', Number(message.position?.seq ?? 0), receiver);
    const existing = this.entries.get(key);
    if (existing) return existing;
    const pending: PendingDelivery = { key, message, receiver, attempts: 0, timer: undefined };
    this.entries.set(key, pending);
    this.schedule(pending);
    return pending;
  }

  /** Schedules the next timeout after a re-push. */
  rescheduled(pending: PendingDelivery): void {
    if (!this.entries.has(pending.key)) return;
    this.schedule(pending);
  }

  /** Whether another re-push is allowed for this entry. */
  canRedeliver(pending: PendingDelivery): boolean {
    return pending.attempts < this.policy.maxRedeliveries;
  }

  /** Stops tracking (acknowledged, or given up); returns the entry if it was tracked. */
  settle(key: string): PendingDelivery | undefined {
    const pending = this.entries.get(key);
    if (!pending) return undefined;
    if (pending.timer) this.clock.clearTimeout(pending.timer);
    this.entries.delete(key);
    return pending;
  }

  clear(): void {
    for (const pending of this.entries.values()) if (pending.timer) this.clock.clearTimeout(pending.timer);
    this.entries.clear();
  }

  private schedule(pending: PendingDelivery): void {
    if (pending.timer) this.clock.clearTimeout(pending.timer);
    const delay = redeliveryDelayMs(this.policy, pending.attempts + 1);
    pending.timer = this.clock.setTimeout(() => {
      pending.timer = undefined;
      if (this.entries.get(pending.key) === pending) this.onTimeout(pending);
    }, delay);
  }
}
