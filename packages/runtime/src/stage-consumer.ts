// The consumer of a pipeline stage: the sequencer consumes the send topic in its consumer
// group, delivery the deliver topic in its own, both through startConsumer (poison isolation,
// dead letters, stall watchdog, lag). Ready once subscribed; unhealthy once stalled.
import type { BatchHandler, Bus, Clock, Downlink } from '@parley/ports';
import type { Logger, Registry } from '@parley/observability';
import { startConsumer, type Consumer } from './consumer';
import type { RequesterOf } from './dead-letters';
import { consumerGroups, topicNames } from './topics';

/** The services that consume one topic of the message pipeline, each in its own consumer group. */
export type PipelineStage = 'sequencer' | 'delivery';

/** The topic each stage consumes. */
const STAGE_TOPIC = { sequencer: 'send', delivery: 'deliver' } as const;

export interface StageConsumerOptions {
  readonly stage: PipelineStage;
  readonly topicPrefix: string;
  /** The bus consumed from (and where poison records are dead-lettered). */
  readonly bus: Bus;
  /** Where the client of a poison record is answered. */
  readonly downlink: Downlink;
  readonly handler: BatchHandler;
  /** Who a record's failure is answered to (an error frame). */
  readonly requesterOf: RequesterOf;
  /** Records waiting and no batch finished for this long = stalled, in ms. Default DEFAULT_CONSUMER_STALL_MS. */
  readonly stallMs?: number | undefined;
  /** Called when the consumer stopped for good or stalled. Default: exit the process. */
  readonly onFatal?: ((error: Error) => void) | undefined;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
}

export class StageConsumer {
  private consumer: Consumer | undefined;

  constructor(private readonly options: StageConsumerOptions) {}

  /** Subscribed (/readyz). */
  get ready(): boolean {
    return this.consumer !== undefined;
  }

  /** False once the consumer stalled (/healthz). */
  get healthy(): boolean {
    return this.consumer?.healthy ?? true;
  }

  async start(): Promise<void> {
    const { stage, topicPrefix, bus, downlink, handler, requesterOf, stallMs, onFatal, registry, logger, clock } = this.options;
    const topics = topicNames(topicPrefix);
    this.consumer = await startConsumer({
      bus,
      downlink,
      topic: topics[STAGE_TOPIC[stage]],
      group: consumerGroups(topicPrefix)[stage],
      handler,
      deadLetterTopic: topics.deadLetter,
      requesterOf,
      stallMs,
      registry,
      logger,
      clock,
      onFatal,
    });
  }

  /** The graceful stop: no more fetches, the batch in hand finished and committed, the group left. */
  async close(): Promise<void> {
    await this.consumer?.close();
    this.consumer = undefined;
  }
}
