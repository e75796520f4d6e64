// The TokenRevocations contract over RedisTokenRevocations on the run's shared redis-server,
// read through a second connection as a gateway would.
import { describeTokenRevocationsContract } from '@parley/ports/testing';
import { closeRedisConnection, createRedisConnection } from '../../src/redis-connection';
import { RedisTokenRevocations } from '../../src/token-revocations.redis';
import { connectTestRedis, testRedisUrl } from './redis-test-env';

describeTokenRevocationsContract('redis', async () => {
  const test = await connectTestRedis('token-revocations');
  const other = createRedisConnection(testRedisUrl(), { name: 'parley-test-token-revocations-2' });
  await other.ping();
  return {
    writer: new RedisTokenRevocations({ redis: test.redis, keys: test.keys }),
    reader: new RedisTokenRevocations({ redis: other, keys: test.keys }),
    close: async () => {
      await closeRedisConnection(other);
      await test.close();
    },
  };
});
