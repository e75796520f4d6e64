// Group messages: fanned out per gateway (one downlink item per gateway per message,
// naming every online member that gateway holds), put in the inbox of every offline
// member, re-pushed per member connection from its cumulative ack watermark, and
// answered to the sender with ONE ack:N QUEUED once all of that is stored. The messages a
// member connection has not acked are kept in memory (RecentGroupMessages): re-pushed from
// there, and written back to the lagging members' inboxes when the store loses its data.
import { DownlinkBatcher, type Inbox, type MessageStore, type PresenceEntry } from '@parley/ports';
import { AckStatus, ConnectionId, ConversationId, StoredMessage, toMsgNotify, UserId } from '@parley/protocol';
import type { BatchScope } from './batch-scope';
import type { GroupMessage } from './deliver-record';
import type { DeliveryMetrics } from './delivery-metrics';
import type { RepushParts } from './repush-parts';
import { fanOut } from './fanout';
import { GroupWatermarks, Watermark } from './group-watermarks';
import { RecentGroupMessages, RecentGroupMessagesLimits } from './recent-group-messages';

export interface GroupDeliveryParts extends RepushParts {
  readonly inbox: Pick<Inbox, 'add'>;
  /** Re-pushes read what the memory no longer keeps from here. */
  readonly messageStore: Pick<MessageStore, 'range'>;
  readonly metrics: RepushParts['metrics'] & Pick<DeliveryMetrics, 'groupFanoutGateways' | 'groupFanoutMembers' | 'groupMessagesKept' | 'groupMessagesEvicted'>;
  /** Bounds of the group messages kept in memory (default DEFAULT_RECENT_GROUP_LIMITS). */
  readonly limits?: RecentGroupMessagesLimits | undefined;
}

/** Most messages re-pushed to one lagging connection per timeout. */
const REDELIVERY_PAGE = 100;

export class GroupDelivery {
  readonly watermarks: GroupWatermarks;
  readonly recent: RecentGroupMessages;
  /** Conversations whose kept messages may be trimmed (pushed or acked since the last trim). */
  private readonly toTrim = new Set<ConversationId>();
  private evictedCounted = 0;
  /** What parley_delivery_group_messages_kept was last set to. */
  private keptReported = 0;

  constructor(private readonly parts: GroupDeliveryParts) {
    this.watermarks = new GroupWatermarks(parts.clock, parts.redelivery, (mark) => this.onAckTimeout(mark));
    this.recent = new RecentGroupMessages(parts.limits);
  }

  /** A member connection's cumulative ack. */
  acked(conversation: ConversationId, user: UserId, connectionId: ConnectionId, epoch: string, seq: number): void {
    this.watermarks.acked(conversation, user, connectionId, epoch, seq);
    this.toTrim.add(conversation);
  }

  /** Forgets the kept messages every connection they were pushed to has acked (after each batch). */
  trimAcked(): void {
    for (const conversation of this.toTrim) {
      for (const epoch of this.recent.epochsOf(conversation)) {
        this.recent.trim(conversation, epoch, this.watermarks.lowestAcked(conversation, epoch) ?? Number.MAX_SAFE_INTEGER);
      }
    }
    this.toTrim.clear();
    // Set and counted only when they moved (after most 1:1 batches they did not).
    if (this.recent.size !== this.keptReported) {
      this.keptReported = this.recent.size;
      this.parts.metrics.groupMessagesKept.set(this.keptReported);
    }
    if (this.recent.evicted !== this.evictedCounted) {
      this.parts.metrics.groupMessagesEvicted.inc(this.recent.evicted - this.evictedCounted);
      this.evictedCounted = this.recent.evicted;
    }
  }

  /**
   * The store lost its data, the message store and the inboxes with it: every kept message a
   * member connection has not acked is written to that member's inbox again, so the pull that
   * follows resync:N hands it over in its old epoch, before the new epoch's messages (PROTOCOL.md,
   * "resync:N"). The connections stay tracked and are re-pushed from memory until they ack.
   * Returns how many entries were written and how many unacked messages were no longer kept.
   */
  async restoreInboxes(): Promise<{ restored: number; unkept: number }> {
    const entries: Array<{ user: UserId; message: StoredMessage }> = [];
    const written = new Set<string>();
    let unkept = 0;
    for (const mark of this.watermarks.lagging()) {
      const held = this.recent.held(mark.conversation, mark.epoch, mark.ackedSeq, mark.pushedSeq);
      unkept += mark.pushedSeq - mark.ackedSeq - held.length;
      for (const { message, position } of held) {
        const key = `${mark.user}|${mark.conversation}|${mark.epoch}|${position.seq}`;
        if (written.has(key)) continue; // two connections of one user: one inbox
        written.add(key);
        entries.push({ user: mark.user, message });
      }
    }
    if (entries.length > 0) await this.parts.inbox.add(entries);
    return { restored: entries.length, unkept };
  }

  async deliver(batch: readonly GroupMessage[], scope: BatchScope): Promise<void> {
    const now = this.parts.clock.now();
    const offline: Array<{ user: UserId; message: StoredMessage }> = [];
    const queued: GroupMessage[] = [];
    // The scope reads a group's members once per batch (one array): its connections are looked up once too, not per message.
    const onlineOf = new Map<readonly UserId[], ReadonlyMap<UserId, readonly PresenceEntry[]>>();
    for (const s of batch) {
      if (s.duplicate) {
        queued.push(s); // a retransmit: the fan-out happened with the first copy
        continue;
      }
      const { message, position } = s;
      const conversation = position.conversation;
      const members = await scope.membersOf(conversation);
      this.recent.remember(s);
      this.toTrim.add(conversation);
      let online = onlineOf.get(members);
      if (!online) onlineOf.set(members, (online = await scope.connectionsOf(members)));
      const except = s.origin?.connectionId;
      const entries: PresenceEntry[] = [];
      for (const member of members) {
        const connections = online.get(member);
        if (connections === undefined || connections.length === 0) offline.push({ user: member, message });
        else for (const entry of connections) if (entry.connectionId !== except) entries.push(entry);
      }
      const gateways = fanOut(scope.out, { msgN: toMsgNotify(message) }, entries, s.origin);
      this.watermarks.pushed(conversation, position.epoch, position.seq, entries);
      this.parts.metrics.groupFanoutGateways.inc(gateways);
      this.parts.metrics.groupFanoutMembers.inc(members.length);
      if (s.receivedAtMs) this.parts.metrics.pushLatency.observe((now - s.receivedAtMs) / 1000);
      scope.touch(conversation, members, now);
      queued.push(s);
    }
    await this.parts.inbox.add(offline);
    // Stored, pushed and in every offline member's inbox: tell each sender once.
    const senders = await scope.connectionsOf(queued.map((s) => s.sender));
    for (const s of queued) {
      this.parts.notices.notify(scope.out, senders.get(s.sender), s.message, '', AckStatus.ACK_STATUS_QUEUED, s.origin);
    }
  }

  private onAckTimeout(mark: Watermark): void {
    if (this.parts.intake.postpones(mark, this.parts.clock.now())) {
      this.parts.metrics.redeliveriesPostponed.inc();
      this.watermarks.rescheduled(mark);
      return;
    }
    const count = Math.max(1, Math.min(REDELIVERY_PAGE, mark.pushedSeq - mark.ackedSeq));
    // One place in line per connection: pushes meanwhile start no timer of their own.
    mark.waiting = true;
    const queued = !this.parts.repushes.submit(() => {
      mark.waiting = false;
      if (!this.watermarks.isDue(mark)) return false;
      this.redeliver(mark).catch((err: unknown) => {
        this.parts.logger.warn({ err, key: mark.key }, 'group redelivery failed; will retry');
        this.watermarks.rescheduled(mark);
      });
      return true;
    }, count);
    if (queued) this.parts.metrics.redeliveriesThrottled.inc();
  }

  /** Re-push what a lagging connection has not acked; a connection that is gone gets it in the user's inbox. */
  private async redeliver(mark: Watermark): Promise<void> {
    const { presence, inbox } = this.parts;
    const online = await presence.lookup([mark.user]);
    const connected = (online.get(mark.user) ?? []).some((e) => e.connectionId === mark.connectionId);
    const missing = await this.unacked(mark);
    if (connected && this.watermarks.canRedeliver(mark)) {
      mark.attempts += 1;
      const out = new DownlinkBatcher();
      for (const message of missing) {
        out.add({ gatewayId: mark.gatewayId, user: mark.user, connectionId: mark.connectionId }, { msgN: toMsgNotify(message) });
      }
      this.parts.metrics.redeliveries.inc(missing.length);
      this.watermarks.rescheduled(mark);
      await this.parts.publisher.publish(out);
      return;
    }
    await inbox.add(missing.map((message) => ({ user: mark.user, message })));
    this.watermarks.drop(mark);
    this.toTrim.add(mark.conversation);
  }

  /** Up to a page of what `mark` has not acked: from memory, else from the message store (which may have lost them). */
  private async unacked(mark: Watermark): Promise<StoredMessage[]> {
    const upTo = Math.min(mark.pushedSeq, mark.ackedSeq + REDELIVERY_PAGE);
    const kept = this.recent.range(mark.conversation, mark.epoch, mark.ackedSeq, upTo);
    if (kept) return kept;
    const range = await this.parts.messageStore.range(mark.conversation, mark.ackedSeq, upTo - mark.ackedSeq);
    return range.epoch === mark.epoch ? range.messages.filter((m) => Number(m.position?.seq) <= upTo) : [];
  }
}
