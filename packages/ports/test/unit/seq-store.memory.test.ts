// The SeqStore contract over MemorySeqStore + MemoryMessageStore sharing one MemoryConversationLog.
import { FakeClock } from '../../src/clock';
import { MemoryConversationLog } from '../../src/conversation-log.memory';
import { MemoryMessageStore } from '../../src/message-store.memory';
import { MemorySeqStore } from '../../src/seq-store.memory';
import { describeSeqStoreContract } from '../../src/testing/seq-store.contract';

describeSeqStoreContract('memory', async () => {
  const log = new MemoryConversationLog();
  return {
    seqStore: new MemorySeqStore(log, new FakeClock()),
    messageStore: new MemoryMessageStore(log),
    loseData: async () => log.loseEverything(),
    close: async () => {},
  };
});
