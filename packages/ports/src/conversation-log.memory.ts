// The in-memory state behind MemorySeqStore (which writes it) and MemoryMessageStore
// (which reads it): per conversation, the current epoch, its counter, msgId -> seq, each
// sending device's last client_seq and the stored messages.
import type { ConversationId, Epoch, MsgId, Seq, StoredMessage } from '@parley/protocol';
import type { SenderDevice } from './seq-store';
import { SystemClock, type Clock } from './clock';
import type { RetentionPolicy } from './message-store';
import { checkRetention, DEFAULT_RETENTION } from './retention';

/** One life of a conversation's counter: everything in it belongs to `epoch`. */
export interface ConversationEpochLog {
  readonly epoch: Epoch;
  /** The last seq given out in this epoch (0 before the first message). */
  lastSeq: Seq;
  readonly seqByMsgId: Map<MsgId, Seq>;
  /** Per sending device, the last client_seq sequenced in this epoch. */
  readonly lastClientSeqBySender: Map<SenderDevice, number>;
  /** Stored without their position; readers set it. */
  readonly messages: Map<Seq, StoredMessage>;
}

/**
 * Single process only, and nothing survives the process: it is the store of the
 * embedded mode and of unit tests. Deduplication lasts as long as the epoch does (no
 * dedupe window: nothing is forgotten until `loseEverything`).
 */
export class MemoryConversationLog {
  private readonly conversations = new Map<ConversationId, ConversationEpochLog>();

  /** The conversation's current epoch, or undefined when it has none (never used, or lost). */
  current(conversation: ConversationId): ConversationEpochLog | undefined {
    return this.conversations.get(conversation);
  }

  /** Starts a new epoch at seq 0, replacing whatever the conversation had. */
  startEpoch(conversation: ConversationId, epoch: Epoch): ConversationEpochLog {
    const log: ConversationEpochLog = { epoch, lastSeq: 0, seqByMsgId: new Map(), lastClientSeqBySender: new Map(), messages: new Map() };
    this.conversations.set(conversation, log);
    return log;
  }

  /**
   * Simulates the store losing its data (a Redis restart without persistence, a
   * failover to a replica that was behind): every conversation's next message starts
   * a new epoch at seq 1, and no old msgId, client_seq or message is known any more.
   */
  loseEverything(): void {
    this.conversations.clear();
  }
}

/**
 * What MemorySeqStore (which writes the log) and MemoryMessageStore (which reads it) are built
 * on: the log, the clock, and the retention policy, checked (give both the same policy).
 */
export abstract class MemoryLogStore {
  protected readonly retention: RetentionPolicy;

  constructor(
    protected readonly log: MemoryConversationLog,
    protected readonly clock: Clock = new SystemClock(),
    retention: RetentionPolicy = DEFAULT_RETENTION,
  ) {
    this.retention = checkRetention(retention);
  }
}
