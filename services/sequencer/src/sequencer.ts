// The sequencer: one writer per conversation (the owner of the conversation's
// partition of the send topic). For each batch it assigns (epoch, seq) to every
// msg:R (deduplicated by msgId), stores the messages, forwards them to delivery and
// answers each sender with msg:A. The batch's offsets are committed only after all
// of that succeeded, so a crash and replay never loses or renumbers a message.
import { decodeClientPacket, encodeDeliveryCommand, parley } from '@parley/protocol';
import type { BusBatch, BusRecord, Clock, Subscription } from '@parley/ports';
import { Logger, Registry, sharedMetrics, SharedMetrics } from '@parley/observability';
import { consumerGroups, DownlinkBatcher, Infrastructure, startConsumer, topicNames, Topics } from '@parley/runtime';
import { GatewayId, asConnectionId, asGatewayId, asUserId } from '@parley/protocol';
import { SendRequest, toSendRequest } from './sequence-request';
import { sequencerMetrics, SequencerMetrics } from './sequencer-metrics';

export interface SequencerOptions {
  readonly topicPrefix: string;
  readonly infrastructure: Infrastructure;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Called when the bus consumer stopped for good. Default: exit the process. */
  readonly onFatal?: (error: Error) => void;
}

export class Sequencer {
  private readonly topics: Topics;
  private readonly metrics: SequencerMetrics;
  private readonly shared: SharedMetrics;
  private subscription: Subscription | undefined;

  constructor(private readonly options: SequencerOptions) {
    this.topics = topicNames(options.topicPrefix);
    this.metrics = sequencerMetrics(options.registry);
    this.shared = sharedMetrics(options.registry);
  }

  get ready(): boolean {
    return this.subscription !== undefined;
  }

  async start(): Promise<void> {
    const { infrastructure, registry, logger, clock, topicPrefix } = this.options;
    this.subscription = await startConsumer({
      infrastructure,
      topic: this.topics.send,
      group: consumerGroups(topicPrefix).sequencer,
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
  }

  /** Exposed for tests: processes one batch of the send topic. */
  async handleBatch(batch: BusBatch): Promise<void> {
    const endTimer = this.metrics.batchSeconds.startTimer();
    const { seqStore, bus, downlink } = this.options.infrastructure;
    const now = this.options.clock.now();
    const requests: SendRequest[] = [];
    for (const record of batch.records) {
      const request = this.decode(record, now);
      if (request) requests.push(request);
    }
    if (requests.length === 0) return;

    const assignments = await seqStore.assign(requests.map((r) => r.assign));
    const forward: BusRecord[] = [];
    const answers = new DownlinkBatcher();
    requests.forEach((request, i) => {
      const assignment = assignments[i]!;
      const position = { epoch: assignment.epoch, seq: assignment.seq };
      const message = parley.v1.StoredMessage.create({ ...request.assign.message, position });
      this.metrics.assigned.inc({ result: assignment.duplicate ? 'duplicate' : 'new' });
      forward.push({
        key: request.assign.conversation,
        value: encodeDeliveryCommand({ sequenced: { message, duplicate: assignment.duplicate, origin: request.origin } }),
      });
      answers.add(
        {
          gatewayId: asGatewayId(request.origin.gatewayId ?? '') as GatewayId,
          user: asUserId(request.origin.userId ?? ''),
          connectionId: asConnectionId(request.origin.connectionId ?? ''),
        },
        { msgA: { msgId: request.assign.message.msgId, conversation: request.assign.conversation, position, serverTimeMs: now } },
      );
    });
    // Delivery must have the message before the sender is told it was accepted.
    await bus.publish(this.topics.deliver, forward);
    await answers.flush(downlink);
    this.shared.packets.inc({ type: 'msg:A', direction: 'out' }, requests.length);
    endTimer();
  }

  private decode(record: BusRecord, now: number): SendRequest | undefined {
    try {
      const request = toSendRequest(decodeClientPacket(record.value), now);
      if (!request) this.metrics.skipped.inc({ reason: 'not_msg_r' });
      return request;
    } catch (err) {
      // A record that cannot be decoded never will be: skip it rather than block the partition.
      this.metrics.skipped.inc({ reason: 'undecodable' });
      this.options.logger.error({ err, partition: 'send' }, 'undecodable record on the send topic skipped');
      return undefined;
    }
  }
}
