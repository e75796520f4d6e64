// How a service consumes its topic: one group subscription whose fatal stop ends the process
// (unless the caller handles it), with poison records isolated and dead-lettered, a stall
// watchdog, and its lag reported as a metric.
import type { BatchHandler, Bus, Clock, Downlink, Subscription } from '@parley/ports';
import { Logger, Registry, sharedMetrics } from '@parley/observability';
import { exitOnFatal } from './lifecycle';
import { LagReporter } from './lag-reporter';
import { DeadLetters, type RequesterOf } from './dead-letters';
import { isolatePoisonRecords } from './poison-isolation';
import { StallWatchdog } from './stall-watchdog';

/** Default PARLEY_CONSUMER_STALL_MS. */
export const DEFAULT_CONSUMER_STALL_MS = 60_000;
/** At most one "retrying after a transient failure" line per consumer this often, in ms. */
const TRANSIENT_LOG_EVERY_MS = 10_000;

export interface ConsumerOptions {
  /** The bus consumed from (and where poison records are dead-lettered). */
  readonly bus: Bus;
  /** Where the client of a poison request is answered. */
  readonly downlink: Downlink;
  readonly topic: string;
  readonly group: string;
  readonly handler: BatchHandler;
  /** Where poison records go (`topicNames(prefix).deadLetter`). */
  readonly deadLetterTopic: string;
  /** Who a record's failure is answered to (an error frame); default: nobody. */
  readonly requesterOf?: RequesterOf;
  /** Records waiting on a partition and no batch of it finished for this long = stalled, in ms. Default DEFAULT_CONSUMER_STALL_MS. */
  readonly stallMs?: number | undefined;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  /** A stop for good, or a stall. Default: log and exit so a supervisor restarts the process. */
  readonly onFatal?: ((error: Error) => void) | undefined;
  /** True while the handler of a partition knowingly waits on something with its own deadline: not a stall (StallWatchdogOptions.waiting). */
  readonly waiting?: (partition: number) => boolean;
  /** Where a group with no committed offset starts: the oldest kept record (default) or, false, the end. */
  readonly fromBeginning?: boolean;
}

export interface Consumer extends Subscription {
  /** False once the stall watchdog found the consumer stalled (/healthz reports it). */
  readonly healthy: boolean;
}

/** Passed to onFatal when the watchdog finds the consumer stalled. */
export class ConsumerStalledError extends Error {
  override readonly name = 'ConsumerStalledError';
  constructor(
    readonly topic: string,
    readonly group: string,
    readonly partition: number,
    readonly idleMs: number,
    readonly lag: number,
  ) {
    super(`consumer of ${topic} (group ${group}) finished no batch of partition ${partition} for ${idleMs} ms while ${lag} records waited on it`);
  }
}

export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const { bus, topic, group, logger, clock } = options;
  const metrics = sharedMetrics(options.registry);
  const onFatal = options.onFatal ?? exitOnFatal(logger, `consumer of ${topic} (group ${group})`);
  const deadLetters = new DeadLetters({
    bus,
    downlink: options.downlink,
    topic: options.deadLetterTopic,
    counter: metrics.deadLetters,
    logger,
    ...(options.requesterOf ? { requesterOf: options.requesterOf } : {}),
  });
  let subscription: Subscription | undefined;
  const watchdog = new StallWatchdog({
    clock,
    stallMs: options.stallMs ?? DEFAULT_CONSUMER_STALL_MS,
    ...(options.waiting ? { waiting: options.waiting } : {}),
    lag: () => (subscription?.lagByPartition ? subscription.lagByPartition() : Promise.resolve(new Map<number, number>())),
    onStall: ({ partition, idleMs, lag }) => {
      metrics.consumerStalls.inc({ group, topic });
      const error = new ConsumerStalledError(topic, group, partition, idleMs, lag);
      logger.fatal({ topic, group, partition, idleMs, lag }, `${error.message}: reporting unhealthy and exiting so a supervisor restarts the process`);
      onFatal(error);
    },
  });
  let transientLoggedAt = Number.NEGATIVE_INFINITY;
  const isolated = isolatePoisonRecords(options.handler, {
    deadLetter: (batch, record, error) => deadLetters.write(batch, record, error),
    onTransient: (batch, error) => {
      const now = clock.now();
      if (now - transientLoggedAt < TRANSIENT_LOG_EVERY_MS) return;
      transientLoggedAt = now;
      logger.warn({ err: error, topic, partition: batch.partition, offset: batch.records[0]?.offset }, 'infrastructure unavailable: the batch is handed again after a backoff (nothing skipped)');
    },
    onHandled: (batch) => watchdog.progressed(batch.partition),
  });

  subscription = await bus.subscribe({
    topic,
    group,
    // Handed to the bus as it is (no wrapper and promise of its own per call): the watchdog
    // hears of each batch handled through the isolation's hook.
    handler: isolated,
    onFatal,
    ...(options.fromBeginning !== undefined ? { fromBeginning: options.fromBeginning } : {}),
  });
  watchdog.start();
  const lag = new LagReporter(bus, group, topic, metrics, clock, logger);
  lag.start();
  const started = subscription;
  return {
    get healthy() {
      return watchdog.healthy;
    },
    close: async () => {
      watchdog.stop();
      lag.stop();
      await started.close();
    },
    ...(started.lagByPartition ? { lagByPartition: () => started.lagByPartition!() } : {}),
  };
}
