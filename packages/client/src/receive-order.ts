// Which incoming messages reach the application, and when (pure logic, no I/O): each
// message at most once and, per conversation, in seq order, with every break in the
// order (a hole that cannot be filled) reported as a reset where it happens.
import type { ConversationId, Epoch, MsgId, Seq, UserId } from '@parley/protocol';
import { BoundedMap } from './bounded-memory';
import type { Position, ReceivedMessage } from './frames';

/** A seq taken by a message sent from this device (known from msg:A or ack:N). */
const OWN = Symbol('own');
type Slot = ReceivedMessage | typeof OWN;

/** live: a pushed msg:N. offline: an entry of an offline:A page. sync: an entry of a sync:A page. */
export type ReceiveSource = 'live' | 'offline' | 'sync';

/**
 * Why the order broke. epoch: the server restarted the conversation's counter. retention:
 * the messages after our position are past the server's retention. missing: the server
 * says it has nothing more up to a seq we lack, or refused to sync the conversation.
 */
export type ResetReason = 'epoch' | 'retention' | 'missing';

/** A break in a conversation's order: messages after `from` up to `to` may never be delivered. */
export interface ConversationReset {
  readonly conversation: ConversationId;
  /** The last position delivered (or taken by our own message) before the break; seq 0: none in that epoch. */
  readonly from: Position;
  /** Where delivery continues: the next message in order is `to.seq + 1` of `to.epoch` (seq 0: the epoch's start). */
  readonly to: Position;
  readonly reason: ResetReason;
}

/** What reaches the application, in order: messages and the breaks between them. */
export type Delivery =
  | { readonly kind: 'message'; readonly message: ReceivedMessage }
  | { readonly kind: 'reset'; readonly reset: ConversationReset };

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
  /** What to hand to the application now, in order: the message itself, the ones it released, and any break. */
  readonly deliver: Delivery[];
}

/** The last seq delivered contiguously (or taken by our own message) in a conversation. */
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
  /** Seqs after `last + 1` already known: messages waiting for a gap, or our own sends. */
  readonly held: Map<Seq, Slot>;
  /** Earlier epochs of this conversation, oldest first. */
  readonly retired: Epoch[];
  /** Messages and own seqs of an epoch not entered yet, in arrival order: they wait for a sync to reach it. */
  waiting: Waiting[];
  /** When the first of them came (undefined: none waits). */
  waitingSinceMs: number | undefined;
}

/** A message (or, message undefined, a seq of our own send) of an epoch the conversation has not entered. */
interface Waiting {
  readonly message: ReceivedMessage | undefined;
  readonly position: Position;
}

/**
 * How long positions of a new epoch wait for a sync to reach that epoch before it is entered
 * as it stands (PROTOCOL.md, "A new epoch is entered through a sync").
 */
export const EPOCH_HOLD_MS = 300_000;

/** Earlier epochs remembered per conversation, to recognise late copies from them. */
const MAX_RETIRED_EPOCHS = 4;

/**
 * The rules, per conversation:
 * - seq = last + 1 is delivered, then every held successor; seq <= last is a duplicate;
 *   seq > last + 1 is held until the gap fills (by a re-push, the inbox, or a sync the
 *   caller starts when gapSize() stays above 0). Independently, a (sender, msgId) pair is
 *   delivered once.
 * - Seqs of messages sent from this device come as msg:A (or an ack:N that overtook it),
 *   not msg:N: acceptOwn fills them so they are no gap, and a copy of such a message that
 *   comes anyway (a sync page, a late push) is not delivered: the application knows what
 *   it sent (also by msgId, see ownSend). Messages our user sent from other devices are
 *   ordinary messages: they come as msg:N and are delivered.
 * - Limitation: with no state for a conversation, the first message seen is its starting
 *   point (seq 1 excepted: that is the true start). An older message arriving after it is
 *   taken for a duplicate. Two things narrow this: live messages of conversations without
 *   state are parked during the offline pull (which returns the inbox in seq order) and
 *   fed in seq order after it; and restore() takes positions the application persisted.
 * - A hole is never skipped silently. When one can no longer be filled (a new epoch, a
 *   sync answered with reset, messages the server no longer has) the held messages are
 *   delivered in seq order with a reset before each hole, then a reset to where the
 *   conversation continues. A message with a new epoch continues the conversation from
 *   that epoch's seq 0: if it is not seq 1, it waits for the seqs before it like any gap.
 * - A conversation with a starting point enters a new epoch only through a sync (resetTo):
 *   a message or own seq of another epoch waits (gapSize counts it, so the gap watch syncs
 *   at once: see awaitsEpoch), the old epoch's messages the sync brings come first, then the
 *   reset page, then what waited. Past epochHoldMs without that, expireWait enters it.
 *   A late copy from a retired epoch is delivered unless its (sender, msgId) was, without
 *   touching the order.
 */
export class ReceiveOrder {
  private readonly conversations = new Map<ConversationId, ConversationState>();
  private readonly delivered: BoundedMap<string, true>;
  /** msgIds sent from this device: copies of them are never delivered. */
  private readonly ownMsgIds: BoundedMap<MsgId, true>;
  private user: UserId | undefined;
  private parked: ReceivedMessage[] = [];
  private syncing = false;
  private duplicates = 0;

  constructor(private readonly limits: ReceiveLimits) {
    this.delivered = new BoundedMap(limits.maxRememberedMsgIds);
    this.ownMsgIds = new BoundedMap(limits.maxRememberedMsgIds);
  }

  /** Injected clock (tests) for the bound of a new epoch's wait. */
  now: () => number = Date.now;
  epochHoldMs = EPOCH_HOLD_MS;
  /** New epochs entered without a sync reaching them (the wait's bound passed). */
  epochWaitsExpired = 0;

  /** Our user (from the welcome): copies of our own sends are recognised by (user, msgId). */
  setUser(user: UserId): void {
    this.user = user;
  }

  /** A message this device sends: its copies (a sync page, another connection's echo) are never delivered. */
  ownSend(msgId: MsgId): void {
    this.ownMsgIds.set(msgId, true);
  }

  /** Whether this device sent `msgId` (as far as remembered). */
  isOwnSend(msgId: MsgId): boolean {
    return this.ownMsgIds.has(msgId);
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
    if (source === 'live' && this.syncing && this.waitsForPull(message)) {
      if (this.parked.length >= this.limits.maxParked) return { verdict: 'overflow', deliver: [] };
      this.parked.push(message);
      return { verdict: 'parked', deliver: [] };
    }
    const deliver: Delivery[] = [];
    const verdict = this.place(message, deliver);
    return { verdict, deliver };
  }

  /**
   * During a pull, a live message waits for its end when its conversation has no starting
   * point (the inbox sets it), or when it is of an epoch not delivered from yet: every
   * message of the old epoch precedes every one of the new, and the pull may still bring
   * old-epoch ones (after a store loss: pushed before it and not acked yet).
   */
  private waitsForPull(message: ReceivedMessage): boolean {
    const state = this.conversations.get(message.conversation);
    if (state?.last === undefined) return true;
    const epoch = message.position.epoch;
    return state.epoch !== undefined && state.epoch !== epoch && !state.retired.includes(epoch);
  }

  /** A seq taken by a message sent from this device (msg:A, or the ack:N of one). Returns what it released. */
  acceptOwn(conversation: ConversationId, position: Position): Delivery[] {
    const { epoch } = position;
    const deliver: Delivery[] = [];
    const state = this.touch(conversation);
    if (state.epoch !== undefined && state.epoch !== epoch) {
      if (state.retired.includes(epoch)) return deliver;
      if (state.last !== undefined) {
        this.wait(state, { message: undefined, position });
        return deliver;
      }
      this.enterEpoch(conversation, state, { epoch, seq: 0 }, deliver);
    }
    this.placeOwn(state, position, deliver);
    return deliver;
  }

  private placeOwn(state: ConversationState, position: Position, deliver: Delivery[]): void {
    const { epoch, seq } = position;
    state.epoch = epoch;
    if (state.last === undefined && seq === 1) state.last = 0;
    if (state.last !== undefined && seq <= state.last) return;
    // Replaces an echo of our own message, if one was held: the application knows what it sent.
    state.held.set(seq, OWN);
    if (state.last === undefined) this.trimUnstarted(state);
    else this.release(state, deliver);
  }

  /** Whether positions of a new epoch wait in the conversation for a sync to reach that epoch. */
  awaitsEpoch(conversation: ConversationId): boolean {
    return (this.conversations.get(conversation)?.waiting.length ?? 0) > 0;
  }

  /**
   * The bound of that wait: once positions of a new epoch have waited `epochHoldMs` (no sync
   * reached the epoch: delivery down or far behind), the first of them's epoch is entered as it
   * stands, like an epoch change without the rule (held messages of the old epoch released
   * across their holes, a reset, then what waited). Returns what to deliver.
   */
  expireWait(conversation: ConversationId): Delivery[] {
    const deliver: Delivery[] = [];
    const state = this.conversations.get(conversation);
    const first = state?.waiting[0];
    if (!state || !first || state.waitingSinceMs === undefined || this.now() - state.waitingSinceMs < this.epochHoldMs) return deliver;
    this.epochWaitsExpired += 1;
    this.enterEpoch(conversation, state, { epoch: first.position.epoch, seq: 0 }, deliver);
    this.release(state, deliver);
    this.replayWaiting(state, deliver);
    return deliver;
  }

  private wait(state: ConversationState, waiting: Waiting): ReceiveVerdict {
    if (state.waiting.length >= this.limits.maxBufferedPerConversation) return 'overflow';
    state.waiting.push(waiting);
    state.waitingSinceMs ??= this.now();
    return 'buffered';
  }

  /** The conversation entered an epoch: what waited for it goes through now (the others keep waiting). */
  private replayWaiting(state: ConversationState, deliver: Delivery[]): void {
    if (state.waiting.length === 0) return;
    const now = state.waiting.filter((w) => w.position.epoch === state.epoch);
    state.waiting = state.waiting.filter((w) => w.position.epoch !== state.epoch && !state.retired.includes(w.position.epoch));
    if (state.waiting.length === 0) state.waitingSinceMs = undefined;
    for (const w of now) {
      if (w.message) this.place(w.message, deliver);
      else this.placeOwn(state, w.position, deliver);
    }
  }

  /**
   * An offline pull starts (after every welcome and resync:N). Until endSync, live messages
   * of conversations without a starting point are parked, so that the pull, which returns
   * the inbox in seq order, sets the starting points from the oldest undelivered messages;
   * so are live messages of an epoch not delivered from yet (see waitsForPull).
   */
  beginSync(): void {
    this.syncing = true;
  }

  /** Conversations with parked messages. */
  parkedConversations(): Set<ConversationId> {
    return new Set(this.parked.map((message) => message.conversation));
  }

  /** The pull reached its last page: parked messages go through in (conversation, epoch, seq) order. */
  endSync(): Delivery[] {
    this.syncing = false;
    const parked = orderParked(this.parked);
    this.parked = [];
    const deliver: Delivery[] = [];
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

  /** Conversations with a starting point, at their contiguous position (seq 0: none yet in that epoch): the ones a reconnect syncs. */
  followed(): ConversationPosition[] {
    const followed: ConversationPosition[] = [];
    for (const [conversation, state] of this.conversations) {
      if (state.epoch !== undefined && state.last !== undefined) followed.push({ conversation, epoch: state.epoch, seq: state.last });
    }
    return followed;
  }

  /** The conversation's contiguous position: everything up to it was delivered or is ours. undefined: no starting point. */
  position(conversation: ConversationId): Position | undefined {
    const state = this.conversations.get(conversation);
    if (state?.epoch === undefined || state.last === undefined) return undefined;
    return { epoch: state.epoch, seq: state.last };
  }

  /** Seqs held behind a gap in the conversation (messages and own seqs); 0: no gap. */
  gapSize(conversation: ConversationId): number {
    const state = this.conversations.get(conversation);
    return state?.last === undefined ? 0 : state.held.size + state.waiting.length;
  }

  /**
   * A sync:A with reset: the conversation continues after `to` (the position before the
   * page's first message). Held messages up to `to` are delivered across their holes; a
   * reset (reason epoch or retention) reports the break. With no starting point yet, `to`
   * simply becomes it.
   */
  resetTo(conversation: ConversationId, to: Position): Delivery[] {
    const deliver: Delivery[] = [];
    const state = this.touch(conversation);
    if (state.epoch !== undefined && state.epoch !== to.epoch && state.retired.includes(to.epoch)) return deliver; // stale answer
    if (state.epoch === undefined || state.last === undefined) {
      if (state.epoch !== undefined && state.epoch !== to.epoch) this.retire(state);
      state.epoch = to.epoch;
      this.start(state, to.seq + 1);
    } else if (state.epoch !== to.epoch) {
      this.enterEpoch(conversation, state, to, deliver);
    } else {
      this.advanceTo(conversation, state, to.seq, 'retention', deliver);
    }
    this.release(state, deliver);
    this.replayWaiting(state, deliver);
    return deliver;
  }

  /**
   * The server has nothing we lack up to `upTo` (a sync ran to its end without filling the
   * gap), or will not sync the conversation (upTo undefined: every hole is given up): held
   * messages up to there are delivered with a 'missing' reset before each hole.
   */
  skipMissing(conversation: ConversationId, upTo: Position | undefined): Delivery[] {
    const deliver: Delivery[] = [];
    const state = this.conversations.get(conversation);
    if (state?.epoch === undefined || state.last === undefined || state.held.size === 0) return deliver;
    if (upTo && upTo.epoch !== state.epoch) return deliver;
    this.advanceTo(conversation, state, upTo ? upTo.seq : Number.POSITIVE_INFINITY, 'missing', deliver);
    this.release(state, deliver);
    return deliver;
  }

  /** Starts conversations from persisted positions (replacing what is known of them). */
  restore(positions: readonly ConversationPosition[]): void {
    for (const { conversation, epoch, seq } of positions) {
      const state = this.touch(conversation);
      state.epoch = epoch;
      state.last = seq;
      state.held.clear();
      state.waiting = [];
      state.waitingSinceMs = undefined;
    }
  }

  private place(message: ReceivedMessage, deliver: Delivery[]): ReceiveVerdict {
    const { conversation, position } = message;
    const { epoch, seq } = position;
    const state = this.touch(conversation);
    if (state.epoch !== undefined && state.epoch !== epoch) {
      if (state.retired.includes(epoch)) return this.deliverOnce(message, deliver) ? 'delivered' : 'duplicate';
      // A new epoch is entered through a sync (resetTo): until one reaches it, what the old
      // epoch still has for us (delivery may be far behind) comes first.
      if (state.last !== undefined) return this.wait(state, { message, position });
      this.enterEpoch(conversation, state, { epoch, seq: 0 }, deliver);
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
    const before = deliver.length;
    this.release(state, deliver);
    if (deliver.some((d, i) => i >= before && d.kind === 'message' && d.message === message)) return 'delivered';
    return (state.last ?? 0) >= seq ? 'duplicate' : 'buffered';
  }

  /** The conversation's starting point: `seq` is the first message it delivers. */
  private start(state: ConversationState, seq: Seq): Seq {
    state.last = seq - 1;
    for (const held of [...state.held.keys()]) if (held < seq) state.held.delete(held);
    return state.last;
  }

  private release(state: ConversationState, deliver: Delivery[]): void {
    if (state.last === undefined) return;
    let last: Seq = state.last;
    for (let slot = state.held.get(last + 1); slot !== undefined; slot = state.held.get(last + 1)) {
      last += 1;
      state.held.delete(last);
      state.last = last;
      if (slot !== OWN) this.deliverOnce(slot, deliver);
    }
  }

  /**
   * Gives up the seqs up to `upTo` that are still missing: held slots up to there are
   * released in seq order with a reset before each hole, and a last reset when `upTo` itself
   * lies beyond them. The caller releases the successors.
   */
  private advanceTo(conversation: ConversationId, state: ConversationState, upTo: Seq, reason: ResetReason, deliver: Delivery[]): void {
    const epoch = state.epoch;
    if (epoch === undefined || state.last === undefined) return;
    for (const seq of [...state.held.keys()].sort((a, b) => a - b)) {
      if (seq > upTo) break;
      const slot = state.held.get(seq)!;
      state.held.delete(seq);
      if (seq > state.last + 1) deliver.push(reset(conversation, { epoch, seq: state.last }, { epoch, seq: seq - 1 }, reason));
      state.last = seq;
      if (slot !== OWN) this.deliverOnce(slot, deliver);
    }
    if (Number.isFinite(upTo) && state.last < upTo) {
      deliver.push(reset(conversation, { epoch, seq: state.last }, { epoch, seq: upTo }, reason));
      state.last = upTo;
    }
  }

  /**
   * The conversation's counter restarted: whatever the old epoch held is delivered across
   * its holes (they can no longer fill), a reset reports the break, and the conversation
   * continues after `to` in the new epoch.
   */
  private enterEpoch(conversation: ConversationId, state: ConversationState, to: Position, deliver: Delivery[]): void {
    const { epoch, last } = state;
    if (epoch === undefined || last === undefined) {
      this.retire(state); // nothing was delivered in it: no break to show
      state.epoch = to.epoch;
      return;
    }
    this.advanceTo(conversation, state, Number.POSITIVE_INFINITY, 'epoch', deliver);
    deliver.push(reset(conversation, { epoch, seq: state.last ?? last }, to, 'epoch'));
    this.retire(state);
    state.epoch = to.epoch;
    state.last = to.seq;
  }

  /** The epoch ends (its held slots are gone: see enterEpoch) and the conversation has no starting point. */
  private retire(state: ConversationState): void {
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

  private deliverOnce(message: ReceivedMessage, deliver: Delivery[]): boolean {
    const key = `${message.fromUser} ${message.msgId}`;
    const ownCopy = this.user !== undefined && message.fromUser === this.user && this.ownMsgIds.has(message.msgId);
    if (ownCopy || this.delivered.has(key)) {
      this.duplicates += 1;
      return false;
    }
    this.delivered.set(key, true);
    deliver.push({ kind: 'message', message });
    return true;
  }

  /** The conversation's state, marked most recently active; forgets idle conversations past the limit. */
  private touch(conversation: ConversationId): ConversationState {
    let state = this.conversations.get(conversation);
    if (state) {
      this.conversations.delete(conversation);
    } else {
      state = { epoch: undefined, last: undefined, held: new Map(), retired: [], waiting: [], waitingSinceMs: undefined };
    }
    this.conversations.set(conversation, state);
    if (this.conversations.size > this.limits.maxConversations) this.forgetIdle(conversation);
    return state;
  }

  private forgetIdle(keep: ConversationId): void {
    for (const [conversation, state] of this.conversations) {
      if (this.conversations.size <= this.limits.maxConversations) return;
      if (conversation !== keep && state.held.size === 0 && state.waiting.length === 0) this.conversations.delete(conversation);
    }
  }
}

function reset(conversation: ConversationId, from: Position, to: Position, reason: ResetReason): Delivery {
  return { kind: 'reset', reset: { conversation, from, to, reason } };
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
