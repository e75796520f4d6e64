// What a receiver may show (and, in a group, ack): msg:N arrive out of seq order around a
// reconnect (live pushes overtake the inbox pull), so a client holds a message behind a gap
// until the gap fills (PROTOCOL.md, receiver rule 3), and a group acks only the contiguous
// prefix ("Group acks are cumulative"); a gap open too long is synced ("Sync by seq"), once,
// then again after a backoff (exponential, full jitter) while it stays open. A conversation
// enters a new epoch only through a sync ("A new epoch is entered through a sync"): a
// message or own position of another epoch is held and a sync asked for at once; its old
// epoch pages are shown first, its reset page moves to the new epoch, then what was held
// follows; past a bound without that, the held epoch is entered as it stands. No I/O,
// clock and randomness injected; one per (connection, conversation), 1:1 and group alike.
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
  /** A new epoch held this long without a sync reaching it is entered as it stands (PROTOCOL.md suggests 5 minutes). */
  readonly epochHoldMs: number;
}

export const DEFAULT_GAP_SYNC: GapSyncPolicy = { graceMs: 1000, maxBackoffMs: 30_000, answerTimeoutMs: 10_000, epochHoldMs: 300_000 };

/** A message (or, without one, an own seq from msg:A) of an epoch not entered yet. */
interface Waiting<T> {
  readonly epoch: string;
  readonly seq: number;
  readonly message: T | undefined;
}

export class OrderedDelivery<T> {
  private epoch: string | undefined;
  /** Epochs this conversation has left: a late copy from one of them is a repeat, never a way back. */
  private readonly oldEpochs = new Set<string>();
  /** Highest seq delivered contiguously in `epoch`. */
  private last = 0;
  private readonly held = new Map<number, T>();
  /** Seqs of this connection's own messages (from msg:A) ahead of `last`: no msg:N comes for them. */
  private readonly own = new Set<number>();
  /**
   * Own positions learnt before the conversation has a starting point: an own msg:A never
   * starts a conversation (a peer's earlier messages may still be on their way), only seq 1,
   * the true start, does; they count once a message starts it.
   */
  private ownBeforeStart: DeliveryPosition[] = [];
  /** When the current gap opened (undefined: none open). */
  private gapSinceMs: number | undefined;
  /** Syncs asked for the current gap; the next waits a backoff that doubles with each. */
  private syncAttempts = 0;
  private nextSyncAtMs = 0;
  /** A sync asked for and not answered yet (0: none). */
  private syncSentAtMs = 0;
  /** Positions of epochs not entered yet, in arrival order: they wait for a sync to reach their epoch. */
  private waiting: Array<Waiting<T>> = [];
  /** When the first of them came (undefined: none waits). */
  private waitingSinceMs: number | undefined;
  /** Epochs entered after the first one. */
  epochChanges = 0;
  /** New epochs entered without a sync reaching them (the hold bound passed). */
  epochHoldsExpired = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly policy: GapSyncPolicy = DEFAULT_GAP_SYNC,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * True when a sync from `position` is due: at once for a new epoch waiting, after the grace
   * for an open gap; then after each backoff; never while a sync is unanswered.
   */
  syncDue(): boolean {
    if (this.gapSinceMs === undefined && this.waitingSinceMs === undefined) return false;
    const now = this.now();
    if (this.syncSentAtMs > 0 && now - this.syncSentAtMs < this.policy.answerTimeoutMs) return false;
    const from = this.waitingSinceMs ?? this.gapSinceMs! + this.policy.graceMs;
    return now >= Math.max(from, this.nextSyncAtMs);
  }

  /** A sync was just asked for: the next one waits random(0, min(max, grace × 2^attempts)). */
  syncing(): void {
    const now = this.now();
    this.syncSentAtMs = now;
    if (this.gapSinceMs === undefined && this.waitingSinceMs === undefined) return;
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

  /** Whether positions of an epoch not entered yet wait for a sync. */
  get epochWaiting(): boolean {
    return this.waitingSinceMs !== undefined;
  }

  /** The epoch delivered from (undefined: nothing yet). */
  get currentEpoch(): string | undefined {
    return this.epoch;
  }

  /** The highest seq delivered contiguously in the current epoch. */
  get lastSeq(): number {
    return this.last;
  }

  /**
   * The common case of `offer`, without building arrays: when `seq` of the current epoch is
   * the next one and nothing is held, it is shown (true) and the caller shows that message
   * alone. False, and nothing changed: the caller offers it.
   */
  takeNext(epoch: string, seq: number): boolean {
    if (epoch !== this.epoch || seq !== this.last + 1 || this.held.size !== 0 || this.own.size !== 0) return false;
    this.last = seq;
    this.closeGap();
    return true;
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
    if (this.awaitsSync(epoch)) return this.wait({ epoch, seq, message });
    return this.offerNow(epoch, seq, message);
  }

  private offerNow(epoch: string, seq: number, message: T): T[] {
    const starting = this.epoch === undefined;
    const released = this.enterEpoch(epoch, seq) ?? [];
    if (starting) return this.advance([...released, message, ...this.ownAfterStart()]);
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
    if (this.awaitsSync(epoch)) return this.wait({ epoch, seq, message: undefined });
    return this.fillNow(epoch, seq);
  }

  private fillNow(epoch: string, seq: number): T[] {
    const starting = this.epoch === undefined;
    if (starting && seq !== 1) {
      this.ownBeforeStart.push({ epoch, seq });
      return [];
    }
    const released = this.enterEpoch(epoch, seq - 1) ?? [];
    const out = this.fillFrom(seq, released);
    return starting ? [...out, ...this.ownAfterStart()] : out;
  }

  private fillFrom(seq: number, released: T[]): T[] {
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
    const starting = this.epoch === undefined;
    this.epoch = epoch;
    this.last = Math.max(0, firstSeq - 1);
    if (starting) released.push(...this.ownAfterStart());
    // What waited for this epoch follows the page (a seq beyond it waits for the page's messages).
    const now = this.waiting.filter((w) => w.epoch === epoch);
    this.waiting = this.waiting.filter((w) => w.epoch !== epoch && !this.oldEpochs.has(w.epoch));
    if (this.waiting.length === 0) this.stopWaiting();
    for (const w of now) released.push(...(w.message === undefined ? this.fillNow(w.epoch, w.seq) : this.offerNow(w.epoch, w.seq, w.message)));
    return released;
  }

  /**
   * The bound: a new epoch waiting longer than `epochHoldMs` (no sync reached it: delivery
   * down or far behind) is entered as it stands, the old one's held messages released first.
   * Returns what can be shown.
   */
  expireWait(): T[] {
    if (this.waitingSinceMs === undefined || this.now() - this.waitingSinceMs < this.policy.epochHoldMs) return [];
    const waiting = this.waiting;
    this.waiting = [];
    this.stopWaiting();
    this.epochHoldsExpired++;
    const out: T[] = [];
    for (const w of waiting) {
      if (this.oldEpochs.has(w.epoch)) continue;
      out.push(...(w.message === undefined ? this.fillNow(w.epoch, w.seq) : this.offerNow(w.epoch, w.seq, w.message)));
    }
    return out;
  }

  /** A known conversation's position of another epoch (not one it left) waits for a sync to reach that epoch. */
  private awaitsSync(epoch: string): boolean {
    return this.epoch !== undefined && epoch !== this.epoch;
  }

  private wait(waiting: Waiting<T>): T[] {
    this.waiting.push(waiting);
    this.waitingSinceMs ??= this.now();
    return [];
  }

  /**
   * A client with no state starts from the first message it sees (receiver rule 3; an own
   * position starts it only at seq 1: `seq` is then 0). A
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

  /** The conversation just got its starting point: own positions learnt before it count from now (those at or below it are done). */
  private ownAfterStart(): T[] {
    const before = this.ownBeforeStart;
    this.ownBeforeStart = [];
    const out: T[] = [];
    for (const p of before) if (p.epoch !== this.epoch || p.seq > this.last) out.push(...this.fill(p.epoch, p.seq));
    return out;
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
    if (this.waitingSinceMs === undefined) this.forgetSyncBackoff();
  }

  private forgetSyncBackoff(): void {
    this.syncAttempts = 0;
    this.nextSyncAtMs = 0;
  }

  /** Nothing of another epoch waits any more. */
  private stopWaiting(): void {
    this.waitingSinceMs = undefined;
    if (this.gapSinceMs === undefined) this.forgetSyncBackoff();
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
