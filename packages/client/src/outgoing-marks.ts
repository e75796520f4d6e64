// read:R and typing:R as the client sends them: a read position per conversation at most
// once per readIntervalMs (the latest one wins; what waited goes at the end of the interval
// or after the next welcome), and typing at most once per typingIntervalMs per conversation
// (an indicator is worth nothing later: one that cannot go now is dropped).
import type { ConversationId, FrameInit } from '@parley/protocol';
import type { Clock, TimerHandle } from './clock';
import type { Position } from './frames';

export interface OutgoingMarksOptions {
  readonly readIntervalMs: number;
  readonly typingIntervalMs: number;
}

export class OutgoingMarks {
  /** Read positions not yet sent on a link (or waiting for the interval). */
  private readonly waiting = new Map<ConversationId, Position>();
  private readonly lastReadAt = new Map<ConversationId, number>();
  /** The last read position sent per conversation: one not beyond it is not sent again. */
  private readonly lastSent = new Map<ConversationId, Position>();
  private readonly lastTypingAt = new Map<ConversationId, number>();
  private readonly timers = new Map<ConversationId, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly options: OutgoingMarksOptions,
    private readonly transmit: (frame: FrameInit) => boolean,
  ) {}

  /** Marks `conversation` read up to `position` (the highest given so far is what goes out). */
  markRead(conversation: ConversationId, position: Position): void {
    const covered = (p: Position | undefined) => p !== undefined && p.epoch === position.epoch && p.seq >= position.seq;
    if (covered(this.waiting.get(conversation)) || covered(this.lastSent.get(conversation))) return;
    this.waiting.set(conversation, position);
    const since = this.clock.now() - (this.lastReadAt.get(conversation) ?? -Infinity);
    if (since >= this.options.readIntervalMs) this.sendRead(conversation);
    else if (!this.timers.has(conversation)) {
      this.timers.set(conversation, this.clock.setTimeout(() => {
        this.timers.delete(conversation);
        this.sendRead(conversation);
      }, this.options.readIntervalMs - since));
    }
  }

  /** Says our user is typing in `conversation`; false when it was not sent (too soon, or no link). */
  typing(conversation: ConversationId): boolean {
    const now = this.clock.now();
    if (now - (this.lastTypingAt.get(conversation) ?? -Infinity) < this.options.typingIntervalMs) return false;
    if (!this.transmit({ typingR: { conversation } })) return false;
    this.lastTypingAt.set(conversation, now);
    return true;
  }

  /**
   * After a welcome: every read position that could not go out goes now, and the last one
   * sent per conversation goes again (it may have died with the old link; the server
   * ignores a position it already has).
   */
  goOnline(): void {
    for (const [conversation, position] of this.lastSent) if (!this.waiting.has(conversation)) this.waiting.set(conversation, position);
    for (const conversation of [...this.waiting.keys()]) if (!this.timers.has(conversation)) this.sendRead(conversation);
  }

  stop(): void {
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private sendRead(conversation: ConversationId): void {
    const position = this.waiting.get(conversation);
    if (!position) return;
    if (!this.transmit({ readR: { conversation, position } })) return; // no link: goOnline sends it
    this.waiting.delete(conversation);
    this.lastSent.set(conversation, position);
    this.lastReadAt.set(conversation, this.clock.now());
  }
}
