// 1:1 acks (ack:R per message) without amplification: one per position per interval on a
// link, however many copies of the message arrive (a live push, the server's re-push, a
// sync page). The interval is well below the server's first re-push (5 s), so an ack that
// was lost is sent again with the next copy.
import type { ConversationId } from '@parley/protocol';
import { BoundedMap } from './bounded-memory';
import type { Clock } from './clock';
import type { Position } from './frames';

export class DirectAcks {
  /** `<conversation> <epoch> <seq>` → when its last ack:R went. */
  private readonly sentAt: BoundedMap<string, number>;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    /** Positions whose last ack time is remembered. */
    capacity: number,
    /** Sends ack:R {conversation, position}; false when there is no link. */
    private readonly send: (conversation: ConversationId, position: Position) => boolean,
  ) {
    this.sentAt = new BoundedMap(capacity);
  }

  /** Acks the message at `position` unless it was acked less than an interval ago. Returns whether an ack:R went. */
  ack(conversation: ConversationId, position: Position): boolean {
    const key = `${conversation} ${position.epoch} ${position.seq}`;
    const now = this.clock.now();
    const last = this.sentAt.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    if (!this.send(conversation, position)) return false;
    this.sentAt.set(key, now);
    return true;
  }

  /** A new link, or the server lost state (resync:N): an ack may have died with it, so the next copy is acked. */
  forget(): void {
    this.sentAt.clear();
  }
}
