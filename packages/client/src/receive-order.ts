// Which incoming messages reach the application, and when (pure logic, no I/O): each
// message at most once and, per conversation, in seq order.
import type { ConversationId, Epoch, Seq } from '@parley/protocol';
import { BoundedMap } from './bounded-memory';
import type { Position, ReceivedMessage } from './frames';

/** A seq taken by a message of our own user (known from msg:A or ack:N, never pushed to us as msg:N). */
const OWN = Symbol('own');
type Slot = ReceivedMessage | typeof OWN;

/** live: a pushed msg:N. offline: an entry of an offline:A page. */
export type ReceiveSource = 'live' | 'offline';

/**
 * delivered: handed to the application now. buffered: waits for a missing seq before it.
 * duplicate: seen before (or an older epoch's copy already delivered): not delivered again.
 * parked: held until the offline pull ends (see beginSync). overflow: refused for lack of
 * room; the caller must not acknowledge it, so the server sends it again later.
 */
export type ReceiveVerdict = 'delivered' | 'buffered' | 'duplicate' | 'parked' | 'overflow';

export interface ReceiveResult {
  /** What became of the message itself. */
  readonly verdict: ReceiveVerdict;
  /** What to hand to the application now, in order: the message itself and the ones it released. */
  readonly deliver: ReceivedMessage[];
}

/** The last seq delivered (or taken by our own message) in a conversation. */
export interface ConversationPosition {
  readonly conversation: ConversationId;
  readonly epoch: Epoch;
  readonly seq: Seq;
}

export interface ReceiveLimits {
  /** Conversations whose position is remembered; the least recently active one without held messages is forgotten first. */
  readonly maxConversations: number;
  /** (sender, msgId) pairs remembered for dedupe; the oldest is forgotten first. */
  readonly maxRememberedMsgIds: number;
  /** Seqs held per conversation while waiting for a gap; beyond it a message is refused (overflow). */
  readonly maxBufferedPerConversation: number;
  /** Live messages parked during an offline pull; beyond it they are refused (overflow). */
  readonly maxParked: number;
}

interface ConversationState {
  epoch: Epoch | undefined;
  /** Last seq released in `epoch`; undefined until the conversation has a starting point. */
  last: Seq | undefined;
  /** Seqs after `last` already known: messages waiting for a gap, or our own sends. */
  readonly held: Map<Seq, Slot>;
  /** Earlier epochs of this conversation, oldest first. */
  readonly retired: Epoch[];
}

/** Earlier epochs remembered per conversation, to recognise late copies from them. */
const MAX_RETIRED_EPOCHS = 4;

/**
 * The rules, per conversation:
 * - seq = last + 1 is delivered, then every held successor; seq <= last is a duplicate;
 *   seq > last + 1 is held until the gap fills (the server re-sends unacked messages and
 *   keeps them in the inbox). Independently, a (sender, msgId) pair is delivered once.
 * - Seqs of our own user's messages come as msg:A / ack:N, not msg:N (1:1 conversations
 *   share one counter for both directions): acceptOwn fills them so they are no gap.
 * - Limitation: with no state for a conversation, the first message seen is its starting
 *   point (seq 1 excepted: that is the true start). An older message arriving after it is
 *   taken for a duplicate. Two things narrow this: live messages of conversations without
 *   state are parked during the offline pull (which returns the inbox in seq order) and
 *   fed in seq order after it; and restore() takes positions the application persisted.
 * - A message with another epoch than the conversation's resets it (the server restarted
 *   the counter): messages still held for a gap of the old epoch are delivered in seq
 *   order (that gap can no longer fill), the old epoch is retired, and the conversation
 *   continues from the new message's seq. A late copy from a retired epoch is delivered
 *   unless its (sender, msgId) was, without touching the order.
 */
export class ReceiveOrder {
  private readonly conversations = new Map<ConversationId, ConversationState>();
  private readonly delivered: BoundedMap<string, true>;
  private parked: ReceivedMessage[] = [];
  private syncing = false;
  private duplicates = 0;

  constructor(private readonly limits: ReceiveLimits) {
    this.delivered = new BoundedMap(limits.maxRememberedMsgIds);
  }

  /** Messages not delivered because they were duplicates (by position or by sender and msgId). */
  get duplicatesDropped(): number {
    return this.duplicates;
  }

  /** Messages held for a gap, over all conversations. */
  get bufferedCount(): number {
    let count = 0;
    for (const state of this.conversations.values()) for (const slot of state.held.values()) if (slot !== OWN) count += 1;
    return count;
  }

  get parkedCount(): number {
    return this.parked.length;
  }

  /** An incoming message: what becomes of it and what to deliver now. */
  accept(message: ReceivedMessage, source: ReceiveSource): ReceiveResult {
    if (source === 'live' && this.syncing && this.conversations.get(message.conversation)?.last === undefined) {
      if (this.parked.length >= this.limits.maxParked) return { verdict: 'overflow', deliver: [] };
      this.parked.push(message);
      return { verdict: 'parked', deliver: [] };
    }
    const deliver: ReceivedMessage[] = [];
    const verdict = this.place(message, deliver);
    return { verdict, deliver };
  }

  /** A seq taken by our own user's message (msg:A or ack:N). Returns the messages it released. */
  acceptOwn(conversation: ConversationId, position: Position): ReceivedMessage[] {
    const { epoch, seq } = position;
    const deliver: ReceivedMessage[] = [];
    const state = this.touch(conversation);
    if (state.epoch !== undefined && state.epoch !== epoch) {
      if (state.retired.includes(epoch)) return deliver;
      this.retire(state, deliver);
    }
    state.epoch = epoch;
    if (state.last === undefined && seq === 1) state.last = 0;
    if (state.last !== undefined && seq <= state.last) return deliver;
    // Replaces an echo of our own message, if one was held: the application knows what it sent.
    state.held.set(seq, OWN);
    if (state.last === undefined) this.trimUnstarted(state);
    else this.release(state, deliver);
    return deliver;
  }

  /**
   * An offline pull starts (after every welcome). Until endSync, live messages of
   * conversations without a starting point are parked, so that the pull, which returns the
   * inbox in seq order, sets the starting points from the oldest undelivered messages.
   */
  beginSync(): void {
    this.syncing = true;
  }

  /** The pull reached its last page: parked messages go through in (conversation, epoch, seq) order. */
  endSync(): ReceivedMessage[] {
    this.syncing = false;
    const parked = orderParked(this.parked);
    this.parked = [];
    const deliver: ReceivedMessage[] = [];
    for (const message of parked) this.place(message, deliver);
    return deliver;
  }

  /** Every conversation's last delivered position, for the application to persist. */
  positions(): ConversationPosition[] {
    const positions: ConversationPosition[] = [];
    for (const [conversation, state] of this.conversations) {
      if (state.epoch !== undefined && state.last !== undefined && state.last > 0) {
        positions.push({ conversation, epoch: state.epoch, seq: state.last });
      }
    }
    return positions;
  }

  /** Starts conversations from persisted positions (replacing what is known of them). */
  restore(positions: readonly ConversationPosition[]): void {
    for (const { conversation, epoch, seq } of positions) {
      const state = this.touch(conversation);
      state.epoch = epoch;
      state.last = seq;
      state.held.clear();
    }
  }

  private place(message: ReceivedMessage, deliver: ReceivedMessage[]): ReceiveVerdict {
    const { epoch, seq } = message.position;
    const state = this.touch(message.conversation);
    if (state.epoch !== undefined && state.epoch !== epoch) {
      if (state.retired.includes(epoch)) return this.deliverOnce(message, deliver) ? 'delivered' : 'duplicate';
      this.retire(state, deliver);
    }
    state.epoch = epoch;
    const last = state.last ?? this.start(state, seq);
    if (seq <= last || state.held.has(seq)) {
      this.duplicates += 1;
      this.release(state, deliver); // a fresh starting point may sit right before held own seqs
      return 'duplicate';
    }
    if (seq > last + 1 && state.held.size >= this.limits.maxBufferedPerConversation) return 'overflow';
    state.held.set(seq, message);
    this.release(state, deliver);
    if (deliver.includes(message)) return 'delivered';
    return (state.last ?? 0) >= seq ? 'duplicate' : 'buffered';
  }

  /** The conversation's starting point: `seq` is the first message it delivers. */
  private start(state: ConversationState, seq: Seq): Seq {
    state.last = seq - 1;
    for (const held of [...state.held.keys()]) if (held < seq) state.held.delete(held);
    return state.last;
  }

  private release(state: ConversationState, deliver: ReceivedMessage[]): void {
    if (state.last === undefined) return;
    let last: Seq = state.last;
    for (let slot = state.held.get(last + 1); slot !== undefined; slot = state.held.get(last + 1)) {
      last += 1;
      state.held.delete(last);
      state.last = last;
      if (slot !== OWN) this.deliverOnce(slot, deliver);
    }
  }

  /** The epoch ends: what it held for a gap is delivered in seq order, and the conversation has no starting point. */
  private retire(state: ConversationState, deliver: ReceivedMessage[]): void {
    for (const seq of [...state.held.keys()].sort((a, b) => a - b)) {
      const slot = state.held.get(seq);
      if (slot !== undefined && slot !== OWN) this.deliverOnce(slot, deliver);
    }
    state.held.clear();
    if (state.epoch !== undefined) {
      state.retired.push(state.epoch);
      if (state.retired.length > MAX_RETIRED_EPOCHS) state.retired.shift();
    }
    state.epoch = undefined;
    state.last = undefined;
  }

  /** Before a starting point, own seqs are kept only for the newest sends (one-way chats would grow them forever). */
  private trimUnstarted(state: ConversationState): void {
    while (state.held.size > this.limits.maxBufferedPerConversation) {
      state.held.delete(Math.min(...state.held.keys()));
    }
  }

  private deliverOnce(message: ReceivedMessage, deliver: ReceivedMessage[]): boolean {
    const key = `${message.fromUser} ${message.msgId}`;
    if (this.delivered.has(key)) {
      this.duplicates += 1;
      return false;
    }
    this.delivered.set(key, true);
    deliver.push(message);
    return true;
  }

  /** The conversation's state, marked most recently active; forgets idle conversations past the limit. */
  private touch(conversation: ConversationId): ConversationState {
    let state = this.conversations.get(conversation);
    if (state) {
      this.conversations.delete(conversation);
    } else {
      state = { epoch: undefined, last: undefined, held: new Map(), retired: [] };
    }
    this.conversations.set(conversation, state);
    if (this.conversations.size > this.limits.maxConversations) this.forgetIdle(conversation);
    return state;
  }

  private forgetIdle(keep: ConversationId): void {
    for (const [conversation, state] of this.conversations) {
      if (this.conversations.size <= this.limits.maxConversations) return;
      if (conversation !== keep && state.held.size === 0) this.conversations.delete(conversation);
    }
  }
}

/** Parked messages grouped by conversation (first arrival first), then by epoch (likewise), then by seq. */
function orderParked(parked: readonly ReceivedMessage[]): ReceivedMessage[] {
  const groups = new Map<ConversationId, Map<Epoch, ReceivedMessage[]>>();
  for (const message of parked) {
    let epochs = groups.get(message.conversation);
    if (!epochs) groups.set(message.conversation, (epochs = new Map()));
    let list = epochs.get(message.position.epoch);
    if (!list) epochs.set(message.position.epoch, (list = []));
    list.push(message);
  }
  const ordered: ReceivedMessage[] = [];
  for (const epochs of groups.values()) {
    for (const list of epochs.values()) ordered.push(...list.sort((a, b) => a.position.seq - b.position.seq));
  }
  return ordered;
}
