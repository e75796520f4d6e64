// The MessageStore port: reads of stored messages (SeqStore.assign writes them).
import type { ConversationId, Epoch, Seq, StoredMessage } from '@parley/protocol';

export interface MessageRange {
  /** The conversation's current epoch ('' when the conversation has no counter). */
  readonly epoch: Epoch;
  /** Latest seq of the current epoch (0 when none). */
  readonly latestSeq: Seq;
  /** Oldest seq still kept (retention removes older ones); latestSeq + 1 when none is kept. */
  readonly oldestSeq: Seq;
  /** Messages with seq > afterSeq, ascending, contiguous, at most `limit`, position set. */
  readonly messages: StoredMessage[];
}

/** How long messages are kept per conversation: whichever limit is hit first. */
export interface RetentionPolicy {
  /** Newest messages kept per conversation. */
  readonly maxMessages: number;
  /** Messages older than this (by server time) are gone, in ms. */
  readonly maxAgeMs: number;
}

export interface MessageStore {
  /**
   * The messages at `seqs` in the conversation's current epoch, with their position
   * set, in the order of `seqs`; a seq with no stored message is left out.
   */
  get(conversation: ConversationId, seqs: readonly Seq[]): Promise<StoredMessage[]>;
  /**
   * Messages of the current epoch after `afterSeq` (0 = from the oldest kept), in seq
   * order, at most `limit`. Messages removed by retention are never returned: when
   * afterSeq + 1 < oldestSeq the caller knows history between them is gone.
   */
  range(conversation: ConversationId, afterSeq: Seq, limit: number): Promise<MessageRange>;
}
