// The Presence contract over RedisPresence on a real redis-server: expiry is real time,
// awaited with a deadline.
import { asConnectionId, asGatewayId, asUserId } from '@parley/protocol';
import { waitFor } from '@parley/testkit';
import { describePresenceContract } from '@parley/ports/testing';
import { RedisPresence } from '../../src/presence.redis';
import { connectTestRedis } from './redis-test-env';

describePresenceContract('redis', async () => {
  const test = await connectTestRedis('presence');
  return {
    presence: new RedisPresence({ redis: test.redis, keys: test.keys }),
    shortTtlMs: 300,
    letTimePass: (ms, condition, what) => waitFor(condition, { timeoutMs: ms + 5_000, intervalMs: 50, what }),
    close: test.close,
  };
});

describe('RedisPresence', () => {
  it("keeps a user's key (and the gateway's user set) alive as long as its longest-lived entry", async () => {
    const test = await connectTestRedis('presence-ttl');
    try {
      const presence = new RedisPresence({ redis: test.redis, keys: test.keys });
      const alice = asUserId('alice');
      const gw = asGatewayId('gw-1');
      await presence.register([{ user: alice, gatewayId: gw, connectionId: asConnectionId('long') }], 60_000);
      await presence.register([{ user: alice, gatewayId: gw, connectionId: asConnectionId('short') }], 1_000);

      expect(await test.redis.pttl(test.keys.presence(alice))).toBeGreaterThan(50_000);
      expect(await test.redis.pttl(test.keys.gatewayUsers(gw))).toBeGreaterThan(50_000);
    } finally {
      await test.close();
    }
  });
});
