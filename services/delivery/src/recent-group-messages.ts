// The group messages some member connection may still need from delivery: those above the
// lowest cumulative ack of the connections they were pushed to. Kept in memory so that a
// re-push does not depend on the message store, and so that after the store lost its data
// (its copy of the messages with it) they can still be pushed again and written back to the
// lagging members' inboxes. Bounded by count and payload bytes: past a bound the oldest go
// first (a lagging connection then re-gets them from the store, as before, while it has them).
import type { ConversationId, StoredMessage } from '@parley/protocol';
import type { MessagePosition } from './deliver-record';

/** A group message as kept: the message and its place. */
export interface KeptMessage {
  readonly message: StoredMessage;
  readonly position: MessagePosition;
}

export interface RecentGroupMessagesLimits {
  /** Most messages kept, all groups together. */
  readonly maxMessages: number;
  /** Most payload bytes kept, all groups together. */
  readonly maxPayloadBytes: number;
}

export const DEFAULT_RECENT_GROUP_LIMITS: RecentGroupMessagesLimits = { maxMessages: 20_000, maxPayloadBytes: 32 * 1024 * 1024 };

/** The seqs held for one (conversation, epoch): every held seq lies in [low, high]. */
interface Window {
  low: number;
  high: number;
}

export class RecentGroupMessages {
  /** Insertion order is age: the first entry is evicted first. Key: windowKey + '|' + seq. */
  private readonly messages = new Map<string, KeptMessage>();
  /** By conversation, then epoch. */
  private readonly windows = new Map<ConversationId, Map<string, Window>>();
  private payloadBytes = 0;
  /** Messages dropped to stay within the limits, since the start. */
  evicted = 0;

  constructor(private readonly limits: RecentGroupMessagesLimits = DEFAULT_RECENT_GROUP_LIMITS) {}

  /** Messages held. */
  get size(): number {
    return this.messages.size;
  }

  /** Keeps a message fanned out (a second copy of one held is ignored). */
  remember(kept: KeptMessage): void {
    const { conversation, epoch, seq } = kept.position;
    const window = windowKey(conversation, epoch);
    const key = `${window}|${seq}`;
    if (this.messages.has(key)) return;
    this.messages.set(key, { message: kept.message, position: kept.position });
    this.payloadBytes += kept.message.payload?.length ?? 0;
    let epochs = this.windows.get(conversation);
    if (!epochs) this.windows.set(conversation, (epochs = new Map()));
    const held = epochs.get(epoch);
    if (!held) epochs.set(epoch, { low: seq, high: seq });
    else {
      held.low = Math.min(held.low, seq);
      held.high = Math.max(held.high, seq);
    }
    this.evictOverLimits();
  }

  /**
   * The messages of (conversation, epoch) with after < seq <= upTo, in seq order, when every
   * one of them is held; undefined when one is missing (evicted, or never seen here).
   */
  range(conversation: ConversationId, epoch: string, after: number, upTo: number): StoredMessage[] | undefined {
    const window = windowKey(conversation, epoch);
    const out: StoredMessage[] = [];
    for (let seq = after + 1; seq <= upTo; seq++) {
      const kept = this.messages.get(`${window}|${seq}`);
      if (!kept) return undefined;
      out.push(kept.message);
    }
    return out;
  }

  /** The held messages of (conversation, epoch) with after < seq <= upTo, in seq order (the missing ones left out). */
  held(conversation: ConversationId, epoch: string, after: number, upTo: number): KeptMessage[] {
    const window = windowKey(conversation, epoch);
    const held = this.windows.get(conversation)?.get(epoch);
    if (!held) return [];
    const out: KeptMessage[] = [];
    for (let seq = Math.max(after + 1, held.low); seq <= Math.min(upTo, held.high); seq++) {
      const kept = this.messages.get(`${window}|${seq}`);
      if (kept) out.push(kept);
    }
    return out;
  }

  /** Forgets the messages of (conversation, epoch) up to `upTo` (every connection acked them). */
  trim(conversation: ConversationId, epoch: string, upTo: number): void {
    const window = windowKey(conversation, epoch);
    const held = this.windows.get(conversation)?.get(epoch);
    if (!held) return;
    for (let seq = held.low; seq <= Math.min(upTo, held.high); seq++) this.delete(`${window}|${seq}`);
    held.low = Math.max(held.low, upTo + 1);
    if (held.low > held.high) this.forgetWindow(conversation, epoch);
  }

  /** Epochs of `conversation` with messages held. */
  epochsOf(conversation: ConversationId): string[] {
    return [...(this.windows.get(conversation)?.keys() ?? [])];
  }

  clear(): void {
    this.messages.clear();
    this.windows.clear();
    this.payloadBytes = 0;
  }

  private evictOverLimits(): void {
    while (this.messages.size > this.limits.maxMessages || (this.payloadBytes > this.limits.maxPayloadBytes && this.messages.size > 1)) {
      const [oldest, kept] = this.messages.entries().next().value as [string, KeptMessage];
      const { conversation, epoch, seq } = kept.position;
      this.delete(oldest);
      this.evicted += 1;
      const held = this.windows.get(conversation)?.get(epoch);
      if (held && seq >= held.low) {
        held.low = seq + 1;
        if (held.low > held.high) this.forgetWindow(conversation, epoch);
      }
    }
  }

  private forgetWindow(conversation: ConversationId, epoch: string): void {
    const epochs = this.windows.get(conversation);
    epochs?.delete(epoch);
    if (epochs?.size === 0) this.windows.delete(conversation);
  }

  private delete(key: string): void {
    const kept = this.messages.get(key);
    if (!kept) return;
    this.messages.delete(key);
    this.payloadBytes -= kept.message.payload?.length ?? 0;
  }
}

function windowKey(conversation: ConversationId, epoch: string): string {
  return `${conversation}|${epoch}`;
}
