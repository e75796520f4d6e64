// The SeqStore port: assigns each accepted message its (epoch, seq) in its
// conversation and stores it, atomically, with client msgId deduplication.
import type { ConversationId, Epoch, MsgId, Seq, StoredMessage } from '@parley/protocol';

export interface AssignRequest {
  readonly conversation: ConversationId;
  readonly msgId: MsgId;
  /**
   * The message to store, without its position (the store sets it). Stored only when
   * the msgId is new in the conversation.
   */
  readonly message: StoredMessage;
}

export interface Assignment {
  readonly epoch: Epoch;
  readonly seq: Seq;
  /** True when the msgId already had a position: nothing was written, the old one is returned. */
  readonly duplicate: boolean;
}

export interface SeqStore {
  /**
   * For each request, in order, atomically per request:
   * - if (conversation, msgId) already has a position, returns it (duplicate: true);
   * - otherwise, when the conversation's counter is missing (never used, or lost by
   *   the store: a restart without persistence, a failover), starts a NEW epoch with
   *   seq 0; then increments seq, stores the message and the msgId -> position mapping.
   * A (epoch, seq) pair is never given to two messages. Requests for the same
   * conversation are applied in array order. Results are in request order.
   * Deduplication holds for at least `dedupeWindowMs` of the store's configuration.
   */
  assign(requests: readonly AssignRequest[]): Promise<Assignment[]>;
}
