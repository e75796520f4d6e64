// When a gap in a conversation is worth a sync:R: after a grace period (the missing
// message is usually just late, or re-pushed by the server), or at once when many
// messages already wait behind it.
import type { ConversationId } from '@parley/protocol';
import type { Clock, TimerHandle } from './clock';

export interface GapWatchTiming {
  /** How long a gap may stay open before a sync fills it, in ms. */
  readonly graceMs: number;
  /** Messages held behind a gap from which the sync starts at once. */
  readonly syncThreshold: number;
}

/**
 * One grace timer per conversation with a gap, set when the gap opens and not extended by
 * later messages; cleared when the gap closes. The timer firing (or the threshold) calls
 * onGap; while the gap stays open after that, the next observe() sets a new timer, so a
 * gap a sync could not close is retried once per grace period, never in a tight loop.
 */
export class GapWatch {
  private readonly timers = new Map<ConversationId, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly timing: GapWatchTiming,
    /** Start (or join) a sync of the conversation. */
    private readonly onGap: (conversation: ConversationId) => void,
  ) {}

  /** Conversations whose grace timer runs. */
  get watching(): number {
    return this.timers.size;
  }

  /** Call after every change of the conversation's receive state; `held`: seqs held behind its gap (0: no gap). */
  observe(conversation: ConversationId, held: number): void {
    if (held === 0) return this.clear(conversation);
    if (held >= this.timing.syncThreshold) {
      this.clear(conversation);
      this.onGap(conversation);
      return;
    }
    if (this.timers.has(conversation)) return;
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(conversation);
      this.onGap(conversation);
    }, this.timing.graceMs);
    this.timers.set(conversation, timer);
  }

  stop(): void {
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private clear(conversation: ConversationId): void {
    const timer = this.timers.get(conversation);
    if (timer) this.clock.clearTimeout(timer);
    this.timers.delete(conversation);
  }
}
