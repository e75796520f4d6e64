// Connects integration tests to the run's shared redis-server, each under its own key
// prefix, and deletes only that prefix's keys (other test files run in parallel on the
// same server, so FLUSHDB is never an option).
import type Redis from 'ioredis';
import { ENV_REDIS_URL, testInfra, uniqueNamespace } from '@parley/testkit';
import { RedisKeys } from '../../src/keys';
import { closeRedisConnection, createRedisConnection, isCluster, type RedisClient } from '../../src/redis-connection';

export interface TestRedis {
  readonly redis: RedisClient;
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

/**
 * A connection under a fresh key prefix, to the run's shared redis-server or to `url` (a
 * `redis+cluster://` URL: a Redis Cluster, whose every master is scanned to delete keys).
 */
export async function connectTestRedis(label: string, url: string = testRedisUrl()): Promise<TestRedis> {
  const keys = new RedisKeys(`${uniqueNamespace(label)}:`);
  const redis = createRedisConnection(url, { name: `parley-test-${label}` });
  if (isCluster(redis)) await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  else await redis.ping();
  const deleteKeysOn = async (node: Redis): Promise<void> => {
    let cursor = '0';
    do {
      // uniqueNamespace yields only [a-z0-9-], so the prefix has no glob characters to escape.
      const [next, found] = await node.scan(cursor, 'MATCH', `${keys.prefix}*`, 'COUNT', 1000);
      // One key per UNLINK: on a cluster, one command's keys must share a slot.
      await Promise.all(found.map((key) => node.unlink(key)));
      cursor = next;
    } while (cursor !== '0');
  };
  const deleteKeys = async (): Promise<void> => {
    await Promise.all((isCluster(redis) ? redis.nodes('master') : [redis]).map(deleteKeysOn));
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
