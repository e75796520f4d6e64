// What a receiver may show (and, in a group, ack): msg:N arrive out of seq order around a
// reconnect (live pushes overtake the inbox pull), so a client holds a message behind a gap
// until the gap fills (PROTOCOL.md, receiver rule 3), and a group acks only the contiguous
// prefix ("Group acks are cumulative"); a gap open too long is synced ("Sync by seq"). No
// I/O, clock injected; one per (connection, conversation), 1:1 and group alike.

export interface DeliveryPosition {
  readonly epoch: string;
  readonly seq: number;
}

export class OrderedDelivery<T> {
  private epoch: string | undefined;
  /** Highest seq delivered contiguously in `epoch`. */
  private last = 0;
  private readonly held = new Map<number, T>();
  /** Seqs of this connection's own messages (from msg:A) ahead of `last`: no msg:N comes for them. */
  private readonly own = new Set<number>();
  /** When the current gap opened (undefined: none open). */
  private gapSinceMs: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** True when a gap has been open for at least `graceMs`: time to sync from `position`. */
  gapOlderThan(graceMs: number): boolean {
    return this.gapSinceMs !== undefined && this.now() - this.gapSinceMs >= graceMs;
  }

  /** Restarts the grace of an open gap (a sync was just asked for). */
  syncing(): void {
    if (this.gapSinceMs !== undefined) this.gapSinceMs = this.now();
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
    const released = this.enterEpoch(epoch, seq);
    if (released !== undefined) return [...released, message];
    if (seq <= this.last) return [message];
    if (seq === this.last + 1) {
      this.last = seq;
      return this.advance([message]);
    }
    if (!this.held.has(seq)) this.held.set(seq, message);
    this.gapSinceMs ??= this.now();
    return [];
  }

  /** This connection's own message got (epoch, seq) in msg:A: that seq is filled. */
  fill(epoch: string, seq: number): T[] {
    const released = this.enterEpoch(epoch, seq);
    if (released !== undefined) return released;
    if (seq <= this.last) return [];
    if (seq === this.last + 1) {
      this.last = seq;
      return this.advance([]);
    }
    this.own.add(seq);
    this.gapSinceMs ??= this.now();
    return [];
  }

  /**
   * A client with no state starts from the first position it sees (receiver rule 3), and
   * a new epoch restarts seqs: what was held in the old one is released as it stands.
   * Returns undefined when `epoch` is the current one.
   */
  private enterEpoch(epoch: string, seq: number): T[] | undefined {
    if (epoch === this.epoch) return undefined;
    const released = [...this.held.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
    this.held.clear();
    this.own.clear();
    this.gapSinceMs = undefined;
    this.epoch = epoch;
    this.last = seq;
    return released;
  }

  private advance(out: T[]): T[] {
    for (;;) {
      const next = this.last + 1;
      const message = this.held.get(next);
      if (message !== undefined) {
        this.held.delete(next);
        out.push(message);
      } else if (!this.own.delete(next)) {
        if (this.held.size === 0 && this.own.size === 0) this.gapSinceMs = undefined;
        return out;
      }
      this.last = next;
    }
  }
}
