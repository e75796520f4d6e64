// The Membership contract over RedisMembership on a real redis-server.
import { asUserId, groupConversationId } from '@parley/protocol';
import { describeMembershipContract } from '@parley/ports/testing';
import { RedisMembership } from '../../src/membership.redis';
import { connectTestRedis } from './redis-test-env';

describeMembershipContract('redis', async () => {
  const test = await connectTestRedis('membership');
  return {
    membership: new RedisMembership({ redis: test.redis, keys: test.keys }),
    close: test.close,
    // A store restarted empty: every key of this test's prefix gone.
    lose: () => test.deleteKeys(),
  };
});

describe('RedisMembership', () => {
  it("keeps a group's marker and members in the conversation's cluster slot", async () => {
    const test = await connectTestRedis('membership-slot');
    try {
      const team = groupConversationId('team');
      const membership = new RedisMembership({ redis: test.redis, keys: test.keys });
      await membership.markRestored();
      await membership.create(team, [asUserId('alice')]);

      const tags = [test.keys.groupMarker(team), test.keys.groupMembers(team), test.keys.conversationCounter(team)].map(
        (key) => /\{([^}]+)\}/.exec(key)?.[1],
      );
      expect(new Set(tags)).toEqual(new Set([team]));
      expect(await test.redis.exists(test.keys.groupMarker(team), test.keys.groupMembers(team))).toBe(2);
    } finally {
      await test.close();
    }
  });
});
