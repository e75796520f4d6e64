// The distributed mode's adapters: Kafka for the bus, Redis (one server or a Redis Cluster) for everything else.
// Loaded only when Kafka and Redis are configured, so the embedded mode never opens them.
import { KafkaBus, KafkaLogEntry } from '@parley/kafka';
import {
  closeRedisConnection,
  createRedisConnection,
  RedisConversationIndex,
  RedisDownlink,
  RedisMembership,
  RedisInbox,
  RedisKeys,
  RedisMessageStore,
  RedisPresence,
  RedisTokenRevocations,
  RedisSeqStore,
  RedisStoreGeneration,
} from '@parley/redis';
import { sharedMetrics, type Registry } from '@parley/observability';
import { DEFAULT_PRODUCE_LINGER_MS, type InfrastructureConfig } from '@parley/runtime';
import type { Infrastructure, InfrastructureDependencies } from './infrastructure';
import { createStoreWatch } from './process-store-watch';
import { retentionOf } from './retention-from-config';

/** Counts the bus's answered Kafka requests in `parley_kafka_requests_total{api}` (one bound child per API name). */
function kafkaRequestCounter(registry: Registry): (api: string) => void {
  const counter = sharedMetrics(registry).kafkaRequests;
  const byApi = new Map<string, { inc(): void }>();
  return (api) => {
    let child = byApi.get(api);
    if (!child) byApi.set(api, (child = counter.labels(api)));
    child.inc();
  };
}

export async function createRealInfrastructure(
  config: InfrastructureConfig,
  deps: InfrastructureDependencies,
  brokers: string,
  redisUrl: string,
): Promise<Infrastructure> {
  const { logger, clock } = deps;
  const kafkaLogger = (entry: KafkaLogEntry) => {
    const line = { kafka: entry.namespace, ...entry.fields };
    if (entry.level === 'error') logger.error(line, entry.message);
    else if (entry.level === 'warn') logger.warn(line, entry.message);
    else logger.debug(line, entry.message);
  };
  const bus = new KafkaBus({
    brokers: brokers.split(',').map((b) => b.trim()).filter(Boolean),
    clientId: deps.clientId,
    logger: kafkaLogger,
    sessionTimeoutMs: config.PARLEY_KAFKA_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: Math.max(500, Math.floor(config.PARLEY_KAFKA_SESSION_TIMEOUT_MS / 5)),
    partitionsConsumedConcurrently: config.PARLEY_KAFKA_PARTITIONS_CONCURRENCY ?? config.PARLEY_TOPIC_PARTITIONS,
    handleWhileSettling: config.PARLEY_KAFKA_HANDLE_WHILE_SETTLING ?? true,
    onRequest: kafkaRequestCounter(deps.registry),
    produceLingerMs: config.PARLEY_KAFKA_PRODUCE_LINGER_MS ?? DEFAULT_PRODUCE_LINGER_MS,
  });
  const redis = createRedisConnection(redisUrl, { name: deps.clientId });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  const keys = new RedisKeys(config.PARLEY_REDIS_PREFIX);
  const retention = retentionOf(config);
  const downlink = new RedisDownlink({
    redis,
    keys,
    onError: (err, gatewayId) => logger.warn({ err, gatewayId }, 'downlink error'),
  });
  const storeGeneration = new RedisStoreGeneration({ redis, keys });
  const storeWatch = createStoreWatch(storeGeneration, clock, { logger, registry: deps.registry, intervalMs: config.PARLEY_STORE_CHECK_INTERVAL_MS });
  return {
    mode: 'distributed',
    bus,
    seqStore: new RedisSeqStore({
      redis,
      keys,
      dedupeWindowMs: config.PARLEY_DEDUPE_WINDOW_MS,
      clock,
      retention,
      replicaAcks: config.PARLEY_REDIS_REPLICA_ACKS,
      replicaAckTimeoutMs: config.PARLEY_REDIS_REPLICA_ACK_TIMEOUT_MS,
    }),
    messageStore: new RedisMessageStore({ redis, keys, clock, retention }),
    inbox: new RedisInbox({ redis, keys }),
    presence: new RedisPresence({ redis, keys, clock }),
    downlink,
    membership: new RedisMembership({ redis, keys }),
    conversationIndex: new RedisConversationIndex({ redis, keys }),
    revocations: new RedisTokenRevocations({ redis, keys }),
    storeGeneration,
    storeWatch,
    close: async () => {
      storeWatch.stop();
      await bus.close();
      await downlink.close();
      await closeRedisConnection(redis);
    },
  };
}
