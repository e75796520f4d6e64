// The key layout: one hash tag per conversation or user, even for ids with braces.
import { asConversationId, asUserId } from '@parley/protocol';
import { hashTag, RedisKeys } from '../../src/keys';

/** The part of a key Redis Cluster hashes (its rules: first `{`, then the first `}` after it). */
function slotTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('RedisKeys', () => {
  const keys = new RedisKeys('test:');

  it("puts every key of a conversation in the conversation's slot, whatever its id holds", () => {
    for (const id of ['d:alice:bob', 'weird}{id', '%7D', '{']) {
      const conversation = asConversationId(id);
      const tags = new Set(
        [
          keys.conversationCounter(conversation),
          keys.conversationDedupe(conversation),
          keys.conversationMessages(conversation),
          keys.groupMarker(conversation),
          keys.groupMembers(conversation),
        ].map(slotTag),
      );
      expect(tags.size).toBe(1);
      expect(keys.conversationCounter(conversation).startsWith('test:')).toBe(true);
    }
  });

  it("names the assign script's keys as the single-key methods do", () => {
    for (const id of ['d:alice:bob', 'weird}{id', '%7D']) {
      const conversation = asConversationId(id);
      expect(keys.conversationSeqKeys(conversation)).toEqual([
        keys.conversationCounter(conversation),
        keys.conversationDedupe(conversation),
        keys.conversationMessages(conversation),
      ]);
    }
  });

  it("puts a user's inbox entries and bodies in one slot, and the conversation list and acked positions in one", () => {
    const user = asUserId('bob');
    expect(slotTag(keys.inbox(user))).toBe(slotTag(keys.inboxBodies(user)));
    expect(slotTag(keys.userConversations(user))).toBe(slotTag(keys.userAcked(user)));
  });

  it('never maps two ids to the same tag', () => {
    expect(hashTag('a}')).not.toBe(hashTag('a%7D'));
    expect(hashTag('a{b')).not.toBe(hashTag('a%7Bb'));
    expect(hashTag('plain:id')).toBe('{plain:id}');
    expect(hashTag('%')).toBe('{%25}');
  });

  it('refuses a prefix with braces, which would pull every key into one slot', () => {
    expect(() => new RedisKeys('{parley}:')).toThrow(/must not contain/);
  });
});
