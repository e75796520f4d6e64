// The ticks of our user's messages (sent ✓, stored, delivered ✓✓, read) and the read
// positions of every conversation, kept in the ClientStore so a reload shows what it showed
// before. One rule makes every tick appear once (docs/PROTOCOL.md "Delivery and read
// ticks"): a message's state only moves forward; a notice that would not move it is a repeat.
import { asConversationId, asEpoch, asMsgId, isGroupConversation, type ConversationId, type MsgId, type UserId } from '@parley/protocol';
import type { ClientStore } from './client-store';
import type { AckReceipt, Accepted, ConversationSummary, Position, ReadReceipt } from './frames';

/** What became of one of our messages, in the order it can happen. */
export type MessageState = 'sent' | 'stored' | 'delivered' | 'read';

const STATES: readonly MessageState[] = ['sent', 'stored', 'delivered', 'read'];
const rank = (state: MessageState): number => STATES.indexOf(state);

/** One message of ours and how far it got. */
export interface MessageTick {
  readonly msgId: MsgId;
  readonly conversation: ConversationId;
  readonly position: Position;
  readonly state: MessageState;
}

/** A read position that moved forward: our user's (from another device, or ours) or another member's. */
export interface ReadPositionChange {
  readonly conversation: ConversationId;
  readonly user: UserId;
  readonly position: Position;
}

export interface TickChanges {
  readonly ticks: MessageTick[];
  readonly reads: ReadPositionChange[];
}

/** What the store keeps per user: ticks as [msgId, conversation, epoch, seq, state] and reads as conversation → user → [epoch, seq]. */
interface TicksRecord {
  readonly ticks: Array<[string, string, string, number, MessageState]>;
  readonly reads: Record<string, Record<string, [string, number]>>;
}

/**
 * Per user (a browser may be used by several in turn), at most `maxTicks` messages (the
 * oldest are forgotten first) and every conversation's read positions, in one record written
 * whole on every change.
 */
export class MessageTicks {
  private user: UserId | undefined;
  private readonly ticks = new Map<MsgId, MessageTick>();
  private readonly reads = new Map<ConversationId, Map<UserId, Position>>();

  constructor(
    private readonly store: ClientStore,
    private readonly key: string,
    private readonly maxTicks: number,
  ) {}

  /** The user of the link: its record is loaded (once per user change). */
  setUser(user: UserId): void {
    if (this.user === user) return;
    this.user = user;
    this.ticks.clear();
    this.reads.clear();
    const record = readRecord(this.store.get(this.recordKey()));
    if (!record) return;
    for (const [msgId, conversation, epoch, seq, state] of record.ticks) {
      this.ticks.set(asMsgId(msgId), { msgId: asMsgId(msgId), conversation: asConversationId(conversation), position: { epoch: asEpoch(epoch), seq }, state });
    }
    for (const [conversation, users] of Object.entries(record.reads)) {
      const byUser = new Map<UserId, Position>();
      for (const [user, [epoch, seq]] of Object.entries(users)) byUser.set(user as UserId, { epoch: asEpoch(epoch), seq });
      this.reads.set(asConversationId(conversation), byUser);
    }
  }

  get(msgId: string): MessageTick | undefined {
    return this.ticks.get(msgId as MsgId);
  }

  /** The read position of `user` in `conversation` (undefined: none known). */
  readPosition(conversation: string, user: string): Position | undefined {
    return this.reads.get(conversation as ConversationId)?.get(user as UserId);
  }

  /** The other members known to have read our message `msgId` (read position at or past it, same epoch). */
  readers(msgId: string): UserId[] {
    const tick = this.ticks.get(msgId as MsgId);
    if (!tick) return [];
    const readers: UserId[] = [];
    for (const [user, position] of this.reads.get(tick.conversation) ?? []) {
      if (user !== this.user && position.epoch === tick.position.epoch && position.seq >= tick.position.seq) readers.push(user);
    }
    return readers.sort();
  }

  /** msg:A of one of our sends, or our own message seen from another device. */
  sent(accepted: Accepted): TickChanges {
    return this.save({ ticks: this.advance(accepted.msgId, accepted.conversation, accepted.position, 'sent'), reads: [] });
  }

  /** ack:N: STORED_OFFLINE and DELIVERED move a 1:1 message on; a group's QUEUED says it is stored and pushed (sent). */
  acknowledged(ack: AckReceipt): TickChanges {
    const state: MessageState = ack.status === 'DELIVERED' ? 'delivered' : ack.status === 'STORED_OFFLINE' ? 'stored' : 'sent';
    const changed = this.advance(ack.msgId, ack.conversation, ack.position, state);
    // A message read before its DELIVERED came (the reader's read:N overtook it) stays read.
    return this.save({ ticks: [...changed, ...this.applyPeerReads(ack.conversation)], reads: [] });
  }

  /** read:N, or our own read:R: the position moves forward only; another member's reading reads our messages up to it. */
  read(receipt: ReadReceipt): TickChanges {
    const reads = this.moveRead(receipt.conversation, receipt.user, receipt.position);
    if (reads.length === 0) return { ticks: [], reads };
    return this.save({ ticks: receipt.user === this.user ? [] : this.applyPeerReads(receipt.conversation), reads });
  }

  /** conversations:A: our read positions, and for 1:1 conversations the peer's read position and how far ours were delivered. */
  summaries(list: readonly ConversationSummary[], peerOf: (conversation: ConversationId) => UserId | undefined): TickChanges {
    const ticks: MessageTick[] = [];
    const reads: ReadPositionChange[] = [];
    for (const summary of list) {
      if (this.user && summary.read.seq > 0) reads.push(...this.moveRead(summary.conversation, this.user, summary.read));
      const peer = peerOf(summary.conversation);
      if (peer && summary.peerRead && summary.peerRead.seq > 0) reads.push(...this.moveRead(summary.conversation, peer, summary.peerRead));
      if (summary.delivered && summary.delivered.seq > 0) ticks.push(...this.upTo(summary.conversation, summary.delivered, 'delivered'));
      ticks.push(...this.applyPeerReads(summary.conversation));
    }
    return this.save({ ticks, reads });
  }

  private applyPeerReads(conversation: ConversationId): MessageTick[] {
    const changed: MessageTick[] = [];
    for (const [user, position] of this.reads.get(conversation) ?? []) if (user !== this.user) changed.push(...this.upTo(conversation, position, 'read'));
    return changed;
  }

  /** Our messages of `conversation` in `position`'s epoch up to its seq move on to `state`. */
  private upTo(conversation: ConversationId, position: Position, state: MessageState): MessageTick[] {
    const changed: MessageTick[] = [];
    for (const tick of this.ticks.values()) {
      if (tick.conversation !== conversation || tick.position.epoch !== position.epoch || tick.position.seq > position.seq) continue;
      changed.push(...this.advance(tick.msgId, conversation, tick.position, state));
    }
    return changed;
  }

  /**
   * Moves a message on to `state`, through the steps `state` implies and that were not seen
   * (notices may overtake each other): every state implies 'sent', and in a 1:1 conversation
   * 'read' implies 'delivered' ('stored' is never implied: a message may be delivered without
   * waiting). So every message's steps come in one order, each once.
   */
  private advance(msgId: MsgId, conversation: ConversationId, position: Position, state: MessageState): MessageTick[] {
    const current = this.ticks.get(msgId);
    if (current && rank(current.state) >= rank(state)) return [];
    const steps: MessageState[] = [];
    if (!current && state !== 'sent') steps.push('sent');
    if (state === 'read' && !isGroupConversation(conversation) && (!current || rank(current.state) < rank('delivered'))) steps.push('delivered');
    steps.push(state);
    const at = current?.position ?? position;
    const ticks = steps.map((step): MessageTick => ({ msgId, conversation, position: at, state: step }));
    this.ticks.delete(msgId); // re-inserted: the newest are kept when the oldest are forgotten
    this.ticks.set(msgId, ticks[ticks.length - 1]!);
    while (this.ticks.size > this.maxTicks) this.ticks.delete(this.ticks.keys().next().value as MsgId);
    return ticks;
  }

  private moveRead(conversation: ConversationId, user: UserId, position: Position): ReadPositionChange[] {
    let byUser = this.reads.get(conversation);
    if (!byUser) this.reads.set(conversation, (byUser = new Map()));
    const current = byUser.get(user);
    // Within an epoch only forward; a position of another epoch replaces it (the conversation's counter restarted).
    if (current && current.epoch === position.epoch && current.seq >= position.seq) return [];
    byUser.set(user, { epoch: position.epoch, seq: position.seq });
    return [{ conversation, user, position }];
  }

  private save(changes: TickChanges): TickChanges {
    if (this.user && (changes.ticks.length > 0 || changes.reads.length > 0)) {
      const record: TicksRecord = {
        ticks: [...this.ticks.values()].map((t) => [t.msgId, t.conversation, t.position.epoch, t.position.seq, t.state]),
        reads: Object.fromEntries([...this.reads].map(([conversation, users]) => [conversation, Object.fromEntries([...users].map(([u, p]) => [u, [p.epoch, p.seq]]))])),
      };
      this.store.set(this.recordKey(), record);
    }
    return changes;
  }

  private recordKey(): string {
    return `${this.key}.ticks.${this.user ?? ''}`;
  }
}

function readRecord(value: unknown): TicksRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { ticks, reads } = value as Partial<TicksRecord>;
  if (!Array.isArray(ticks) || !reads || typeof reads !== 'object') return undefined;
  const valid = ticks.every(
    (t) => Array.isArray(t) && t.length === 5 && typeof t[0] === 'string' && typeof t[1] === 'string' && typeof t[2] === 'string' && Number.isSafeInteger(t[3]) && STATES.includes(t[4]),
  );
  return valid ? { ticks, reads } : undefined;
}
