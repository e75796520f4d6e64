// The MessageStore port: reads of stored messages (SeqStore.assign writes them).
import type { ConversationId, Seq, StoredMessage } from '@parley/protocol';

export interface MessageStore {
  /**
   * The messages at `seqs` in the conversation's current epoch, with their position
   * set, in the order of `seqs`; a seq with no stored message is left out.
   */
  get(conversation: ConversationId, seqs: readonly Seq[]): Promise<StoredMessage[]>;
}
