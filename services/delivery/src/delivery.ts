// Delivery: consumes the deliver topic (sequenced messages and client requests) and
// routes each record to the part that owns it: 1:1 messages, group messages, or a
// client request. A batch's effects are stored and published before it resolves, so
// its offsets are committed only after them; what it changes in memory that would stop a
// retry from publishing again (a pending message marked acked) changes only after that. When
// the store loses its data, what delivery holds in memory for it (pending 1:1 pushes, group
// messages not acked by every connection) is written back.
import type { ConnectionId } from '@parley/protocol';
import { DownlinkBatcher, type BusBatch, type Clock } from '@parley/ports';
import { Logger, Registry, sharedMetrics } from '@parley/observability';
import { Consumer, consumerGroups, startConsumer, topicNames, type Topics } from '@parley/runtime';
import { deliverRequester, readDeliverRecord, type ClientRequest, type DirectMessage, type GroupMessage, type MessagePosition, type SequencedMessage } from './deliver-record';
import { BatchScope } from './batch-scope';
import { ClientRequests } from './client-requests';
import type { DeliveryContext } from './delivery-context';
import type { DeliveryPorts } from './delivery-ports';
import { deliveryMetrics } from './delivery-metrics';
import { DirectDelivery } from './direct-delivery';
import { GroupDelivery } from './group-delivery';
import { IntakeLag } from './intake-lag';
import type { RedeliveryPolicy } from './redelivery-policy';
import type { RecentGroupMessagesLimits } from './recent-group-messages';
import { RepushBudget } from './repush-budget';
import { SenderNotices } from './sender-notices';

export interface DeliveryOptions {
  readonly topicPrefix: string;
  /** The adapters delivery uses (not the process's whole set). */
  readonly infrastructure: DeliveryPorts;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly redelivery: RedeliveryPolicy;
  /** Largest offline:A and sync:A page. */
  readonly maxOfflinePage: number;
  /** Bounds of the group messages kept in memory (default DEFAULT_RECENT_GROUP_LIMITS). */
  readonly recentGroupLimits?: RecentGroupMessagesLimits;
  /** Re-pushed messages per second this process may send, on average (default 200; RepushBudget). */
  readonly repushPerSecond?: number;
  /** Records waiting and no batch finished for this long = stalled (unhealthy, then onFatal), in ms. */
  readonly stallMs?: number;
  /** Called when the bus consumer stopped for good or stalled. Default: exit the process. */
  readonly onFatal?: (error: Error) => void;
  /** Publish message.delivered for the server API's webhooks (PARLEY_APP_EVENTS). Default false. */
  readonly appEvents?: boolean;
}

export class Delivery {
  private readonly context: DeliveryContext;
  private readonly direct: DirectDelivery;
  private readonly group: GroupDelivery;
  private readonly requests: ClientRequests;
  private readonly topics: Topics;
  private subscription: Consumer | undefined;
  private removeLossListener: (() => void) | undefined;
  private stopped = false;
  /** The write-back after a store loss, while it runs (losses in a row queue behind each other). */
  private restoring: Promise<void> | undefined;

  constructor(private readonly options: DeliveryOptions) {
    const metrics = deliveryMetrics(options.registry);
    this.context = {
      infrastructure: options.infrastructure,
      clock: options.clock,
      logger: options.logger,
      metrics,
      notices: new SenderNotices({ clock: options.clock, logger: options.logger, downlink: options.infrastructure.downlink, repeated: metrics.noticesRepeated }),
      shared: sharedMetrics(options.registry),
      redelivery: options.redelivery,
      maxOfflinePage: options.maxOfflinePage,
      intake: new IntakeLag(),
      repushes: new RepushBudget(options.clock, options.repushPerSecond !== undefined ? { perSecond: options.repushPerSecond } : {}),
      appEvents: options.appEvents ?? false,
    };
    this.topics = topicNames(options.topicPrefix);
    const flush = (out: DownlinkBatcher) => this.flush(out);
    this.direct = new DirectDelivery(this.context, flush);
    this.group = new GroupDelivery(this.context, flush, options.recentGroupLimits);
    this.requests = new ClientRequests(this.context, this.direct, this.group, () => this.settleStoreLoss());
  }

  get ready(): boolean {
    return this.subscription !== undefined;
  }

  /** False once its consumer stalled (/healthz). */
  get healthy(): boolean {
    return this.subscription?.healthy ?? true;
  }

  /** 1:1 (message, connection) pairs awaiting an ack. */
  get pendingCount(): number {
    return this.direct.pending.size;
  }

  /** Messages one connection has not acked yet, 1:1 and group. */
  pendingFor(connectionId: ConnectionId): number {
    return this.direct.pending.pendingFor(connectionId) + this.group.watermarks.pendingFor(connectionId);
  }

  async start(): Promise<void> {
    const { infrastructure, registry, logger, clock, topicPrefix } = this.options;
    this.removeLossListener = infrastructure.storeWatch.onLoss(() => {
      const restoring: Promise<void> = (this.restoring ?? Promise.resolve()).then(() => this.afterStoreLoss());
      this.restoring = restoring;
      void restoring.finally(() => {
        if (this.restoring === restoring) this.restoring = undefined;
      });
    });
    await infrastructure.storeWatch.start();
    const topics = this.topics;
    this.subscription = await startConsumer({
      bus: infrastructure.bus,
      downlink: infrastructure.downlink,
      topic: topics.deliver,
      group: consumerGroups(topicPrefix).delivery,
      handler: (batch) => this.handleBatch(batch),
      deadLetterTopic: topics.deadLetter,
      requesterOf: deliverRequester,
      stallMs: this.options.stallMs,
      registry,
      logger,
      clock,
      onFatal: this.options.onFatal,
    });
  }

  /**
   * The graceful stop: the consumer stops fetching, finishes the batch in hand (its pushes
   * and sender notices included), commits it and leaves its group (the partitions move to
   * another delivery at once); then the timers of re-pushes and repeated notices go (the
   * messages wait in the inboxes, senders retransmit until their ack:N).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.removeLossListener?.();
    await this.subscription?.close();
    this.context.notices.stop();
    this.context.repushes.clear();
    this.subscription = undefined;
    this.direct.pending.clear();
    this.group.watermarks.clear();
    this.group.recent.clear();
  }

  /** Processes one batch of the deliver topic; resolves once every effect is stored and published. */
  async handleBatch(batch: BusBatch): Promise<void> {
    const scope = new BatchScope(this.context);
    // Sequenced messages are handled together (one inbox write, one presence read), and so
    // are client requests (acks in one round of store writes). Requests go first; the one
    // order that matters is an ack after the message it acks, so an ack of a message waiting
    // in this run (a retransmit's duplicate, in practice) first sends the run and the
    // requests gathered before it; so does a sync:R of a conversation with messages in the
    // run (its answer must follow them: after a store loss it hands over what is left of
    // the old epoch, and the client moves to the new epoch on it).
    let run: SequencedMessage[] = [];
    let runPositions = new Set<string>();
    let runConversations = new Set<string>();
    let requests: ClientRequest[] = [];
    let newestReceivedAtMs = 0;
    let lossSettled = false;
    for (const { value } of batch.records) {
      const record = readDeliverRecord(value);
      if (record.kind === 'skip') {
        this.context.metrics.skippedRecords.inc({ reason: record.reason });
        if (record.reason === 'undecodable') this.options.logger.error({ err: record.error }, 'undecodable record on the deliver topic skipped');
        continue;
      }
      newestReceivedAtMs = Math.max(newestReceivedAtMs, record.receivedAtMs);
      if (record.kind === 'direct' || record.kind === 'group') {
        run.push(record);
        runPositions.add(positionKey(record.position));
        runConversations.add(record.position.conversation);
        continue;
      }
      if ((record.kind === 'ack' && runPositions.has(positionKey(record.position))) || (record.kind === 'sync' && runConversations.has(record.conversation))) {
        await this.requests.handleAll(requests, scope);
        await this.deliverRun(run, scope);
        requests = [];
        run = [];
        runPositions = new Set();
        runConversations = new Set();
      }
      if (record.kind === 'pull' && !lossSettled) {
        lossSettled = true;
        await this.settleStoreLoss();
      }
      requests.push(record);
    }
    await this.requests.handleAll(requests, scope);
    await this.deliverRun(run, scope);
    // The conversation list and the pushes are independent: written together. (The batch is
    // committed only after both.)
    const activity = scope.activity();
    await Promise.all([
      activity.length > 0 ? this.context.infrastructure.conversationIndex.touch(activity) : undefined,
      this.flush(scope.out),
    ]);
    // After the batch's pushes (its DELIVERED ack:N among them) and before its commit: a batch
    // handled again publishes its message.delivered again (the same event id), none is lost.
    if (scope.appEvents.length > 0) await this.context.infrastructure.bus.publish(this.topics.deliver, scope.appEvents);
    scope.published();
    this.group.trimAcked();
    this.context.metrics.pending.set(this.direct.pending.size);
    this.context.intake.handled(batch.partition, newestReceivedAtMs, this.context.clock.now());
  }

  private async deliverRun(run: SequencedMessage[], scope: BatchScope): Promise<void> {
    if (run.length === 0) return;
    const groups = run.filter((s): s is GroupMessage => s.kind === 'group');
    const directs = run.filter((s): s is DirectMessage => s.kind === 'direct');
    if (directs.length > 0) await this.direct.deliver(directs, scope);
    if (groups.length > 0) await this.group.deliver(groups, scope);
  }

  private async flush(out: DownlinkBatcher): Promise<void> {
    for (const [type, count] of out.packetCounts()) this.context.shared.packets.inc({ type, direction: 'out' }, count);
    const batches = await out.flush(this.context.infrastructure.downlink);
    this.context.metrics.downlinkBatches.inc(batches);
    this.context.notices.repeatUnheard(out);
  }

  /**
   * Before an inbox pull: the store is checked for a loss now (one marker read, shared with
   * a read in flight) and a write-back in progress is awaited, so the pull a client makes
   * after resync:N finds every pending message, even when this process's connection to the
   * store came back after the gateway's.
   */
  private async settleStoreLoss(): Promise<void> {
    await this.context.infrastructure.storeWatch.check();
    await this.restoring;
  }

  /**
   * The store lost its data. Pending 1:1 messages, and the kept group messages a member's
   * connection has not acked, go back into their receivers' inboxes (until written, retried
   * every second: the receivers pull after their resync:N, and that pull waits for this).
   * Both stay tracked and are pushed again from memory until acked.
   */
  async afterStoreLoss(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        const [direct, group] = await Promise.all([this.direct.restoreInboxes(), this.group.restoreInboxes()]);
        this.context.metrics.inboxRestored.inc({ kind: 'direct' }, direct);
        this.context.metrics.inboxRestored.inc({ kind: 'group' }, group.restored);
        this.options.logger.warn(
          { restored: direct, groupRestored: group.restored, groupUnkept: group.unkept },
          'pending messages written back to the inboxes after the store loss',
        );
        return;
      } catch (err) {
        this.options.logger.warn({ err, attempt }, 'writing pending messages back to the inboxes failed; retrying');
        await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, 1_000));
      }
    }
  }
}

function positionKey(position: MessagePosition): string {
  return `${position.conversation}|${position.epoch}|${position.seq}`;
}
