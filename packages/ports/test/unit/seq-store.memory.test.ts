// The SeqStore contract over MemorySeqStore + MemoryMessageStore sharing one MemoryConversationLog.
import { DEFAULT_RETENTION, MemoryConversationLog, MemoryMessageStore, MemorySeqStore } from '@parley/ports';
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
