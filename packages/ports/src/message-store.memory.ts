// MessageStore over the MemoryConversationLog that MemorySeqStore writes.
import { decodeStoredMessage, encodeStoredMessage, type ConversationId, type Seq, type StoredMessage } from '@parley/protocol';
import type { MemoryConversationLog } from './conversation-log.memory';
import type { MessageStore } from './message-store';

/** Single process only: reads the log of a MemorySeqStore in the same process. */
export class MemoryMessageStore implements MessageStore {
  constructor(private readonly log: MemoryConversationLog) {}

  async get(conversation: ConversationId, seqs: readonly Seq[]): Promise<StoredMessage[]> {
    const log = this.log.current(conversation);
    if (!log) return [];
    const found: StoredMessage[] = [];
    for (const seq of seqs) {
      const message = log.messages.get(seq);
      if (!message) continue;
      // A fresh copy per read: callers set fields on what they get (positions, for one).
      const copy = decodeStoredMessage(encodeStoredMessage(message));
      copy.position = { epoch: log.epoch, seq };
      found.push(copy);
    }
    return found;
  }
}
