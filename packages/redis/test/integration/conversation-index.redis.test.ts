// The ConversationIndex contract over RedisConversationIndex on a real redis-server.
import { asConversationId, asEpoch, asUserId } from '@parley/protocol';
import { describeConversationIndexContract } from '@parley/ports/testing';
import { RedisConversationIndex } from '../../src/conversation-index.redis';
import { connectTestRedis, type TestRedis } from './redis-test-env';

describeConversationIndexContract('redis', async () => {
  const test = await connectTestRedis('conversation-index');
  return { index: new RedisConversationIndex({ redis: test.redis, keys: test.keys }), close: test.close };
});

describe('RedisConversationIndex', () => {
  let test: TestRedis;
  beforeEach(async () => {
    test = await connectTestRedis('conversation-index-redis');
  });
  afterEach(async () => {
    await test.close();
  });

  it('compares epochs byte by byte, whatever their length', async () => {
    const index = new RedisConversationIndex({ redis: test.redis, keys: test.keys });
    const bob = asUserId('bob');
    const direct = asConversationId('d:alice:bob');
    await index.ack([{ user: bob, conversation: direct, epoch: asEpoch('b'), seq: 9 }]);
    await index.ack([{ user: bob, conversation: direct, epoch: asEpoch('ab'), seq: 20 }]);
    await index.ack([{ user: bob, conversation: direct, epoch: asEpoch('ba'), seq: 1 }]);

    expect(await index.acked(direct, [bob])).toEqual([{ epoch: 'ba', seq: 1 }]);
  });
});
