// How many re-pushes one delivery process sends per second, at most: a token bucket with a
// queue. Re-pushes are timer-driven, so a backlog (an outage, a restart) can make thousands fall
// due at once; past the budget a re-push waits its turn in order (first due, first sent) instead
// of joining a storm that would only push the receivers' acks further back. First pushes are
// never limited: they carry new messages.
import type { Clock, TimerHandle } from '@parley/ports';

export interface RepushBudgetOptions {
  /** Re-pushed messages per second, on average. Default 200. */
  readonly perSecond?: number;
  /** Most re-pushes sent at once after a quiet spell. Default: one second's worth. */
  readonly burst?: number;
}

/** Sends a re-push; returns false when it is no longer wanted (nothing sent: the budget is not spent). */
export type Repush = () => boolean;

interface Waiting {
  readonly repush: Repush;
  readonly count: number;
}

export class RepushBudget {
  readonly perSecond: number;
  private readonly burst: number;
  private tokens: number;
  private refilledAtMs: number;
  private readonly waiting: Waiting[] = [];
  private head = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    options: RepushBudgetOptions = {},
  ) {
    this.perSecond = options.perSecond ?? 200;
    this.burst = options.burst ?? this.perSecond;
    if (!(this.perSecond > 0) || !(this.burst >= 1)) throw new Error('RepushBudget: perSecond must be > 0 and burst >= 1');
    this.tokens = this.burst;
    this.refilledAtMs = clock.now();
  }

  /** Re-pushes waiting for the budget. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /**
   * Runs `repush` (of `count` messages: a group re-push sends several) now if the budget allows
   * and nothing waits before it, else queues it; returns whether it ran now. One token is enough
   * to go: the rest is borrowed from the coming refills, so the average rate holds and a re-push
   * larger than the burst still goes. A queued `repush` checks, when it runs, that it is still
   * wanted (the ack may have come meanwhile) and returns false if not.
   */
  submit(repush: Repush, count = 1): boolean {
    this.refill();
    if (this.queued === 0 && this.tokens >= 1) {
      if (repush()) this.tokens -= count;
      return true;
    }
    this.waiting.push({ repush, count });
    this.wake();
    return false;
  }

  /** Drops every waiting re-push (the process stops). */
  clear(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.length = 0;
    this.head = 0;
  }

  private release(): void {
    this.timer = undefined;
    this.refill();
    while (this.queued > 0 && this.tokens >= 1) {
      const next = this.waiting[this.head]!;
      this.head += 1;
      if (next.repush()) this.tokens -= next.count;
    }
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    this.wake();
  }

  /** Arms the timer for the next token while re-pushes wait. */
  private wake(): void {
    if (this.timer || this.queued === 0) return;
    const waitMs = Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
    this.timer = this.clock.setTimeout(() => this.release(), waitMs);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsedMs = Math.max(0, now - this.refilledAtMs);
    this.refilledAtMs = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.perSecond) / 1000);
  }
}
