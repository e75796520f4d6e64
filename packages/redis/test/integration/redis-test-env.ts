// Connects integration tests to the run's shared redis-server, each under its own key
// prefix, and deletes only that prefix's keys (other test files run in parallel on the
// same server, so FLUSHDB is never an option).
import type Redis from 'ioredis';
import { ENV_REDIS_URL, testInfra, uniqueNamespace } from '@parley/testkit';
import { RedisKeys } from '../../src/keys';
import { closeRedisConnection, createRedisConnection } from '../../src/redis-connection';

export interface TestRedis {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** Deletes every key under this test's prefix. */
  deleteKeys(): Promise<void>;
  /** Deletes this test's keys and closes the connection. */
  close(): Promise<void>;
}

/** The Redis URL the jest global setup published (only Redis: these tests need no Kafka). */
export function testRedisUrl(): string {
  return process.env[ENV_REDIS_URL] ?? testInfra().redisUrl;
}

export async function connectTestRedis(label: string): Promise<TestRedis> {
  const keys = new RedisKeys(`${uniqueNamespace(label)}:`);
  const redis = createRedisConnection(testRedisUrl(), { name: `parley-test-${label}` });
  await redis.ping();
  const deleteKeys = async (): Promise<void> => {
    let cursor = '0';
    do {
      // uniqueNamespace yields only [a-z0-9-], so the prefix has no glob characters to escape.
      const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.prefix}*`, 'COUNT', 1000);
      if (found.length > 0) await redis.unlink(...found);
      cursor = next;
    } while (cursor !== '0');
  };
  return {
    redis,
    keys,
    deleteKeys,
    close: async () => {
      await deleteKeys();
      await closeRedisConnection(redis);
    },
  };
}
