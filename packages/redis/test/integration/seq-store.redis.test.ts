// The SeqStore contract over RedisSeqStore + RedisMessageStore on a real redis-server,
// plus what only Redis can do: lose some of a conversation's keys but not others.
import { asConversationId, asDeviceId, asMsgId, asUserId, parley } from '@parley/protocol';
import { FakeClock, senderDevice, type RetentionPolicy } from '@parley/ports';
import { describeSeqStoreContract } from '@parley/ports/testing';
import { MAX_RANGE_MESSAGES, RedisMessageStore } from '../../src/message-store.redis';
import { RedisSeqStore } from '../../src/seq-store.redis';
import { connectTestRedis, type TestRedis } from './redis-test-env';

describeSeqStoreContract('redis', async ({ clock, retention }) => {
  const test = await connectTestRedis('seq-store');
  return {
    seqStore: new RedisSeqStore({ redis: test.redis, keys: test.keys, clock, retention }),
    messageStore: new RedisMessageStore({ redis: test.redis, keys: test.keys, clock, retention }),
    loseData: test.deleteKeys,
    close: test.close,
  };
});

describe('RedisSeqStore', () => {
  const conversation = asConversationId('d:alice:bob');
  const clock = new FakeClock();
  const request = (msgId: string, text: string, clientSeq = 0) => ({
    conversation,
    msgId: asMsgId(msgId),
    sender: senderDevice(asUserId('alice'), asDeviceId('phone')),
    clientSeq,
    message: parley.v1.StoredMessage.create({ conversation, msgId, payload: Buffer.from(text), serverTimeMs: clock.now() }),
  });
  const stores = (retention?: RetentionPolicy) => ({
    seqStore: new RedisSeqStore({ redis: test.redis, keys: test.keys, clock, retention }),
    messageStore: new RedisMessageStore({ redis: test.redis, keys: test.keys, clock, retention }),
  });
  const seqsOf = (messages: ReadonlyArray<{ position?: { seq?: unknown } | null }>) => messages.map((m) => Number(m.position?.seq));
  let test: TestRedis;

  beforeEach(async () => {
    test = await connectTestRedis('seq-store-redis');
  });
  afterEach(async () => {
    await test.close();
  });

  it('starts a new epoch when only the counter was lost, ignoring the old dedupe entries and messages', async () => {
    const { seqStore, messageStore } = stores();
    const before = await seqStore.assign([request('m1', 'one'), request('m2', 'two'), request('m3', 'three')]);

    // As if evicted: the dedupe and messages hashes survive, the counter does not.
    await test.redis.del(test.keys.conversationCounter(conversation));
    const after = await seqStore.assign([request('m2', 'two again')]);

    expect(after[0]).not.toMatchObject({ epoch: (before[0] as { epoch: string }).epoch });
    expect(after[0]).toMatchObject({ outcome: 'new', seq: 1 });
    const epoch = (after[0] as { epoch: string }).epoch;
    const stored = await messageStore.get(conversation, [1, 2, 3]);
    expect(stored.map((m) => [m.msgId, m.position?.epoch, m.position?.seq])).toEqual([['m2', epoch, 1]]);
    // The old epoch's m3 is still at seq 3, past the new latest: range never reaches it.
    const range = await messageStore.range(conversation, 0, 10);
    expect({ epoch: range.epoch, latestSeq: range.latestSeq, oldestSeq: range.oldestSeq }).toEqual({
      epoch,
      latestSeq: 1,
      oldestSeq: 1,
    });
    expect(range.messages.map((m) => [m.msgId, m.position?.epoch])).toEqual([['m2', epoch]]);
  });

  it("forgets the devices' client_seqs when only the counter was lost: they belonged to the old epoch", async () => {
    const { seqStore } = stores();
    await seqStore.assign([request('m1', 'one', 1), request('m2', 'two', 2), request('m3', 'three', 3)]);
    const dedupeKey = test.keys.conversationDedupe(conversation);
    expect(await test.redis.hget(dedupeKey, 'alice/phone')).toBe('3');

    await test.redis.del(test.keys.conversationCounter(conversation));
    // Without the reset, 2 would be refused as reused although this epoch never saw it.
    const after = await seqStore.assign([request('n2', 'first of the new epoch', 2), request('n4', 'ahead', 4)]);

    expect(after.map((a) => a.outcome)).toEqual(['new', 'out_of_order']);
    expect(await test.redis.hget(dedupeKey, 'alice/phone')).toBe('2');
    // The old epoch's msgIds went with them: m1 is a new message of the new epoch.
    expect((await seqStore.assign([request('m1', 'one again', 3)]))[0]).toMatchObject({ outcome: 'new', seq: 2 });
  });

  it('keeps msgIds and client_seqs at least a dedupe window after every new message, renewing the TTL once per interval', async () => {
    // Window 60 s: renewed every 3 s (a twentieth), to 63 s.
    const seqStore = new RedisSeqStore({ redis: test.redis, keys: test.keys, dedupeWindowMs: 60_000, clock });
    const dedupeKey = test.keys.conversationDedupe(conversation);
    await seqStore.assign([request('m1', 'one', 1)]);
    expect(await test.redis.pttl(dedupeKey)).toBeGreaterThan(60_000);
    expect(await test.redis.pttl(dedupeKey)).toBeLessThanOrEqual(63_000);

    // 2 s later (Redis' TTL as if 2 s passed): within the interval, nothing renewed, a window still left.
    clock.advance(2_000);
    await test.redis.pexpire(dedupeKey, 61_000);
    await seqStore.assign([request('u1', 'unnumbered', 0)]);
    expect(await test.redis.pttl(dedupeKey)).toBeLessThanOrEqual(61_000);
    expect(await test.redis.pttl(dedupeKey)).toBeGreaterThan(59_000);

    // 3 s after the renewal: the next new message renews.
    clock.advance(1_000);
    await test.redis.pexpire(dedupeKey, 60_000);
    await seqStore.assign([request('m2', 'two', 2)]);
    expect(await test.redis.pttl(dedupeKey)).toBeGreaterThan(61_000);
    expect(await test.redis.hget(dedupeKey, 'alice/phone')).toBe('2');

    // A duplicate or a refusal writes nothing, the TTL included.
    clock.advance(10_000);
    await test.redis.pexpire(dedupeKey, 50_000);
    expect((await seqStore.assign([request('m2', 'two', 2), request('m9', 'ahead', 9)])).map((a) => a.outcome)).toEqual(['duplicate', 'out_of_order']);
    expect(await test.redis.pttl(dedupeKey)).toBeLessThanOrEqual(50_000);
  });

  it('renews at once a dedupe hash that was lost alone, and after a sequencer whose clock ran ahead', async () => {
    const seqStore = new RedisSeqStore({ redis: test.redis, keys: test.keys, dedupeWindowMs: 60_000, clock });
    const dedupeKey = test.keys.conversationDedupe(conversation);
    const messagesKey = test.keys.conversationMessages(conversation);
    await seqStore.assign([request('m1', 'one', 1)]);
    await test.redis.del(dedupeKey);
    await test.redis.pexpire(messagesKey, 1_000);

    await seqStore.assign([request('m2', 'two', 2)]);
    expect(await test.redis.pttl(dedupeKey)).toBeGreaterThan(60_000);
    expect(await test.redis.pttl(messagesKey)).toBeGreaterThan(60_000);

    // Another sequencer, its clock an hour ahead, renewed last: this one's clock is behind that renewal by more than an interval.
    const ahead = new FakeClock(clock.now() + 3_600_000);
    await new RedisSeqStore({ redis: test.redis, keys: test.keys, dedupeWindowMs: 60_000, clock: ahead }).assign([request('m3', 'three', 3)]);
    await test.redis.pexpire(dedupeKey, 30_000);
    await seqStore.assign([request('m4', 'four', 4)]);
    expect(await test.redis.pttl(dedupeKey)).toBeGreaterThan(60_000);
  });

  it('holds at most maxMessages messages per conversation, and deletes the backlog once after maxMessages is lowered', async () => {
    const generous = stores({ maxMessages: 50, maxAgeMs: 60_000 });
    for (let i = 1; i <= 120; i += 40) {
      await generous.seqStore.assign(Array.from({ length: 40 }, (_, k) => request(`m${i + k}`, `text ${i + k}`)));
    }
    const messagesKey = test.keys.conversationMessages(conversation);
    expect(await test.redis.hlen(messagesKey)).toBe(50);
    expect(await test.redis.hget(test.keys.conversationCounter(conversation), 'oldest')).toBe('71');

    const strict = stores({ maxMessages: 10, maxAgeMs: 60_000 });
    await strict.seqStore.assign([request('m121', 'text 121')]);

    expect(await test.redis.hlen(messagesKey)).toBe(10);
    expect(seqsOf((await strict.messageStore.range(conversation, 0, 100)).messages)).toEqual(
      Array.from({ length: 10 }, (_, i) => 112 + i),
    );
  });

  it('deletes expired messages once range found them, and lets the messages hash expire with the retention', async () => {
    const { seqStore, messageStore } = stores({ maxMessages: 1_000, maxAgeMs: 60_000 });
    await seqStore.assign(Array.from({ length: 20 }, (_, i) => request(`m${i + 1}`, 'old')));
    clock.advance(30_000);
    await seqStore.assign([request('m21', 'new')]);
    const messagesKey = test.keys.conversationMessages(conversation);
    // At least maxAge after the last message; at most a renewal interval (a twentieth) more.
    const ttl = await test.redis.pttl(messagesKey);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(63_000);

    clock.advance(30_001);
    expect((await messageStore.get(conversation, [1])).length).toBe(1); // get judges no age
    const range = await messageStore.range(conversation, 0, 10);

    expect({ oldestSeq: range.oldestSeq, seqs: seqsOf(range.messages) }).toEqual({ oldestSeq: 21, seqs: [21] });
    expect(await test.redis.hlen(messagesKey)).toBe(1);
    expect(await test.redis.hget(test.keys.conversationCounter(conversation), 'oldest')).toBe('21');
    expect(await messageStore.get(conversation, [1, 21])).toHaveLength(1);
  });

  it('treats a lost messages hash as history gone, not as an error', async () => {
    const { seqStore, messageStore } = stores();
    await seqStore.assign([request('m1', 'one'), request('m2', 'two')]);
    await test.redis.del(test.keys.conversationMessages(conversation));

    const range = await messageStore.range(conversation, 0, 10);

    expect({ latestSeq: range.latestSeq, oldestSeq: range.oldestSeq, messages: range.messages }).toEqual({
      latestSeq: 2,
      oldestSeq: 3,
      messages: [],
    });
    expect((await seqStore.assign([request('m3', 'three')]))[0]).toMatchObject({ outcome: 'new', seq: 3 });
    expect(seqsOf((await messageStore.range(conversation, 0, 10)).messages)).toEqual([3]);
  });

  it(`serves at most ${MAX_RANGE_MESSAGES} messages per range call, whatever the limit`, async () => {
    const { seqStore, messageStore } = stores();
    const total = MAX_RANGE_MESSAGES + 200;
    for (let from = 1; from <= total; from += 400) {
      await seqStore.assign(Array.from({ length: 400 }, (_, i) => request(`m${from + i}`, 'x')));
    }

    const first = await messageStore.range(conversation, 0, 100_000);
    const rest = await messageStore.range(conversation, MAX_RANGE_MESSAGES, 100_000);

    expect(seqsOf(first.messages)).toEqual(Array.from({ length: MAX_RANGE_MESSAGES }, (_, i) => i + 1));
    expect(seqsOf(rest.messages)).toEqual(Array.from({ length: 200 }, (_, i) => MAX_RANGE_MESSAGES + i + 1));
    expect(first.latestSeq).toBe(total);
  });

  it("lets the msgIds expire one dedupe window after the conversation's last new message", async () => {
    const seqStore = new RedisSeqStore({ redis: test.redis, keys: test.keys, dedupeWindowMs: 60_000, clock });
    await seqStore.assign([request('m1', 'one')]);

    const ttl = await test.redis.pttl(test.keys.conversationDedupe(conversation));

    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(63_000);
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
