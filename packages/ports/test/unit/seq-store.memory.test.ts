// The SeqStore contract over MemorySeqStore + MemoryMessageStore sharing one MemoryConversationLog.
import { DEFAULT_RETENTION, MemoryConversationLog, MemoryMessageStore, MemorySeqStore, senderDevice } from '@parley/ports';
import { asConversationId, asDeviceId, asMsgId, asUserId, parley } from '@parley/protocol';
import { describeSeqStoreContract } from '@parley/ports/testing';

describeSeqStoreContract('memory', async ({ clock, retention }) => {
  const log = new MemoryConversationLog();
  return {
    seqStore: new MemorySeqStore(log, clock, retention),
    messageStore: new MemoryMessageStore(log, clock, retention),
    loseData: async () => log.loseEverything(),
    close: async () => {},
  };
});

describe('MemorySeqStore and MemoryMessageStore retention', () => {
  it('defaults to 10,000 messages and 30 days', () => {
    expect(DEFAULT_RETENTION).toEqual({ maxMessages: 10_000, maxAgeMs: 2_592_000_000 });
  });

  it('refuses a retention that is not two positive integers', () => {
    const log = new MemoryConversationLog();
    expect(() => new MemorySeqStore(log, undefined, { maxMessages: 0, maxAgeMs: 1 })).toThrow(/maxMessages/);
    expect(() => new MemoryMessageStore(log, undefined, { maxMessages: 1, maxAgeMs: 1.5 })).toThrow(/maxAgeMs/);
  });
});

describe('MemorySeqStore keeps its own copy of each message', () => {
  it('stores the fields the message holds, without its position, unchanged by what the caller does after assign', async () => {
    const log = new MemoryConversationLog();
    const seqStore = new MemorySeqStore(log);
    const messageStore = new MemoryMessageStore(log);
    const conversation = asConversationId('d:a:b');
    const payload = Buffer.from('hello');
    const toUsers = ['b'];
    const message = parley.v1.StoredMessage.create({ conversation, msgId: 'm1', fromUser: 'a', toUsers, payload, serverTimeMs: 1_700_000_000_000, clientSeq: 1, receivedAtMs: 1_699_999_999_999 });
    // What the stored copy must encode to once read back with its position: the message as the caller gave it.
    const expected = Buffer.from(parley.v1.StoredMessage.encode(message).finish());
    const [assignment] = await seqStore.assign([{ conversation, msgId: asMsgId('a/m1'), sender: senderDevice(asUserId('a'), asDeviceId('d1')), clientSeq: 1, message }]);
    expect(assignment).toMatchObject({ outcome: 'new', seq: 1 });
    // The caller reuses its objects: the store is not affected.
    message.position = { epoch: 'other', seq: 99 };
    payload.fill(0);
    toUsers.push('c');
    message.msgId = 'changed';

    const [stored] = await messageStore.get(conversation, [1]);
    expect(stored!.position).toMatchObject({ seq: 1 });
    stored!.position = null;
    expect(Buffer.from(parley.v1.StoredMessage.encode(stored!).finish())).toEqual(expected);
  });

  it('stores a message with only some fields set as that message (unset fields stay unset)', async () => {
    const log = new MemoryConversationLog();
    const seqStore = new MemorySeqStore(log);
    const messageStore = new MemoryMessageStore(log);
    const conversation = asConversationId('g:team');
    const message = parley.v1.StoredMessage.create({ conversation, msgId: 'm1', fromUser: 'a', payload: Buffer.from('x') });
    await seqStore.assign([{ conversation, msgId: asMsgId('a/m1'), sender: senderDevice(asUserId('a'), asDeviceId('d1')), clientSeq: 0, message }]);
    const [stored] = await messageStore.get(conversation, [1]);
    stored!.position = null;
    expect(Buffer.from(parley.v1.StoredMessage.encode(stored!).finish())).toEqual(Buffer.from(parley.v1.StoredMessage.encode(message).finish()));
  });
});
