// The Inbox contract over RedisInbox on a real redis-server.
import { describeInboxContract } from '@parley/ports/testing';
import { RedisInbox } from '../../src/inbox.redis';
import { connectTestRedis } from './redis-test-env';

describeInboxContract('redis', async () => {
  const test = await connectTestRedis('inbox');
  return { inbox: new RedisInbox({ redis: test.redis, keys: test.keys }), close: test.close };
});
