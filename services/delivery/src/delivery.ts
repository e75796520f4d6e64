// Delivery: consumes the deliver topic (sequenced messages and client requests), reads each
// record once (deliver-record.ts) and hands it to the part that owns it: 1:1 messages, group
// messages, or a client request. It builds the parts, each with the few ports and limits it
// uses. A batch's effects are stored and published before it resolves, so its offsets are
// committed only after them; what it changes in memory that would stop a retry from publishing
// again (a pending message marked acked) changes only after that. When the store loses its
// data, what delivery holds in memory for it is written back (store-loss-recovery.ts).
import type { ConnectionId } from '@parley/protocol';
import type { BusBatch, Clock } from '@parley/ports';
import { Logger, Registry, sharedMetrics } from '@parley/observability';
import { StageConsumer, topicNames, type Topics } from '@parley/runtime';
import { Acks } from './acks';
import { BatchScope, type BatchScopeParts } from './batch-scope';
import { ClientRequests } from './client-requests';
import { ConversationList } from './conversation-list';
import { deliverRequester, readDeliverRecord, type ClientRequest, type DirectMessage, type GroupMessage, type MessagePosition, type SequencedMessage } from './deliver-record';
import type { DeliveryPorts } from './delivery-ports';
import { deliveryMetrics, type DeliveryMetrics } from './delivery-metrics';
import { DirectDelivery } from './direct-delivery';
import { FramePublisher } from './frame-publisher';
import { GroupDelivery } from './group-delivery';
import { HistorySync } from './history-sync';
import { InboxPull } from './inbox-pull';
import { IntakeLag } from './intake-lag';
import { ReadReceipts } from './read-receipts';
import type { RedeliveryPolicy } from './redelivery-policy';
import type { RecentGroupMessagesLimits } from './recent-group-messages';
import { RepushBudget } from './repush-budget';
import { SenderNotices } from './sender-notices';
import { StoreLossRecovery } from './store-loss-recovery';

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
  private readonly metrics: DeliveryMetrics;
  /** Whether the deliver topic's backlog may still hold acks: re-pushes wait while it does. */
  private readonly intake = new IntakeLag();
  /** Re-pushes per second this process may send (first pushes are not limited). */
  private readonly repushes: RepushBudget;
  /** The senders' ack:N (routing and repetition). */
  private readonly notices: SenderNotices;
  private readonly publisher: FramePublisher;
  private readonly scopeParts: BatchScopeParts;
  private readonly direct: DirectDelivery;
  private readonly group: GroupDelivery;
  private readonly requests: ClientRequests;
  private readonly storeLoss: StoreLossRecovery;
  private readonly topics: Topics;
  private readonly consumer: StageConsumer;
  /** What parley_delivery_pending_acks was last set to (set after a batch only when it moved). */
  private pendingReported = 0;

  constructor(private readonly options: DeliveryOptions) {
    const { infrastructure: ports, clock, logger, redelivery } = options;
    const { inbox, messageStore, conversationIndex } = ports;
    const metrics = (this.metrics = deliveryMetrics(options.registry));
    const { errors, packets } = sharedMetrics(options.registry);
    this.topics = topicNames(options.topicPrefix);
    this.notices = new SenderNotices({ clock, logger, downlink: ports.downlink, repeated: metrics.noticesRepeated });
    this.repushes = new RepushBudget(clock, options.repushPerSecond !== undefined ? { perSecond: options.repushPerSecond } : {});
    this.publisher = new FramePublisher({ downlink: ports.downlink, packets, downlinkBatches: metrics.downlinkBatches, notices: this.notices });
    this.scopeParts = { presence: ports.presence, membership: ports.membership, appEvents: options.appEvents ?? false };
    const pushing = { presence: ports.presence, publisher: this.publisher, notices: this.notices, clock, logger, redelivery, intake: this.intake, repushes: this.repushes, metrics };
    this.direct = new DirectDelivery({ ...pushing, inbox });
    this.group = new GroupDelivery({ ...pushing, inbox, messageStore, limits: options.recentGroupLimits });
    this.storeLoss = new StoreLossRecovery({
      storeWatch: ports.storeWatch,
      restorers: { direct: () => this.direct.restoreInboxes(), group: () => this.group.restoreInboxes() },
      clock,
      logger,
      metrics,
    });
    this.consumer = new StageConsumer({
      stage: 'delivery',
      topicPrefix: options.topicPrefix,
      bus: ports.bus,
      downlink: ports.downlink,
      handler: (batch) => this.handleBatch(batch),
      requesterOf: deliverRequester,
      stallMs: options.stallMs,
      onFatal: options.onFatal,
      registry: options.registry,
      logger,
      clock,
    });
    const maxPage = options.maxOfflinePage;
    this.requests = new ClientRequests({
      acks: new Acks({ inbox, messageStore, conversationIndex, pending: this.direct.pending, group: this.group, notices: this.notices, clock, metrics, errors }),
      reads: new ReadReceipts({ messageStore, conversationIndex, errors }),
      pulls: new InboxPull({ inbox, maxPage }),
      syncs: new HistorySync({ messageStore, inbox, recentGroupMessages: this.group.recent, storeLoss: this.storeLoss, maxPage, metrics, errors }),
      conversations: new ConversationList({ conversationIndex, messageStore, inbox }),
      errors,
    });
  }

  get ready(): boolean {
    return this.consumer.ready;
  }

  /** False once its consumer stalled (/healthz). */
  get healthy(): boolean {
    return this.consumer.healthy;
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
    await this.storeLoss.start();
    await this.consumer.start();
  }

  /**
   * The graceful stop: the consumer stops fetching, finishes the batch in hand (its pushes
   * and sender notices included), commits it and leaves its group (the partitions move to
   * another delivery at once); then the timers of re-pushes and repeated notices go (the
   * messages wait in the inboxes, senders retransmit until their ack:N).
   */
  async stop(): Promise<void> {
    this.storeLoss.stop();
    await this.consumer.close();
    this.notices.stop();
    this.repushes.clear();
    this.direct.pending.clear();
    this.group.watermarks.clear();
    this.group.recent.clear();
  }

  /** Processes one batch of the deliver topic; resolves once every effect is stored and published. */
  async handleBatch(batch: BusBatch): Promise<void> {
    const scope = new BatchScope(this.scopeParts);
    try {
      await this.handleIn(batch, scope);
    } catch (err) {
      scope.fail();
      throw err;
    }
  }

  private async handleIn(batch: BusBatch, scope: BatchScope): Promise<void> {
    // Sequenced messages are handled together (one inbox write, one presence read), and so
    // are client requests (acks in one round of store writes). Requests go first; the one
    // order that matters is an ack after the message it acks, so an ack of a message waiting
    // in this run (a retransmit's duplicate, in practice) first sends the run and the
    // requests gathered before it; so does a sync:R of a conversation with messages in the
    // run (its answer must follow them: after a store loss it hands over what is left of
    // the old epoch, and the client moves to the new epoch on it).
    let run: SequencedMessage[] = [];
    /** The run's positions and conversations, made at the first request that follows messages (most batches hold only one kind). */
    let index: RunIndex | undefined;
    let requests: ClientRequest[] = [];
    let newestReceivedAtMs = 0;
    let lossSettled = false;
    for (const { value } of batch.records) {
      const record = readDeliverRecord(value);
      if (record.kind === 'skip') {
        this.metrics.skippedRecords.inc({ reason: record.reason });
        if (record.reason === 'undecodable') this.options.logger.error({ err: record.error }, 'undecodable record on the deliver topic skipped');
        continue;
      }
      newestReceivedAtMs = Math.max(newestReceivedAtMs, record.receivedAtMs);
      if (record.kind === 'direct' || record.kind === 'group') {
        run.push(record);
        index?.add(record);
        continue;
      }
      if (run.length > 0 && (record.kind === 'ack' || record.kind === 'sync')) {
        index ??= RunIndex.of(run);
        if (record.kind === 'ack' ? index.positions.has(positionKey(record.position)) : index.conversations.has(record.conversation)) {
          await this.requests.handleAll(requests, scope);
          await this.deliverRun(run, scope);
          requests = [];
          run = [];
          index = undefined;
        }
      }
      if (record.kind === 'pull' && !lossSettled) {
        lossSettled = true;
        await this.storeLoss.settled();
      }
      requests.push(record);
    }
    if (requests.length > 0) await this.requests.handleAll(requests, scope);
    if (run.length > 0) await this.deliverRun(run, scope);
    // The conversation list and the pushes are independent: written together. (The batch is
    // committed only after both.)
    const activity = scope.activity();
    if (activity.length > 0) await Promise.all([this.options.infrastructure.conversationIndex.touch(activity), this.publisher.publish(scope.out)]);
    else await this.publisher.publish(scope.out);
    // After the batch's pushes (its DELIVERED ack:N among them) and before its commit: a batch
    // handled again publishes its message.delivered again (the same event id), none is lost.
    if (scope.appEvents.length > 0) await this.options.infrastructure.bus.publish(this.topics.deliver, scope.appEvents);
    scope.published();
    this.group.trimAcked();
    if (this.direct.pending.size !== this.pendingReported) {
      this.pendingReported = this.direct.pending.size;
      this.metrics.pending.set(this.pendingReported);
    }
    this.intake.handled(batch.partition, newestReceivedAtMs, this.options.clock.now());
  }

  private async deliverRun(run: SequencedMessage[], scope: BatchScope): Promise<void> {
    if (run.length === 0) return;
    // One pass; a list only for a kind the run has.
    let groups: GroupMessage[] | undefined;
    let directs: DirectMessage[] | undefined;
    for (const s of run) {
      if (s.kind === 'group') (groups ??= []).push(s);
      else (directs ??= []).push(s);
    }
    if (directs) await this.direct.deliver(directs, scope);
    if (groups) await this.group.deliver(groups, scope);
  }

  /**
   * The store lost its data: pending 1:1 messages and the kept group messages a member's
   * connection has not acked go back into their receivers' inboxes (StoreLossRecovery).
   */
  async afterStoreLoss(): Promise<void> {
    await this.storeLoss.afterStoreLoss();
  }
}

/** The positions and conversations of a run of messages, for the requests that must follow them. */
class RunIndex {
  readonly positions = new Set<string>();
  readonly conversations = new Set<string>();

  static of(run: readonly SequencedMessage[]): RunIndex {
    const index = new RunIndex();
    for (const message of run) index.add(message);
    return index;
  }

  add(message: SequencedMessage): void {
    this.positions.add(positionKey(message.position));
    this.conversations.add(message.position.conversation);
  }
}

function positionKey(position: MessagePosition): string {
  return `${position.conversation}|${position.epoch}|${position.seq}`;
}
