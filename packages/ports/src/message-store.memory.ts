// MessageStore over the MemoryConversationLog that MemorySeqStore writes, hiding (and
// dropping) messages older than the retention's maxAgeMs.
import { asEpoch, encodeStoredMessage, type ConversationId, type Epoch, type Seq, type StoredMessage } from '@parley/protocol';
import { MemoryLogStore, type ConversationEpochLog } from './conversation-log.memory';
import type { MessageRange, MessageStore } from './message-store';
import { checkRangeRequest, expiryCutoffMs } from './retention';
import { storedMessageAt } from './stored-body';

/**
 * Single process only: reads the log of a MemorySeqStore in the same process. Count
 * retention is applied by that store when it writes; this one applies `maxAgeMs`:
 * `range` drops the expired prefix of the conversation (server time older than
 * now - maxAgeMs) before reading, so `get` stops returning those messages from then on.
 */
export class MemoryMessageStore extends MemoryLogStore implements MessageStore {
  async get(conversation: ConversationId, seqs: readonly Seq[]): Promise<StoredMessage[]> {
    const log = this.log.current(conversation);
    if (!log) return [];
    const found: StoredMessage[] = [];
    for (const seq of seqs) {
      const message = log.messages.get(seq);
      if (message) found.push(copyAt(message, log.epoch, seq));
    }
    return found;
  }

  async range(conversation: ConversationId, afterSeq: Seq, limit: number): Promise<MessageRange> {
    checkRangeRequest(afterSeq, limit);
    const log = this.log.current(conversation);
    if (!log) return { epoch: asEpoch(''), latestSeq: 0, oldestSeq: 1, messages: [] };
    const oldestSeq = this.dropExpired(log);
    const messages: StoredMessage[] = [];
    const start = Math.max(afterSeq + 1, oldestSeq);
    const stop = Math.min(log.lastSeq, start + limit - 1);
    for (let seq = start; seq <= stop; seq++) {
      const message = log.messages.get(seq);
      // Kept seqs are contiguous (only the oldest are ever dropped): a hole would be a bug,
      // and stopping there keeps the answer contiguous rather than silently skipping.
      if (!message) break;
      messages.push(copyAt(message, log.epoch, seq));
    }
    return { epoch: log.epoch, latestSeq: log.lastSeq, oldestSeq, messages };
  }

  /** Deletes the expired prefix; returns the oldest kept seq (lastSeq + 1 when none is). */
  private dropExpired(log: ConversationEpochLog): Seq {
    const cutoff = expiryCutoffMs(this.retention, this.clock.now());
    // Seqs were inserted in increasing order and only the oldest are ever deleted.
    for (const [seq, message] of log.messages) {
      if (Number(message.serverTimeMs ?? 0) >= cutoff) return seq;
      log.messages.delete(seq);
    }
    return log.lastSeq + 1;
  }
}

/** A fresh copy per read: callers set fields on what they get (positions, for one). */
function copyAt(message: StoredMessage, epoch: Epoch, seq: Seq): StoredMessage {
  return storedMessageAt(encodeStoredMessage(message), epoch, seq);
}
