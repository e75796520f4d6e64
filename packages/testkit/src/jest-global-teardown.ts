// Owns stopping the shared Redis and Kafka started by jest-global-setup, even if tests failed.
import { GLOBAL_KEY, type SharedInfra } from './jest-global-setup';
import { ENV_KAFKA_BROKERS, ENV_REDIS_PORT, ENV_REDIS_URL } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const infra = g[GLOBAL_KEY] as SharedInfra | undefined;
  delete g[GLOBAL_KEY];
  delete process.env[ENV_REDIS_URL];
  delete process.env[ENV_REDIS_PORT];
  delete process.env[ENV_KAFKA_BROKERS];
  if (!infra) return;
  const results = await Promise.allSettled([infra.redis?.stop(), infra.kafka?.stop()]);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length > 0) {
    throw new Error(`testkit teardown: ${failures.map((f) => String(f.reason)).join('; ')}`);
  }
}
