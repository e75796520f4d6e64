// Owns starting the shared Redis and Kafka once per jest run (in parallel) and publishing their
// addresses to test workers via env vars; stops whatever did start if either fails.
import { startKafkaBroker, type KafkaBrokerHandle } from './kafka-broker';
import { startRedisServer, type RedisServerHandle } from './redis-server';
import { ENV_KAFKA_BROKERS, ENV_REDIS_PORT, ENV_REDIS_URL } from './test-env';

export interface SharedInfra {
  redis?: RedisServerHandle;
  kafka?: KafkaBrokerHandle;
}

export const GLOBAL_KEY = '__parleyTestkitInfra';

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  // Children are guarded by ./orphan-guard: an 'exit' hook plus a watchdog that kills them if
  // this jest process dies without running the teardown (crash, SIGKILL, ^C).
  const [redis, kafka] = await Promise.allSettled([startRedisServer(), startKafkaBroker()]);
  const infra: SharedInfra = {
    redis: redis.status === 'fulfilled' ? redis.value : undefined,
    kafka: kafka.status === 'fulfilled' ? kafka.value : undefined,
  };
  if (redis.status === 'rejected' || kafka.status === 'rejected') {
    await Promise.allSettled([infra.redis?.stop(), infra.kafka?.stop()]);
    const reasons = [redis, kafka]
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason instanceof Error ? r.reason.message : String(r.reason)));
    throw new Error(`testkit global setup failed:\n${reasons.join('\n\n')}`);
  }
  (globalThis as Record<string, unknown>)[GLOBAL_KEY] = infra;
  const r = infra.redis as RedisServerHandle;
  const k = infra.kafka as KafkaBrokerHandle;
  process.env[ENV_REDIS_URL] = r.url;
  process.env[ENV_REDIS_PORT] = String(r.port);
  process.env[ENV_KAFKA_BROKERS] = k.brokers.join(',');
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  process.stderr.write(
    `\n[testkit] redis ${r.url} (pid ${r.pid}), kafka ${k.brokers.join(',')} (pid ${k.pid}) ` +
      `ready in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`,
  );
}
