// Acks: what happens when a receiver's device takes a message. ack:R names one message (1:1)
// or everything up to it (a group connection's cumulative ack); offlineack:R names the inbox
// entries a device stored, and a 1:1 entry taken is an ack exactly like ack:R. A 1:1 ack
// removes the message from the receiver's inbox, records the acked position, lets go of the
// pushes pending for that connection, and tells the sender DELIVERED once (on the first device's
// ack); a group ack moves the connection's watermark (its sender was told QUEUED at fan-out).
import { tallyOf, type TallyCell } from '@parley/observability';
import type { AckedPosition, Clock, ConversationIndex, Inbox, MessageStore } from '@parley/ports';
import { AckStatus, asUserId, directPeer, isGroupConversation, type ConnectionId, type StoredMessage, type UserId } from '@parley/protocol';
import type { BatchScope } from './batch-scope';
import type { AckRequest, InboxTrimRequest, MessagePosition, SenderOrigin } from './deliver-record';
import type { DeliveryMetrics } from './delivery-metrics';
import type { GroupDelivery } from './group-delivery';
import { pendingKey, type PendingDeliveries } from './pending-deliveries';
import { refuseNonMember, type ErrorCounter } from './refusals';
import type { SenderNotices } from './sender-notices';

export interface AcksParts {
  readonly inbox: Pick<Inbox, 'remove'>;
  readonly messageStore: Pick<MessageStore, 'get'>;
  readonly conversationIndex: Pick<ConversationIndex, 'ack'>;
  /** The 1:1 pushes awaiting an ack (DirectDelivery's). */
  readonly pending: Pick<PendingDeliveries, 'get' | 'settleConnection'>;
  /** The group connections' watermarks. */
  readonly group: Pick<GroupDelivery, 'acked'>;
  readonly notices: Pick<SenderNotices, 'notify'>;
  readonly clock: Clock;
  readonly metrics: Pick<DeliveryMetrics, 'ackLatency' | 'outcomes'>;
  readonly errors: ErrorCounter;
}

/** A 1:1 message taken by one device of its receiver. */
interface DirectAck {
  readonly user: UserId;
  readonly connectionId: ConnectionId;
  readonly position: MessagePosition;
}

export class Acks {
  /** `parley_delivery_outcomes_total{outcome="delivered"}`, counted as a number (tally.ts). */
  private readonly delivered: TallyCell;

  constructor(private readonly parts: AcksParts) {
    this.delivered = tallyOf(parts.metrics.outcomes).cell({ outcome: 'delivered' });
  }

  /** ack:R of one run of a batch: each checked and answered ack:A, then all store work issued together. */
  async acknowledge(acks: readonly AckRequest[], scope: BatchScope): Promise<void> {
    if (acks.length === 0) return;
    const accepted: AckedPosition[] = [];
    const direct: DirectAck[] = [];
    for (const { origin, position } of acks) {
      const { user, connectionId } = origin;
      const { conversation, epoch, seq } = position;
      if (!(await scope.isMember(conversation, user))) {
        refuseNonMember(scope.out, this.parts.errors, origin, conversation, '');
        continue;
      }
      scope.out.add(origin, { ackA: { conversation, position: { epoch, seq } } });
      accepted.push({ user, conversation, epoch, seq });
      if (isGroupConversation(conversation)) this.parts.group.acked(conversation, user, connectionId, epoch, seq);
      else direct.push({ user, connectionId, position });
    }
    // Independent writes issued together: the Redis client pipelines them into one round trip.
    await Promise.all([this.parts.conversationIndex.ack(accepted), this.settleDirect(direct, scope)]);
  }

  /**
   * offlineack:R: the device stored these entries. A 1:1 entry taken is the receiver's ack of
   * that message, exactly like ack:R (its acked position recorded, its sender told DELIVERED
   * when this removed it); group entries are only removed (a group's ack is cumulative and
   * its sender is told QUEUED, never per member).
   */
  async trimInbox({ origin, refs }: InboxTrimRequest, scope: BatchScope): Promise<void> {
    const { user, connectionId } = origin;
    const direct = refs.filter((ref) => directPeer(ref.conversation, user) !== undefined);
    const groups = refs.filter((ref) => directPeer(ref.conversation, user) === undefined);
    await Promise.all([
      this.parts.inbox.remove(user, groups),
      this.parts.conversationIndex.ack(direct.map((ref) => ({ user, ...ref }))),
      this.settleDirect(direct.map((ref) => ({ user, connectionId, position: ref })), scope),
    ]);
  }

  /** 1:1 messages taken, each by one device; all store work issued together. */
  private async settleDirect(acks: readonly DirectAck[], scope: BatchScope): Promise<void> {
    if (acks.length === 0) return;
    const { inbox, messageStore, pending: pendings, metrics } = this.parts;
    const now = this.parts.clock.now();
    const settled: Array<{ message: StoredMessage; sender: UserId; receiver: UserId; origin?: SenderOrigin | undefined }> = [];
    // The senders of the pending messages these acks settle are known now: their presence is
    // read together with the removals (one round trip to the store), not after them.
    const keys = acks.map(({ user, position }) => pendingKey(position, user));
    const senders: UserId[] = [];
    for (const key of keys) {
      const pending = pendings.get(key);
      if (pending && !pending.acked) senders.push(pending.sender);
    }
    const sendersOnline = senders.length > 0 ? scope.connectionsOf(senders) : undefined;
    const removals = acks.map(async ({ user, connectionId, position }, index) => {
      const removed = await inbox.remove(user, [{ conversation: position.conversation, epoch: position.epoch, seq: position.seq }]);
      const pending = pendings.get(keys[index]!);
      if (pending) {
        if (pending.acked) {
          pendings.settleConnection(pending, connectionId); // the sender was told by an earlier batch
          return;
        }
        // Marked acked (and its record let go) only once this batch's ack:N is published: a batch
        // that fails (the store or the downlink unavailable) is handed again and must announce it
        // again, not find it settled and stay silent.
        scope.afterPublished(() => {
          // Only the announcing batch's publish tells the sender: a take that left the
          // announcing to another batch still in flight settles its connection and no more.
          if (pending.announcedBy === scope) {
            pending.acked = true;
            pending.announcedBy = undefined;
          }
          pendings.settleConnection(pending, connectionId);
        });
        // Announced once, whatever the number of takes (ack:R and offlineack:R, in this batch
        // or in another partition's at the same time), unless the announcing batch failed.
        if (pending.announcedBy && !pending.announcedBy.failed) return;
        pending.announcedBy = scope;
        settled.push({ message: pending.message, sender: pending.sender, receiver: user, origin: pending.origin });
        if (pending.receivedAtMs) metrics.ackLatency.observe((now - pending.receivedAtMs) / 1000);
      } else if (removed > 0) {
        // Acked after a delivery restart or from a pull: tell the sender from the stored copy.
        const [stored] = await messageStore.get(position.conversation, [position.seq]);
        if (stored && stored.position?.epoch === position.epoch) settled.push({ message: stored, sender: asUserId(stored.fromUser), receiver: user });
      }
    });
    await Promise.all([...removals, sendersOnline]);
    if (settled.length === 0) return;
    const online = await scope.connectionsOf(settled.map((s) => s.sender));
    for (const { message, sender, receiver, origin } of settled) {
      this.parts.notices.notify(scope.out, online.get(sender), message, receiver, AckStatus.ACK_STATUS_DELIVERED, origin);
      scope.delivered(message, receiver, now);
      this.delivered.inc();
    }
  }
}
