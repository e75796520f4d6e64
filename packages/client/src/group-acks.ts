// Cumulative acks of group conversations: one ack:R says "I have every message of this
// epoch up to seq N", N being the last seq delivered contiguously; sent at most once per
// interval per conversation.
import type { ConversationId } from '@parley/protocol';
import { BoundedMap } from './bounded-memory';
import type { Clock, TimerHandle } from './clock';
import type { Position } from './frames';

interface Acked {
  readonly position: Position;
  /** When it went. */
  readonly at: number;
}

interface AckWindow {
  /** The position to ack at the end of the window (undefined: nothing new since the last ack:R). */
  due: Position | undefined;
  /** Ends the window; undefined while the link is down. */
  timer: TimerHandle | undefined;
}

/**
 * Leading and trailing edge: the first ack of a quiet conversation goes at once; what is
 * delivered during the next `intervalMs` is covered by one ack at the window's end, so a
 * burst costs two frames and its last message is acked at most one interval after it.
 *
 * The caller passes the conversation's contiguous position (ReceiveOrder.position), never
 * the seq of a message held after a gap: acking 7 while 6 is missing would tell the server
 * that 6 arrived. A due ack that could not go (no link) goes at goOnline.
 *
 * A position already acked on the current link is acked again only when a copy of a
 * message arrived (`repeat`), and at most once per `repeatIntervalMs` however many copies
 * arrive: the server re-pushes until it sees an ack, first after 5 s. A new link (or a
 * resync:N) forgets what was acked, since an ack:R may have died with the old one.
 */
export class GroupAcks {
  private readonly windows = new Map<ConversationId, AckWindow>();
  private readonly acked: BoundedMap<ConversationId, Acked>;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    /** Shortest time between two acks of the same position, in ms. */
    private readonly repeatIntervalMs: number,
    /** Conversations whose last acked position is remembered. */
    capacity: number,
    /** Sends ack:R {conversation, position}; false when there is no link. */
    private readonly send: (conversation: ConversationId, position: Position) => boolean,
  ) {
    this.acked = new BoundedMap(capacity);
  }

  /** Conversations with an ack waiting for the end of their window or for a link. */
  get dueCount(): number {
    let count = 0;
    for (const window of this.windows.values()) if (window.due) count += 1;
    return count;
  }

  /**
   * The conversation's contiguous position is `position`: ack it unless it was acked on
   * this link already. `repeat`: a msg:N arrived, ack even an unchanged position.
   */
  due(conversation: ConversationId, position: Position, repeat = false): void {
    if (position.seq < 1) return;
    let window = this.windows.get(conversation);
    const acked = this.acked.get(conversation);
    const known = acked !== undefined && acked.position.epoch === position.epoch && acked.position.seq === position.seq;
    if (known && !window?.due && (!repeat || this.clock.now() - acked.at < this.repeatIntervalMs)) return;
    if (!window) this.windows.set(conversation, (window = { due: undefined, timer: undefined }));
    window.due = position;
    if (!window.timer) this.flush(conversation, window);
  }

  /** A link is ready: every due ack goes now. */
  goOnline(): void {
    for (const [conversation, window] of [...this.windows]) if (window.due && !window.timer) this.flush(conversation, window);
  }

  /** The server may have lost our acks (resync:N): the next due position is acked even if it was already. */
  forgetAcked(): void {
    this.acked.clear();
  }

  /** The link is gone: windows end; due acks wait for goOnline. */
  goOffline(): void {
    this.acked.clear();
    for (const [conversation, window] of [...this.windows]) {
      if (window.timer) this.clock.clearTimeout(window.timer);
      window.timer = undefined;
      if (!window.due) this.windows.delete(conversation);
    }
  }

  stop(): void {
    for (const window of this.windows.values()) if (window.timer) this.clock.clearTimeout(window.timer);
    this.windows.clear();
    this.acked.clear();
  }

  private flush(conversation: ConversationId, window: AckWindow): void {
    if (!window.due || !this.send(conversation, window.due)) return;
    this.acked.set(conversation, { position: window.due, at: this.clock.now() });
    window.due = undefined;
    window.timer = this.clock.setTimeout(() => {
      window.timer = undefined;
      if (window.due) this.flush(conversation, window);
      else this.windows.delete(conversation);
    }, this.intervalMs);
  }
}
