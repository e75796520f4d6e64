// 1:1 acks are per message and repeats must be acked again (the server re-pushes until it
// hears one), but a receiver that gets many copies of one position in a burst (a re-push
// storm after a fault) acks it at most once per interval: one ack answers them all, and
// acking every copy only feeds the storm. No I/O, clock injected.

export class AckLimiter {
  private readonly lastAckMs = new Map<string, number>();
  private lastPruneMs = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `key` (a conversation and position) may be acked now; then it is held back for the interval. */
  allow(key: string): boolean {
    const now = this.now();
    if (now - this.lastPruneMs >= this.intervalMs) this.prune(now);
    const last = this.lastAckMs.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.lastAckMs.set(key, now);
    return true;
  }

  /** Positions remembered now (bounded by the acks of one interval). */
  get size(): number {
    return this.lastAckMs.size;
  }

  private prune(now: number): void {
    this.lastPruneMs = now;
    for (const [key, at] of this.lastAckMs) if (now - at >= this.intervalMs) this.lastAckMs.delete(key);
  }
}
