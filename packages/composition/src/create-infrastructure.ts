// Builds the adapters a process runs on from its configuration: Kafka and Redis when
// both are configured, the in-memory set otherwise (the embedded mode), and a clear
// error when only one of the two is set.
import { ConfigError } from '@parley/config';
import { topicNames, topicSpecs, type InfrastructureConfig } from '@parley/runtime';
import type { Infrastructure, InfrastructureDependencies } from './infrastructure';
import { createMemoryInfrastructure } from './memory-infrastructure';
import { retentionOf } from './retention-from-config';
import type { StoreWatchSettings } from './process-store-watch';

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

const storeWatchSettings = (config: InfrastructureConfig, deps: InfrastructureDependencies): StoreWatchSettings => ({
  logger: deps.logger,
  registry: deps.registry,
  intervalMs: config.PARLEY_STORE_CHECK_INTERVAL_MS,
});
