// The ConversationIndex contract over MemoryConversationIndex.
import { asUserId } from '@parley/protocol';
import { MemoryConversationIndex } from '@parley/ports';
import { describeConversationIndexContract } from '@parley/ports/testing';

describeConversationIndexContract('memory', async () => ({ index: new MemoryConversationIndex(), close: async () => {} }));

describe('MemoryConversationIndex', () => {
  it('refuses a list limit below 1', async () => {
    await expect(new MemoryConversationIndex().list(asUserId('bob'), 0)).rejects.toThrow(RangeError);
  });
});
