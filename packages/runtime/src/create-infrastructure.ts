// Builds the adapters a process runs on from its configuration: Kafka and Redis when
// both are configured, the in-memory set otherwise (the embedded mode), and a clear
// error when only one of the two is set.
import { ConfigError, Counter, createLogger, Logger, Registry } from '@parley/observability';
import {
  Clock,
  MemoryBus,
  MemoryConversationLog,
  MemoryConversationIndex,
  MemoryDownlink,
  MemoryMembership,
  MemoryInbox,
  MemoryMessageStore,
  MemoryPresence,
  MemoryTokenRevocations,
  MemorySeqStore,
  MemoryStoreGeneration,
  DEFAULT_RETENTION,
  RetentionPolicy,
  StoreGeneration,
} from '@parley/ports';
import type { Infrastructure } from './infrastructure';
import type { InfrastructureConfig } from './infrastructure-config';
import { StoreWatch } from './store-watch';
import { topicNames, topicSpecs } from './topics';

export interface InfrastructureDependencies {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Kafka client id and Redis connection name. */
  readonly clientId: string;
  /** A service run alone must not silently start on memory adapters nobody else can see. */
  readonly requireReal?: boolean;
}

export async function createInfrastructure(config: InfrastructureConfig, deps: InfrastructureDependencies): Promise<Infrastructure> {
  const brokers = config.PARLEY_KAFKA_BROKERS;
  const redisUrl = config.PARLEY_REDIS_URL;
  if (!brokers && !redisUrl) {
    if (deps.requireReal) {
      throw new ConfigError(['PARLEY_KAFKA_BROKERS and PARLEY_REDIS_URL: required for a service run alone (npm start runs everything embedded)']);
    }
    const memory = createMemoryInfrastructure(deps.clock, retentionOf(config), storeWatchSettings(config, deps));
    await memory.bus.ensureTopics(topicSpecs(topicNames(config.PARLEY_TOPIC_PREFIX), config.PARLEY_TOPIC_PARTITIONS));
    return memory;
  }
  if (!brokers || !redisUrl) {
    throw new ConfigError([
      `${brokers ? 'PARLEY_REDIS_URL' : 'PARLEY_KAFKA_BROKERS'}: required together with ${brokers ? 'PARLEY_KAFKA_BROKERS' : 'PARLEY_REDIS_URL'} (set both for Kafka + Redis, neither for the embedded mode)`,
    ]);
  }
  const { createRealInfrastructure } = await import('./real-infrastructure');
  const infrastructure = await createRealInfrastructure(config, deps, brokers, redisUrl);
  await infrastructure.bus.ensureTopics(topicSpecs(topicNames(config.PARLEY_TOPIC_PREFIX), config.PARLEY_TOPIC_PARTITIONS));
  return infrastructure;
}

/** How a process's StoreWatch reads and reports (defaults: silent, unregistered metric, 1 s). */
export interface StoreWatchSettings {
  readonly logger?: Logger;
  readonly registry?: Registry;
  readonly intervalMs?: number;
}

const storeWatchSettings = (config: InfrastructureConfig, deps: InfrastructureDependencies): StoreWatchSettings => ({
  logger: deps.logger,
  registry: deps.registry,
  intervalMs: config.PARLEY_STORE_CHECK_INTERVAL_MS,
});

/** The StoreWatch of one process's infrastructure, with its `parley_store_data_loss_total` counter. */
export function createStoreWatch(generation: StoreGeneration, clock: Clock, settings: StoreWatchSettings = {}): StoreWatch {
  const losses = new Counter({
    name: 'parley_store_data_loss_total',
    help: 'Times this process saw the store (Redis) lose its data: its generation marker gone or replaced',
    registers: settings.registry ? [settings.registry] : [],
  });
  return new StoreWatch(generation, {
    intervalMs: settings.intervalMs ?? 1_000,
    clock,
    logger: settings.logger ?? createLogger('parley', 'silent'),
    losses,
  });
}

/**
 * The embedded mode: every adapter in this process's memory. Single process only. Its
 * store never loses data by itself (`storeGeneration` is a MemoryStoreGeneration, whose
 * `forget()` lets tests stage a loss).
 */
export function createMemoryInfrastructure(clock: Clock, retention: RetentionPolicy = DEFAULT_RETENTION, watch: StoreWatchSettings = {}): Infrastructure {
  const log = new MemoryConversationLog();
  // The sequencer's and delivery's groups are the only ones: what both committed is dropped,
  // so a long-running `npm start` holds only the records still being processed.
  const bus = new MemoryBus({ dropCommitted: true });
  const storeGeneration = new MemoryStoreGeneration();
  const storeWatch = createStoreWatch(storeGeneration, clock, watch);
  return {
    mode: 'embedded',
    bus,
    seqStore: new MemorySeqStore(log, clock, retention),
    messageStore: new MemoryMessageStore(log, clock, retention),
    inbox: new MemoryInbox(),
    presence: new MemoryPresence(clock),
    downlink: new MemoryDownlink(),
    membership: new MemoryMembership(),
    conversationIndex: new MemoryConversationIndex(),
    revocations: new MemoryTokenRevocations(),
    storeGeneration,
    storeWatch,
    close: async () => {
      storeWatch.stop();
      await bus.close?.();
    },
  };
}

export const retentionOf = (config: InfrastructureConfig): RetentionPolicy => ({
  maxMessages: config.PARLEY_RETENTION_MAX_MESSAGES,
  maxAgeMs: config.PARLEY_RETENTION_MAX_AGE_MS,
});
