// What a receiver may show (and, in a group, ack): msg:N arrive out of seq order around a
// reconnect (live pushes overtake the inbox pull), so a client holds a message behind a gap
// until the gap fills (PROTOCOL.md, receiver rule 3), and a group acks only the contiguous
// prefix ("Group acks are cumulative"); a gap open too long is synced ("Sync by seq"), once,
// then again after a backoff (exponential, full jitter) while it stays open. A new epoch
// restarts at seq 1; a sync page with `reset` restarts where the page starts. No I/O, clock
// and randomness injected; one per (connection, conversation), 1:1 and group alike.
import { fullJitterMs } from '@parley/protocol';

export interface DeliveryPosition {
  readonly epoch: string;
  readonly seq: number;
}

export interface GapSyncPolicy {
  /** A gap open this long is synced (PROTOCOL.md suggests 1 s). */
  readonly graceMs: number;
  /** Cap of the backoff between syncs of a gap that stays open. */
  readonly maxBackoffMs: number;
  /** A sync with no answer for this long no longer holds the next one back. */
  readonly answerTimeoutMs: number;
}

export const DEFAULT_GAP_SYNC: GapSyncPolicy = { graceMs: 1000, maxBackoffMs: 30_000, answerTimeoutMs: 10_000 };

export class OrderedDelivery<T> {
  private epoch: string | undefined;
  /** Epochs this conversation has left: a late copy from one of them is a repeat, never a way back. */
  private readonly oldEpochs = new Set<string>();
  /** Highest seq delivered contiguously in `epoch`. */
  private last = 0;
  private readonly held = new Map<number, T>();
  /** Seqs of this connection's own messages (from msg:A) ahead of `last`: no msg:N comes for them. */
  private readonly own = new Set<number>();
  /** When the current gap opened (undefined: none open). */
  private gapSinceMs: number | undefined;
  /** Syncs asked for the current gap; the next waits a backoff that doubles with each. */
  private syncAttempts = 0;
  private nextSyncAtMs = 0;
  /** A sync asked for and not answered yet (0: none). */
  private syncSentAtMs = 0;
  /** Epochs entered after the first one. */
  epochChanges = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly policy: GapSyncPolicy = DEFAULT_GAP_SYNC,
    private readonly random: () => number = Math.random,
  ) {}

  /** True when an open gap is due a sync from `position`: after the grace, then after each backoff, never while a sync is unanswered. */
  syncDue(): boolean {
    if (this.gapSinceMs === undefined) return false;
    const now = this.now();
    if (this.syncSentAtMs > 0 && now - this.syncSentAtMs < this.policy.answerTimeoutMs) return false;
    return now >= Math.max(this.gapSinceMs + this.policy.graceMs, this.nextSyncAtMs);
  }

  /** A sync of the gap was just asked for: the next one waits random(0, min(max, grace × 2^attempts)). */
  syncing(): void {
    const now = this.now();
    this.syncSentAtMs = now;
    if (this.gapSinceMs === undefined) return;
    this.syncAttempts++;
    this.nextSyncAtMs = now + fullJitterMs({ minDelayMs: this.policy.graceMs, maxDelayMs: this.policy.maxBackoffMs }, this.syncAttempts, this.random);
  }

  /** The sync was answered (its last page came). */
  synced(): void {
    this.syncSentAtMs = 0;
  }

  /** Whether a gap is open (something is held, or an own seq waits beyond it). */
  get gapOpen(): boolean {
    return this.gapSinceMs !== undefined;
  }

  /** The highest position delivered contiguously: all a cumulative ack may cover (undefined: nothing yet). */
  get position(): DeliveryPosition | undefined {
    return this.epoch === undefined ? undefined : { epoch: this.epoch, seq: this.last };
  }

  /**
   * A msg:N at (epoch, seq): returns what can be shown now, in seq order. A repeat or a
   * seq at or below the contiguous prefix comes straight back (the caller's ledger judges
   * it); one beyond a gap is held, a second copy of a held seq is dropped.
   */
  offer(epoch: string, seq: number, message: T): T[] {
    if (this.oldEpochs.has(epoch)) return [message];
    const released = this.enterEpoch(epoch, seq) ?? [];
    if (seq <= this.last) return [...released, message];
    if (seq === this.last + 1) {
      this.last = seq;
      return this.advance([...released, message]);
    }
    if (!this.held.has(seq)) this.held.set(seq, message);
    this.gapSinceMs ??= this.now();
    return released;
  }

  /** This connection's own message got (epoch, seq) in msg:A: that seq is filled. */
  fill(epoch: string, seq: number): T[] {
    if (this.oldEpochs.has(epoch)) return [];
    const released = this.enterEpoch(epoch, seq) ?? [];
    if (seq <= this.last) return released;
    if (seq === this.last + 1) {
      this.last = seq;
      return this.advance(released);
    }
    this.own.add(seq);
    this.gapSinceMs ??= this.now();
    return released;
  }

  /**
   * A sync page with `reset`: its messages do not follow the position asked from (a new
   * epoch, or past the retention). What is held is released as it stands (the break is
   * shown), and delivery continues just before the page's first message.
   */
  reset(epoch: string, firstSeq: number): T[] {
    const released = this.release();
    if (this.epoch !== undefined && this.epoch !== epoch) {
      this.oldEpochs.add(this.epoch);
      this.epochChanges++;
    }
    this.oldEpochs.delete(epoch);
    this.epoch = epoch;
    this.last = Math.max(0, firstSeq - 1);
    return released;
  }

  /**
   * A client with no state starts from the first position it sees (receiver rule 3). A
   * known conversation's new epoch restarts at seq 1 (the counter restarted): what was
   * held in the old one is released as it stands. Returns undefined when `epoch` is the
   * current one.
   */
  private enterEpoch(epoch: string, seq: number): T[] | undefined {
    if (epoch === this.epoch) return undefined;
    const released = this.release();
    if (this.epoch === undefined) {
      this.last = seq;
    } else {
      this.oldEpochs.add(this.epoch);
      this.epochChanges++;
      this.last = 0;
    }
    this.epoch = epoch;
    return released;
  }

  private release(): T[] {
    const released = [...this.held.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
    this.held.clear();
    this.own.clear();
    this.closeGap();
    return released;
  }

  private closeGap(): void {
    this.gapSinceMs = undefined;
    this.syncAttempts = 0;
    this.nextSyncAtMs = 0;
  }

  private advance(out: T[]): T[] {
    for (;;) {
      const next = this.last + 1;
      const message = this.held.get(next);
      if (message !== undefined) {
        this.held.delete(next);
        out.push(message);
      } else if (!this.own.delete(next)) {
        if (this.held.size === 0 && this.own.size === 0) this.closeGap();
        return out;
      }
      this.last = next;
    }
  }
}
