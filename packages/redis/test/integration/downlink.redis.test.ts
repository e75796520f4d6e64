// The Downlink contract over RedisDownlink (Redis pub/sub on a real redis-server).
import { describeDownlinkContract } from '@parley/ports/testing';
import { RedisDownlink } from '../../src/downlink.redis';
import { connectTestRedis } from './redis-test-env';

describeDownlinkContract('redis', async () => {
  const test = await connectTestRedis('downlink');
  const downlink = new RedisDownlink({ redis: test.redis, keys: test.keys });
  return {
    downlink,
    close: async () => {
      await downlink.close();
      await test.close();
    },
  };
});
