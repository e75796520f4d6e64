// Group acks are cumulative, so a group's pending state is one watermark per member
// connection, not one entry per message: the highest seq pushed to the connection and
// the highest it acknowledged. A connection behind its pushes has one re-delivery timer.
import type { Clock, PresenceEntry, TimerHandle } from '@parley/ports';
import type { ConnectionId, ConversationId, GatewayId, UserId } from '@parley/protocol';
import { redeliveryDelayMs, RedeliveryPolicy } from './redelivery-policy';

export interface Watermark {
  readonly key: string;
  readonly conversation: ConversationId;
  readonly user: UserId;
  readonly connectionId: ConnectionId;
  readonly gatewayId: GatewayId;
  epoch: string;
  pushedSeq: number;
  ackedSeq: number;
  attempts: number;
  /** Timeouts in a row that found delivery behind and waited (see MAX_POSTPONED_TIMEOUTS). */
  postponed: number;
  /** In line for the re-push budget (RepushBudget): no timer meanwhile, the re-push takes what is pushed by then. */
  waiting: boolean;
  timer: TimerHandle | undefined;
}

export type WatermarkTimeout = (watermark: Watermark) => void;

export class GroupWatermarks {
  /** By conversation, then connection: looked up per (message, member) without building a key string. */
  private readonly marks = new Map<ConversationId, Map<ConnectionId, Watermark>>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: RedeliveryPolicy,
    private readonly onTimeout: WatermarkTimeout,
  ) {}

  /** Member connections with unacknowledged pushes. */
  get behind(): number {
    let count = 0;
    for (const mark of this.all()) if (mark.ackedSeq < mark.pushedSeq) count += 1;
    return count;
  }

  /** Records that message `seq` was pushed to these connections. */
  pushed(conversation: ConversationId, epoch: string, seq: number, entries: Iterable<PresenceEntry>): void {
    let marks = this.marks.get(conversation);
    if (!marks) this.marks.set(conversation, (marks = new Map()));
    for (const entry of entries) {
      let mark = marks.get(entry.connectionId);
      if (!mark || mark.user !== entry.user) {
        const key = `${conversation}|${entry.user}|${entry.connectionId}`;
        mark = { key, conversation, user: entry.user, connectionId: entry.connectionId, gatewayId: entry.gatewayId, epoch, pushedSeq: 0, ackedSeq: seq - 1, attempts: 0, postponed: 0, waiting: false, timer: undefined };
        marks.set(entry.connectionId, mark);
      }
      if (mark.epoch !== epoch) Object.assign(mark, { epoch, pushedSeq: 0, ackedSeq: seq - 1, attempts: 0, postponed: 0 });
      mark.pushedSeq = Math.max(mark.pushedSeq, seq);
      if (mark.ackedSeq < mark.pushedSeq && !mark.timer && !mark.waiting) this.schedule(mark);
    }
  }

  /** A cumulative ack: the connection has everything of `epoch` up to `seq`. */
  acked(conversation: ConversationId, user: UserId, connectionId: ConnectionId, epoch: string, seq: number): void {
    const mark = this.marks.get(conversation)?.get(connectionId);
    if (!mark || mark.user !== user || mark.epoch !== epoch) return;
    mark.ackedSeq = Math.max(mark.ackedSeq, seq);
    if (mark.ackedSeq >= mark.pushedSeq) {
      if (mark.timer) this.clock.clearTimeout(mark.timer);
      mark.timer = undefined;
      mark.attempts = 0;
      mark.postponed = 0;
    }
  }

  canRedeliver(mark: Watermark): boolean {
    return mark.attempts < this.policy.maxRedeliveries;
  }

  /** Whether `mark` is still tracked and has pushes not acked (a re-push of it is still wanted). */
  isDue(mark: Watermark): boolean {
    return this.isCurrent(mark) && mark.ackedSeq < mark.pushedSeq;
  }

  rescheduled(mark: Watermark): void {
    if (this.isCurrent(mark) && mark.ackedSeq < mark.pushedSeq) this.schedule(mark);
  }

  drop(mark: Watermark): void {
    if (mark.timer) this.clock.clearTimeout(mark.timer);
    const marks = this.marks.get(mark.conversation);
    if (marks?.get(mark.connectionId) !== mark) return;
    marks.delete(mark.connectionId);
    if (marks.size === 0) this.marks.delete(mark.conversation);
  }

  /**
   * The lowest cumulative ack among the connections of `conversation` tracked in `epoch`:
   * every message of that epoch up to it was acked by every connection it was pushed to.
   * Undefined when no connection of that epoch is tracked (nobody needs its messages).
   */
  lowestAcked(conversation: ConversationId, epoch: string): number | undefined {
    let lowest: number | undefined;
    for (const mark of this.marks.get(conversation)?.values() ?? []) {
      if (mark.epoch === epoch && (lowest === undefined || mark.ackedSeq < lowest)) lowest = mark.ackedSeq;
    }
    return lowest;
  }

  /** Connections with pushes they have not acknowledged. */
  *lagging(): IterableIterator<Watermark> {
    for (const mark of this.all()) if (mark.ackedSeq < mark.pushedSeq) yield mark;
  }

  /** Unacknowledged messages of one connection across its groups. */
  pendingFor(connectionId: ConnectionId): number {
    let count = 0;
    for (const mark of this.all()) if (mark.connectionId === connectionId) count += Math.max(0, mark.pushedSeq - mark.ackedSeq);
    return count;
  }

  clear(): void {
    for (const mark of this.all()) if (mark.timer) this.clock.clearTimeout(mark.timer);
    this.marks.clear();
  }

  private *all(): IterableIterator<Watermark> {
    for (const marks of this.marks.values()) yield* marks.values();
  }

  private isCurrent(mark: Watermark): boolean {
    return this.marks.get(mark.conversation)?.get(mark.connectionId) === mark;
  }

  private schedule(mark: Watermark): void {
    if (mark.timer) this.clock.clearTimeout(mark.timer);
    mark.timer = this.clock.setTimeout(() => {
      mark.timer = undefined;
      if (this.isCurrent(mark)) this.onTimeout(mark);
    }, redeliveryDelayMs(this.policy, mark.attempts + 1));
  }
}
