// SeqStore over a MemoryConversationLog, trimming each conversation to its newest messages.
import { parley, type StoredMessage } from '@parley/protocol';
import { newEpoch } from './epoch';
import { MemoryLogStore } from './conversation-log.memory';
import { UNNUMBERED_CLIENT_SEQ, type AssignRequest, type Assignment, type SeqStore } from './seq-store';

/**
 * Single process only: the log lives in this process's memory and dies with it (after a
 * restart every conversation starts a new epoch). Each request is applied synchronously,
 * so requests never interleave and a (epoch, seq) pair is never given twice.
 *
 * Storing seq N drops every message at or below N - `retention.maxMessages` in the same
 * step, so a conversation never holds more than that many. Age is not this store's
 * business: MemoryMessageStore applies `maxAgeMs` when it reads (give both the same
 * policy). Trimmed msgIds are still recognised: deduplication outlives the messages.
 * The client_seq state, like the msgIds, lasts as long as the epoch (no dedupe window).
 */
export class MemorySeqStore extends MemoryLogStore implements SeqStore {
  async assign(requests: readonly AssignRequest[]): Promise<Assignment[]> {
    return requests.map((request) => this.assignOne(request));
  }

  private assignOne({ conversation, msgId, sender, clientSeq, message }: AssignRequest): Assignment {
    const log = this.log.current(conversation) ?? this.log.startEpoch(conversation, newEpoch(this.clock.now()));
    const previous = log.seqByMsgId.get(msgId);
    if (previous !== undefined) return { outcome: 'duplicate', epoch: log.epoch, seq: previous };
    if (clientSeq !== UNNUMBERED_CLIENT_SEQ) {
      const last = log.lastClientSeqBySender.get(sender);
      if (last !== undefined && clientSeq > last + 1) return { outcome: 'out_of_order', expectedClientSeq: last + 1 };
      if (last !== undefined && clientSeq <= last) return { outcome: 'client_seq_reused', lastClientSeq: last };
      log.lastClientSeqBySender.set(sender, clientSeq);
    }
    const seq = ++log.lastSeq;
    log.seqByMsgId.set(msgId, seq);
    // A copy, like a real store: the caller's object may be reused or mutated after assign
    // resolves, and the position is not part of it.
    log.messages.set(seq, storedCopy(message));
    // Seqs are inserted in increasing order, so the map's first keys are the oldest.
    const newestDropped = seq - this.retention.maxMessages;
    for (const kept of log.messages.keys()) {
      if (kept > newestDropped) break;
      log.messages.delete(kept);
    }
    return { outcome: 'new', epoch: log.epoch, seq };
  }
}

/**
 * The message as stored, without its position: its own arrays and payload bytes, so nothing
 * the caller changes later reaches the store (readers copy again: message-store.memory.ts).
 * A field copy, not an encode and decode: that cost a few per cent of a message's CPU in the
 * embedded mode. The fields the message holds itself are copied (what a spread would take,
 * so the copy encodes to the same bytes), one by one in the message's field order.
 */
function storedCopy(message: StoredMessage): StoredMessage {
  const copy = new parley.v1.StoredMessage();
  if (own(message, 'conversation')) copy.conversation = message.conversation;
  if (own(message, 'msgId')) copy.msgId = message.msgId;
  if (own(message, 'fromUser')) copy.fromUser = message.fromUser;
  if (message.toUsers && message.toUsers.length > 0) copy.toUsers = [...message.toUsers];
  // From Node's buffer pool, as the encoded copy it stands for was (no ArrayBuffer of its own per message).
  copy.payload = message.payload ? Buffer.from(message.payload) : Buffer.alloc(0);
  if (own(message, 'serverTimeMs')) copy.serverTimeMs = message.serverTimeMs;
  if (own(message, 'clientSeq')) copy.clientSeq = message.clientSeq;
  if (own(message, 'receivedAtMs')) copy.receivedAtMs = message.receivedAtMs;
  return copy;
}

/** Whether the message holds the field itself, set (a spread copies those; `create` skips a null). */
function own<K extends keyof StoredMessage>(message: StoredMessage, field: K): boolean {
  return message[field] != null && Object.prototype.hasOwnProperty.call(message, field);
}
