// 1:1 msg:N pushed and not yet acknowledged, per receiving DEVICE (connection): one
// record per (message, receiver) holding a re-delivery timer per connection. A message
// stays pending for a connection until that connection acks it or goes away. In memory:
// after a delivery restart the messages are still in the receivers' inboxes and senders
// retransmit until ack:N.
import type { Clock, PresenceEntry, TimerHandle } from '@parley/ports';
import type { ConnectionId, GatewayId, StoredMessage, UserId } from '@parley/protocol';
import type { DirectMessage, MessagePosition, SenderOrigin } from './deliver-record';
import { redeliveryDelayMs, RedeliveryPolicy } from './redelivery-policy';

export interface ConnectionAttempt {
  readonly gatewayId: GatewayId;
  /** Re-pushes done so far (0 after the first push). */
  attempts: number;
  /** Timeouts in a row that found delivery behind and waited (see MAX_POSTPONED_TIMEOUTS). */
  postponed: number;
  timer: TimerHandle | undefined;
}

export interface PendingDelivery {
  readonly key: string;
  readonly message: StoredMessage;
  readonly position: MessagePosition;
  readonly sender: UserId;
  readonly receiver: UserId;
  /** When the sender's gateway received the message (0 when unknown). */
  readonly receivedAtMs: number;
  /** Some device of the receiver acknowledged it (the sender has been told DELIVERED). */
  acked: boolean;
  /**
   * The batch announcing its DELIVERED, until that batch is published (then `acked`): a second
   * take meanwhile, in that batch or another partition's, announces nothing more. A batch that
   * fails is handed again and announces it again.
   */
  announcedBy: Announcer | undefined;
  /** The sender's connection the message came from: its ack:N goes there even when presence lost the sender. */
  readonly origin: SenderOrigin | undefined;
  readonly connections: Map<ConnectionId, ConnectionAttempt>;
}

/** A batch in flight, as an announcement sees it (BatchScope). */
export interface Announcer {
  /** The batch failed: it is handed again, its announcements with it. */
  readonly failed: boolean;
}

export type ConnectionTimeout = (pending: PendingDelivery, connectionId: ConnectionId) => void;

export function pendingKey(position: MessagePosition, receiver: UserId): string {
  return `${position.conversation}|${position.epoch}|${position.seq}|${receiver}`;
}

export class PendingDeliveries {
  private readonly entries = new Map<string, PendingDelivery>();
  private connectionCount = 0;

  constructor(
    private readonly clock: Clock,
    private readonly policy: RedeliveryPolicy,
    private readonly onTimeout: ConnectionTimeout,
  ) {}

  /** Pending (message, connection) pairs. */
  get size(): number {
    return this.connectionCount;
  }

  get(key: string): PendingDelivery | undefined {
    return this.entries.get(key);
  }

  /** Starts tracking a message pushed to these connections of its receiver (already tracked ones are kept). */
  track(sent: Pick<DirectMessage, 'message' | 'position' | 'sender' | 'receiver' | 'receivedAtMs' | 'origin'>, connections: readonly PresenceEntry[]): PendingDelivery {
    const key = pendingKey(sent.position, sent.receiver);
    let pending = this.entries.get(key);
    if (!pending) {
      const { message, position, sender, receiver, receivedAtMs, origin } = sent;
      pending = { key, message, position, sender, receiver, receivedAtMs, acked: false, announcedBy: undefined, origin, connections: new Map() };
      this.entries.set(key, pending);
    }
    for (const entry of connections) {
      if (pending.connections.has(entry.connectionId)) continue;
      const attempt: ConnectionAttempt = { gatewayId: entry.gatewayId, attempts: 0, postponed: 0, timer: undefined };
      pending.connections.set(entry.connectionId, attempt);
      this.connectionCount += 1;
      this.schedule(pending, entry.connectionId, attempt);
    }
    return pending;
  }

  /** Schedules the next timeout of one connection after a re-push. */
  rescheduled(pending: PendingDelivery, connectionId: ConnectionId): void {
    const attempt = pending.connections.get(connectionId);
    if (attempt && this.entries.get(pending.key) === pending) this.schedule(pending, connectionId, attempt);
  }

  canRedeliver(pending: PendingDelivery, connectionId: ConnectionId): boolean {
    const attempt = pending.connections.get(connectionId);
    return attempt !== undefined && attempt.attempts < this.policy.maxRedeliveries;
  }

  /** Stops tracking one connection; the record goes when its last connection does. */
  settleConnection(pending: PendingDelivery, connectionId: ConnectionId): void {
    const attempt = pending.connections.get(connectionId);
    if (!attempt) return;
    if (attempt.timer) this.clock.clearTimeout(attempt.timer);
    pending.connections.delete(connectionId);
    this.connectionCount -= 1;
    if (pending.connections.size === 0 && this.entries.get(pending.key) === pending) this.entries.delete(pending.key);
  }

  /** Pending messages of one connection (tests, diagnostics). */
  pendingFor(connectionId: ConnectionId): number {
    let count = 0;
    for (const pending of this.entries.values()) if (pending.connections.has(connectionId)) count += 1;
    return count;
  }

  /** Every pending record (the store lost its data: their inbox entries must be written again). */
  all(): IterableIterator<PendingDelivery> {
    return this.entries.values();
  }

  clear(): void {
    for (const pending of this.entries.values()) {
      for (const attempt of pending.connections.values()) if (attempt.timer) this.clock.clearTimeout(attempt.timer);
    }
    this.entries.clear();
    this.connectionCount = 0;
  }

  private schedule(pending: PendingDelivery, connectionId: ConnectionId, attempt: ConnectionAttempt): void {
    if (attempt.timer) this.clock.clearTimeout(attempt.timer);
    attempt.timer = this.clock.setTimeout(() => {
      attempt.timer = undefined;
      if (pending.connections.get(connectionId) === attempt) this.onTimeout(pending, connectionId);
    }, redeliveryDelayMs(this.policy, attempt.attempts + 1));
  }
}
