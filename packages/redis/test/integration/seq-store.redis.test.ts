// The SeqStore contract over RedisSeqStore + RedisMessageStore on a real redis-server,
// plus what only Redis can do: lose some of a conversation's keys but not others.
import { asConversationId, asMsgId, parley } from '@parley/protocol';
import { describeSeqStoreContract } from '@parley/ports/dist/testing/seq-store.contract';
import { RedisMessageStore } from '../../src/message-store.redis';
import { RedisSeqStore } from '../../src/seq-store.redis';
import { connectTestRedis, type TestRedis } from './redis-test-env';

describeSeqStoreContract('redis', async () => {
  const test = await connectTestRedis('seq-store');
  return {
    seqStore: new RedisSeqStore({ redis: test.redis, keys: test.keys }),
    messageStore: new RedisMessageStore({ redis: test.redis, keys: test.keys }),
    loseData: test.deleteKeys,
    close: test.close,
  };
});

describe('RedisSeqStore', () => {
  const conversation = asConversationId('d:alice:bob');
  const request = (msgId: string, text: string) => ({
    conversation,
    msgId: asMsgId(msgId),
    message: parley.v1.StoredMessage.create({ conversation, msgId, payload: Buffer.from(text) }),
  });
  let test: TestRedis;

  beforeEach(async () => {
    test = await connectTestRedis('seq-store-redis');
  });
  afterEach(async () => {
    await test.close();
  });

  it('starts a new epoch when only the counter was lost, ignoring the old dedupe entries and messages', async () => {
    const seqStore = new RedisSeqStore({ redis: test.redis, keys: test.keys });
    const messageStore = new RedisMessageStore({ redis: test.redis, keys: test.keys });
    const before = await seqStore.assign([request('m1', 'one'), request('m2', 'two'), request('m3', 'three')]);

    // As if evicted: the dedupe and messages hashes survive, the counter does not.
    await test.redis.del(test.keys.conversationCounter(conversation));
    const after = await seqStore.assign([request('m2', 'two again')]);

    expect(after[0]!.epoch).not.toBe(before[0]!.epoch);
    expect(after[0]).toMatchObject({ seq: 1, duplicate: false });
    const stored = await messageStore.get(conversation, [1, 2, 3]);
    expect(stored.map((m) => [m.msgId, m.position?.epoch, m.position?.seq])).toEqual([['m2', after[0]!.epoch, 1]]);
  });

  it("lets the msgIds expire one dedupe window after the conversation's last new message", async () => {
    const seqStore = new RedisSeqStore({ redis: test.redis, keys: test.keys, dedupeWindowMs: 60_000 });
    await seqStore.assign([request('m1', 'one')]);

    const ttl = await test.redis.pttl(test.keys.conversationDedupe(conversation));

    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('keeps all of one conversation in one cluster slot', () => {
    const tags = [
      test.keys.conversationCounter(conversation),
      test.keys.conversationDedupe(conversation),
      test.keys.conversationMessages(conversation),
    ].map((key) => /\{([^}]+)\}/.exec(key)?.[1]);
    expect(new Set(tags)).toEqual(new Set([conversation]));
  });
});
