// 1:1 messages: written to the receiver's inbox before any push, pushed to every
// connection of the receiver and to the sender's other connections, re-pushed per
// connection until acked; the sender learns STORED_OFFLINE when no device of the receiver is
// connected (or when the re-pushes gave up), DELIVERED on the first device ack (acks.ts).
import { tallyOf, type TallyCell } from '@parley/observability';
import { DownlinkBatcher, type Inbox, type PresenceEntry } from '@parley/ports';
import { AckStatus, ConnectionId, StoredMessage, toMsgNotify, UserId } from '@parley/protocol';
import type { BatchScope } from './batch-scope';
import type { DirectMessage, SenderOrigin } from './deliver-record';
import type { DeliveryMetrics } from './delivery-metrics';
import type { RepushParts } from './repush-parts';
import { fanOut } from './fanout';
import { pendingKey, PendingDeliveries, PendingDelivery } from './pending-deliveries';

export interface DirectDeliveryParts extends RepushParts {
  readonly inbox: Pick<Inbox, 'add' | 'holds'>;
  readonly metrics: RepushParts['metrics'] & Pick<DeliveryMetrics, 'outcomes' | 'retransmitPushesDeferred'>;
}

export class DirectDelivery {
  /** The pushes awaiting an ack, per (message, receiver) and connection (settled by acks.ts). */
  readonly pending: PendingDeliveries;
  /** `parley_delivery_outcomes_total{outcome="stored_offline"}` of first pushes, counted as a number (tally.ts). */
  private readonly storedOffline: TallyCell;

  constructor(private readonly parts: DirectDeliveryParts) {
    this.storedOffline = tallyOf(parts.metrics.outcomes).cell({ outcome: 'stored_offline' });
    this.pending = new PendingDeliveries(parts.clock, parts.redelivery, (p, c) => this.onAckTimeout(p, c));
  }

  async deliver(batch: readonly DirectMessage[], scope: BatchScope): Promise<void> {
    const { inbox } = this.parts;
    const now = this.parts.clock.now();
    // The inbox is the durable record of "not yet confirmed by the receiver": written before
    // any push (pushes go out when the batch is flushed); presence is read meanwhile.
    const users = batch.flatMap((s) => [s.sender, s.receiver]);
    const [, online] = await Promise.all([
      inbox.add(batch.filter((s) => !s.duplicate).map((s) => ({ user: s.receiver, message: s.message }))),
      scope.connectionsOf(users),
    ]);
    // After the add: a retransmit in the same batch as its original finds it in the inbox.
    const confirmed = await this.confirmedDuplicates(batch);
    for (const s of batch) {
      const { message, sender, receiver } = s;
      scope.touch(s.position.conversation, [sender, receiver], now);
      const frame = { msgN: toMsgNotify(message) };
      // The sender's other devices show the conversation too.
      const senderOthers = (online.get(sender) ?? []).filter((e) => e.connectionId !== s.origin?.connectionId);
      if (!s.duplicate && senderOthers.length > 0) fanOut(scope.out, frame, senderOthers);

      const existing = this.pending.get(keyOf(s));
      if (s.duplicate && existing) {
        // A retransmit while we are still pushing: the ack:N follows the first device ack.
        if (existing.acked) this.notifySender(scope.out, online.get(sender), message, receiver, AckStatus.ACK_STATUS_DELIVERED, s.origin);
        continue;
      }
      if (confirmed.has(s)) {
        // The receiver confirmed it long ago; the sender missed that ack:N (its link was cut).
        this.notifySender(scope.out, online.get(sender), message, receiver, AckStatus.ACK_STATUS_DELIVERED, s.origin);
        continue;
      }
      const connections = online.get(receiver) ?? [];
      if (connections.length > 0 && s.duplicate && this.parts.intake.isBehind(now)) {
        // A retransmit met while working through a backlog, nothing pending here (a restart or
        // a partition move lost it): the first push went out before, and the receiver's ack
        // may be in the backlog. Tracked, not pushed: the ack settles it (and the sender gets
        // its ack:N), or the ack timeout pushes it, put off while behind and within the budget.
        this.pending.track(s, connections);
        this.parts.metrics.retransmitPushesDeferred.inc();
        continue;
      }
      if (connections.length > 0) {
        fanOut(scope.out, frame, connections);
        this.pending.track(s, connections);
        if (s.receivedAtMs) this.parts.metrics.pushLatency.observe((now - s.receivedAtMs) / 1000);
      } else {
        this.notifySender(scope.out, online.get(sender), message, receiver, AckStatus.ACK_STATUS_STORED_OFFLINE, s.origin);
        this.storedOffline.inc();
      }
    }
  }

  /**
   * Retransmits of messages no longer pending here whose inbox entry is gone: the receiver
   * confirmed them (the entry is written before any push and removed only by the receiver).
   * Those are answered DELIVERED at once instead of being pushed again to connections that
   * may be dead. The others (e.g. pending records lost in a delivery restart) are pushed again.
   */
  private async confirmedDuplicates(batch: readonly DirectMessage[]): Promise<Set<DirectMessage>> {
    const candidates = batch.filter((s) => s.duplicate && !this.pending.get(keyOf(s)));
    if (candidates.length === 0) return new Set();
    const held = await this.parts.inbox.holds(candidates.map((s) => ({ user: s.receiver, ref: s.position })));
    return new Set(candidates.filter((_, i) => !held[i]));
  }

  private notifySender(out: DownlinkBatcher, senderConnections: readonly PresenceEntry[] | undefined, message: StoredMessage, receiver: UserId, status: AckStatus, origin: SenderOrigin | undefined): void {
    this.parts.notices.notify(out, senderConnections, message, receiver, status, origin);
  }

  /**
   * The store lost its data, the receivers' inboxes with it: every message still pending
   * for some device and acked by none is written to its receiver's inbox again, so the
   * pull that follows resync:N finds it (rather than only the next re-push). Returns how
   * many were written.
   */
  async restoreInboxes(): Promise<number> {
    const entries: Array<{ user: UserId; message: StoredMessage }> = [];
    for (const pending of this.pending.all()) if (!pending.acked) entries.push({ user: pending.receiver, message: pending.message });
    if (entries.length > 0) await this.parts.inbox.add(entries);
    return entries.length;
  }

  private onAckTimeout(pending: PendingDelivery, connectionId: ConnectionId): void {
    const attempt = pending.connections.get(connectionId);
    if (attempt && this.parts.intake.postpones(attempt, this.parts.clock.now())) {
      this.parts.metrics.redeliveriesPostponed.inc();
      this.pending.rescheduled(pending, connectionId);
      return;
    }
    // Re-pushes go out at this process's budget, in the order they fell due; one acked (or
    // gone) while it waited is dropped.
    const queued = !this.parts.repushes.submit(() => {
      if (!attempt || pending.connections.get(connectionId) !== attempt) return false;
      this.redeliver(pending, connectionId).catch((err: unknown) => {
        this.parts.logger.warn({ err, key: pending.key }, 'redelivery failed; will retry');
        this.pending.rescheduled(pending, connectionId);
      });
      return true;
    });
    if (queued) this.parts.metrics.redeliveriesThrottled.inc();
  }

  /** Push again to a device that has not acked; when it is gone or out of attempts, the inbox keeps the message for it. */
  private async redeliver(pending: PendingDelivery, connectionId: ConnectionId): Promise<void> {
    const { presence, inbox } = this.parts;
    const message = pending.message;
    const sender = pending.sender;
    const online = await presence.lookup([pending.receiver, sender]);
    const out = new DownlinkBatcher();
    const connection = (online.get(pending.receiver) ?? []).find((e) => e.connectionId === connectionId);
    if (connection && this.pending.canRedeliver(pending, connectionId)) {
      pending.connections.get(connectionId)!.attempts += 1;
      this.parts.metrics.redeliveries.inc();
      out.add({ gatewayId: connection.gatewayId, user: pending.receiver, connectionId }, { msgN: toMsgNotify(message) });
      this.pending.rescheduled(pending, connectionId);
    } else {
      // Gone or out of attempts: the inbox keeps the message for this receiver. Written again
      // even when not acked (it was written before the first push): the store may have lost
      // it since, and a device that acked took it out. The connection is let go only once that
      // and the sender's ack:N are done: on a failure the timeout comes again.
      await inbox.add([{ user: pending.receiver, message }]);
      const last = pending.connections.size === 1;
      if (!pending.acked && last) {
        this.notifySender(out, online.get(sender), message, pending.receiver, AckStatus.ACK_STATUS_STORED_OFFLINE, pending.origin);
      }
      await this.parts.publisher.publish(out);
      this.pending.settleConnection(pending, connectionId);
      if (!pending.acked && last) this.parts.metrics.outcomes.inc({ outcome: connection ? 'gave_up' : 'stored_offline' });
      return;
    }
    await this.parts.publisher.publish(out);
  }
}

/** The pending record of a 1:1 message: one per (message, receiver). */
const keyOf = (s: DirectMessage): string => pendingKey(s.position, s.receiver);
