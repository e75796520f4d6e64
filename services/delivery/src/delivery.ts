// Delivery: pushes each sequenced message to every connection of its receivers,
// keeps it in the receiver's inbox until acknowledged, re-pushes on ack timeout,
// answers acks and offline pulls, and tells senders (ack:N) when a message arrived or
// was stored for an offline receiver.
import {
  AckStatus,
  asUserId,
  decodeDeliveryCommand,
  directPeer,
  ErrorCode,
  asConnectionId,
  asGatewayId,
  parley,
  StoredMessage,
  toMsgNotify,
  UserId,
  asConversationId,
  asEpoch,
} from '@parley/protocol';
import type { BusBatch, Clock, PresenceEntry, Subscription } from '@parley/ports';
import { Logger, Registry, sharedMetrics, SharedMetrics } from '@parley/observability';
import { consumerGroups, DownlinkBatcher, Infrastructure, startConsumer, topicNames } from '@parley/runtime';
import { deliveryMetrics, DeliveryMetrics } from './delivery-metrics';
import { PendingDeliveries, PendingDelivery, pendingKey } from './pending-deliveries';
import type { RedeliveryPolicy } from './redelivery-policy';

export interface DeliveryOptions {
  readonly topicPrefix: string;
  readonly infrastructure: Infrastructure;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly redelivery: RedeliveryPolicy;
  /** Largest offline:A page. */
  readonly maxOfflinePage: number;
  readonly onFatal?: (error: Error) => void;
}

type Origin = parley.v1.IOrigin;
type Sequenced = parley.v1.ISequenced & { message: StoredMessage };

interface ClientRequest {
  readonly origin: Origin;
  readonly frame: parley.v1.IFrame;
}

const originTarget = (origin: Origin) => ({
  gatewayId: asGatewayId(origin.gatewayId ?? ''),
  user: asUserId(origin.userId ?? ''),
  connectionId: asConnectionId(origin.connectionId ?? ''),
});

export class Delivery {
  private readonly pending: PendingDeliveries;
  private readonly metrics: DeliveryMetrics;
  private readonly shared: SharedMetrics;
  private subscription: Subscription | undefined;

  constructor(private readonly options: DeliveryOptions) {
    this.metrics = deliveryMetrics(options.registry);
    this.shared = sharedMetrics(options.registry);
    this.pending = new PendingDeliveries(options.clock, options.redelivery, (p) => this.onAckTimeout(p));
  }

  get ready(): boolean {
    return this.subscription !== undefined;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  async start(): Promise<void> {
    const { infrastructure, registry, logger, clock, topicPrefix } = this.options;
    this.subscription = await startConsumer({
      infrastructure,
      topic: topicNames(topicPrefix).deliver,
      group: consumerGroups(topicPrefix).delivery,
      handler: (batch) => this.handleBatch(batch),
      registry,
      logger,
      clock,
      ...(this.options.onFatal ? { onFatal: this.options.onFatal } : {}),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
    this.pending.clear();
  }

  /** Processes one batch of the deliver topic; resolves once every effect is stored and published. */
  async handleBatch(batch: BusBatch): Promise<void> {
    const sequenced: Sequenced[] = [];
    const requests: ClientRequest[] = [];
    for (const record of batch.records) {
      try {
        const command = decodeDeliveryCommand(record.value);
        if (command.sequenced?.message) sequenced.push(command.sequenced as Sequenced);
        else if (command.client?.frame && command.client.origin) requests.push({ origin: command.client.origin, frame: command.client.frame });
      } catch (err) {
        this.options.logger.error({ err }, 'undecodable record on the deliver topic skipped');
      }
    }
    const out = new DownlinkBatcher();
    // Phases keep the partition's order where it matters: a message is always handled
    // before an ack for it (the ack can only follow its msg:N, later in the partition).
    if (sequenced.length > 0) await this.deliverMessages(sequenced, out);
    if (requests.length > 0) await this.handleClientRequests(requests, out);
    await this.flush(out);
  }

  private async deliverMessages(batch: Sequenced[], out: DownlinkBatcher): Promise<void> {
    const { inbox, presence } = this.options.infrastructure;
    const now = this.options.clock.now();
    const fresh = batch.filter((s) => !s.duplicate);
    // The inbox is the durable record of "not yet confirmed by the receiver": written
    // before any push, removed on ack:R / offlineack:R.
    await inbox.add(fresh.flatMap((s) => s.message.toUsers.map((user) => ({ user: asUserId(user), message: s.message }))));
    const users = new Set<UserId>();
    for (const s of batch) {
      users.add(asUserId(s.message.fromUser));
      for (const user of s.message.toUsers) users.add(asUserId(user));
    }
    const online = await presence.lookup([...users]);
    for (const s of batch) {
      const message = s.message;
      for (const receiverId of message.toUsers) {
        const receiver = asUserId(receiverId);
        const key = pendingKey(message.conversation, message.position?.epoch ?? '', Number(message.position?.seq ?? 0), receiver);
        if (s.duplicate && this.pending.has(key)) continue; // still trying: ack:N follows the ack
        const connections = online.get(receiver);
        if (connections && connections.length > 0) {
          this.push(out, message, connections);
          this.pending.track(message, receiver);
          if (message.receivedAtMs) this.metrics.pushLatency.observe((now - Number(message.receivedAtMs)) / 1000);
        } else {
          this.notifySender(out, online.get(asUserId(message.fromUser)), message, receiver, AckStatus.ACK_STATUS_STORED_OFFLINE);
          this.metrics.outcomes.inc({ outcome: 'stored_offline' });
        }
      }
    }
    this.metrics.pending.set(this.pending.size);
  }

  private push(out: DownlinkBatcher, message: StoredMessage, connections: readonly PresenceEntry[]): void {
    const frame = { msgN: toMsgNotify(message) };
    const gateways = new Set<string>();
    for (const entry of connections) {
      // One item per (gateway, user): the gateway writes it to each of the user's connections.
      const id = `${entry.gatewayId}|${entry.user}`;
      if (gateways.has(id)) continue;
      gateways.add(id);
      out.add({ gatewayId: entry.gatewayId, user: entry.user }, frame);
    }
  }

  private notifySender(
    out: DownlinkBatcher,
    senderConnections: readonly PresenceEntry[] | undefined,
    message: StoredMessage,
    receiver: UserId,
    status: AckStatus,
  ): void {
    if (!senderConnections || senderConnections.length === 0) return; // the sender retransmits after reconnecting
    const frame = {
      ackN: { conversation: message.conversation, position: message.position, msgId: message.msgId, toUser: receiver, status },
    };
    const seen = new Set<string>();
    for (const entry of senderConnections) {
      if (seen.has(entry.gatewayId)) continue;
      seen.add(entry.gatewayId);
      out.add({ gatewayId: entry.gatewayId, user: entry.user }, frame);
    }
  }

  private async handleClientRequests(requests: ClientRequest[], out: DownlinkBatcher): Promise<void> {
    const acks: Array<{ origin: Origin; ack: parley.v1.IAckRequest }> = [];
    for (const request of requests) {
      const frame = request.frame;
      if (frame.ackR) acks.push({ origin: request.origin, ack: frame.ackR });
      else if (frame.offlineR) await this.answerOfflinePull(request.origin, frame.offlineR, out);
      else if (frame.offlineackR) await this.trimInbox(request.origin, frame.offlineackR);
    }
    if (acks.length > 0) await this.handleAcks(acks, out);
  }

  private async handleAcks(acks: Array<{ origin: Origin; ack: parley.v1.IAckRequest }>, out: DownlinkBatcher): Promise<void> {
    const { inbox, presence, messageStore } = this.options.infrastructure;
    const now = this.options.clock.now();
    const settled: Array<{ message: StoredMessage; receiver: UserId }> = [];
    for (const { origin, ack } of acks) {
      const receiver = asUserId(origin.userId ?? '');
      const conversation = asConversationId(ack.conversation ?? '');
      const epoch = asEpoch(ack.position?.epoch ?? '');
      const seq = Number(ack.position?.seq ?? 0);
      if (!directPeer(conversation, receiver)) {
        out.add(originTarget(origin), { error: { code: ErrorCode.NOT_A_MEMBER, message: `not a member of ${conversation}`, retryable: false } });
        this.shared.errors.inc({ code: 'NOT_A_MEMBER', service: 'delivery' });
        continue;
      }
      await inbox.remove(receiver, [{ conversation, epoch, seq }]);
      out.add(originTarget(origin), { ackA: { conversation, position: { epoch, seq } } });
      const pending = this.pending.settle(pendingKey(conversation, epoch, seq, receiver));
      if (pending) {
        settled.push({ message: pending.message, receiver });
        if (pending.message.receivedAtMs) this.metrics.ackLatency.observe((now - Number(pending.message.receivedAtMs)) / 1000);
      } else {
        // Acked after a delivery restart or from a pull: tell the sender from the stored copy.
        const [stored] = await messageStore.get(conversation, [seq]);
        if (stored && stored.position?.epoch === epoch) settled.push({ message: stored, receiver });
      }
    }
    if (settled.length === 0) return;
    const senders = await presence.lookup([...new Set(settled.map((s) => asUserId(s.message.fromUser)))]);
    for (const { message, receiver } of settled) {
      this.notifySender(out, senders.get(asUserId(message.fromUser)), message, receiver, AckStatus.ACK_STATUS_DELIVERED);
      this.metrics.outcomes.inc({ outcome: 'delivered' });
    }
    this.metrics.pending.set(this.pending.size);
  }

  private async answerOfflinePull(origin: Origin, request: parley.v1.IOfflineRequest, out: DownlinkBatcher): Promise<void> {
    const user = asUserId(origin.userId ?? '');
    const limit = Math.max(1, Math.min(this.options.maxOfflinePage, request.limit || this.options.maxOfflinePage));
    const page = await this.options.infrastructure.inbox.page(user, request.cursor ?? '', limit);
    out.add(originTarget(origin), {
      offlineA: { messages: page.messages.map(toMsgNotify), hasMore: page.hasMore, nextCursor: page.nextCursor },
    });
  }

  private async trimInbox(origin: Origin, request: parley.v1.IOfflineAckRequest): Promise<void> {
    const user = asUserId(origin.userId ?? '');
    const refs = (request.refs ?? []).map((ref) => ({
      conversation: asConversationId(ref.conversation ?? ''),
      epoch: asEpoch(ref.position?.epoch ?? ''),
      seq: Number(ref.position?.seq ?? 0),
    }));
    await this.options.infrastructure.inbox.remove(user, refs);
  }

  /** A pushed message was not acked in time: push again while the receiver is online, else leave it in the inbox. */
  private onAckTimeout(pending: PendingDelivery): void {
    this.redeliver(pending).catch((err: unknown) => {
      this.options.logger.warn({ err, key: pending.key }, 'redelivery failed; will retry');
      this.pending.rescheduled(pending);
    });
  }

  private async redeliver(pending: PendingDelivery): Promise<void> {
    const { presence } = this.options.infrastructure;
    const message = pending.message;
    const sender = asUserId(message.fromUser);
    const online = await presence.lookup([pending.receiver, sender]);
    const out = new DownlinkBatcher();
    const connections = online.get(pending.receiver);
    if (connections && connections.length > 0 && this.pending.canRedeliver(pending)) {
      pending.attempts += 1;
      this.metrics.redeliveries.inc();
      this.push(out, message, connections);
      this.pending.rescheduled(pending);
    } else {
      // Offline, or out of attempts: the message waits in the inbox for the next pull.
      this.pending.settle(pending.key);
      this.notifySender(out, online.get(sender), message, pending.receiver, AckStatus.ACK_STATUS_STORED_OFFLINE);
      this.metrics.outcomes.inc({ outcome: connections?.length ? 'gave_up' : 'stored_offline' });
    }
    await this.flush(out);
  }

  private async flush(out: DownlinkBatcher): Promise<void> {
    for (const [type, count] of out.packetCounts()) this.shared.packets.inc({ type, direction: 'out' }, count);
    const batches = await out.flush(this.options.infrastructure.downlink);
    this.metrics.downlinkBatches.inc(batches);
  }
}
