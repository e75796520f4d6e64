// The StoreGeneration contract over RedisStoreGeneration on the run's shared redis-server:
// a loss is the marker's deletion (FLUSHDB would wipe the other test files' keys), and a
// reconnect is a dropped socket that ioredis opens again.
import { describeStoreGenerationContract } from '@parley/ports/testing';
import { closeRedisConnection, createRedisConnection } from '../../src/redis-connection';
import { RedisStoreGeneration } from '../../src/store-generation.redis';
import { connectTestRedis, testRedisUrl } from './redis-test-env';

describeStoreGenerationContract('redis', async () => {
  const test = await connectTestRedis('store-generation');
  const other = createRedisConnection(testRedisUrl(), { name: 'parley-test-store-generation-2' });
  await other.ping();
  return {
    first: new RedisStoreGeneration({ redis: test.redis, keys: test.keys }),
    second: new RedisStoreGeneration({ redis: other, keys: test.keys }),
    lose: async () => {
      await test.redis.del(test.keys.storeGeneration(0));
    },
    reconnect: async () => {
      const ready = new Promise<void>((resolve) => test.redis.once('ready', () => resolve()));
      test.redis.disconnect(true);
      await ready;
    },
    close: async () => {
      await closeRedisConnection(other);
      await test.close();
    },
  };
});
