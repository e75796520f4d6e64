// When a gap in a conversation is worth a sync:R: after a grace period (the missing
// message is usually just late, or re-pushed by the server), or at once when many
// messages already wait behind it; and, while a gap stays open after its sync, how long
// until the next one (exponential backoff with full jitter, bounded).
import { fullJitterMs, type ConversationId } from '@parley/protocol';
import type { Clock, TimerHandle } from './clock';

export interface GapWatchTiming {
  /** How long a gap may stay open before a sync fills it, in ms; the base of the backoff between re-syncs. */
  readonly graceMs: number;
  /** Messages held behind a gap from which its first sync starts at once. */
  readonly syncThreshold: number;
  /** Ceiling of the wait between syncs of a gap that stays open, in ms. */
  readonly maxRetryMs: number;
  /** Jitter source in [0, 1). */
  readonly random: () => number;
}

interface OpenGap {
  timer: TimerHandle | undefined;
  /** Syncs started for this gap since it opened. */
  syncs: number;
}

/**
 * One timer per conversation with a gap, set when the gap opens and not extended by later
 * messages; the gap closing forgets it. The first sync comes after the grace (or at once
 * past the threshold); while the gap stays open, the next observe() sets the next timer:
 * random(0, min(maxRetryMs, graceMs * 2^syncs)), never below graceMs. So a gap a sync
 * cannot close (the server's store lagging behind its live pushes, a refused sync) costs a
 * handful of syncs, then one per maxRetryMs at most, never one per grace period forever.
 */
export class GapWatch {
  private readonly gaps = new Map<ConversationId, OpenGap>();

  constructor(
    private readonly clock: Clock,
    private readonly timing: GapWatchTiming,
    /** Start (or join) a sync of the conversation. */
    private readonly onGap: (conversation: ConversationId) => void,
  ) {}

  /** Conversations whose timer runs. */
  get watching(): number {
    let count = 0;
    for (const gap of this.gaps.values()) if (gap.timer) count += 1;
    return count;
  }

  /**
   * Call after every change of the conversation's receive state; `held`: seqs held behind its
   * gap (0: no gap); `urgent`: the first sync is due at once (a new epoch waits for one).
   */
  observe(conversation: ConversationId, held: number, urgent = false): void {
    if (held === 0) return this.clear(conversation);
    let gap = this.gaps.get(conversation);
    if (!gap) this.gaps.set(conversation, (gap = { timer: undefined, syncs: 0 }));
    if (gap.syncs === 0 && (urgent || held >= this.timing.syncThreshold)) {
      if (gap.timer) this.clock.clearTimeout(gap.timer);
      gap.timer = undefined;
      return this.sync(conversation, gap);
    }
    if (gap.timer) return;
    const open = gap;
    open.timer = this.clock.setTimeout(() => {
      open.timer = undefined;
      if (this.gaps.get(conversation) === open) this.sync(conversation, open);
    }, this.delay(open.syncs));
  }

  stop(): void {
    for (const gap of this.gaps.values()) if (gap.timer) this.clock.clearTimeout(gap.timer);
    this.gaps.clear();
  }

  private sync(conversation: ConversationId, gap: OpenGap): void {
    gap.syncs += 1;
    this.onGap(conversation);
  }

  private delay(syncs: number): number {
    const { graceMs, maxRetryMs, random } = this.timing;
    if (syncs === 0) return graceMs;
    return Math.max(graceMs, fullJitterMs({ minDelayMs: graceMs, maxDelayMs: maxRetryMs }, syncs, random));
  }

  private clear(conversation: ConversationId): void {
    const gap = this.gaps.get(conversation);
    if (gap?.timer) this.clock.clearTimeout(gap.timer);
    this.gaps.delete(conversation);
  }
}
