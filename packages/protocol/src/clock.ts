// Time as a dependency, for the services and the client SDK alike: retransmit, ack, heartbeat,
// drain and reconnect timers go through a Clock, so their logic is tested with FakeClock
// instead of sleeping. It lives in the protocol package because the client SDK may import
// nothing else of parley; @parley/ports hands the services the same Clock.

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once, `delayMs` from now (a negative delay counts as 0). */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; a handle that already fired or was cleared is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

export interface SystemClockOptions {
  /**
   * In Node, let the process exit while timers are set (a service's timers never keep it
   * alive); false: a pending timer keeps it alive, as a client's socket does. Default false.
   */
  readonly unref?: boolean;
}

/** The host's clock and timers (Date.now, globalThis.setTimeout): Node and browsers. */
export class SystemClock implements Clock {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private nextId = 1;
  private readonly unref: boolean;

  constructor(options: SystemClockOptions = {}) {
    this.unref = options.unref === true;
  }

  now(): number {
    return Date.now();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      callback();
    }, Math.max(0, delayMs));
    if (this.unref) (timer as { unref?: () => void }).unref?.();
    this.timers.set(id, timer);
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = this.timers.get(handle.id);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(handle.id);
  }
}

/** A manual clock for tests: time moves only in `advance`, which fires the timers due by then, earliest first (ties: first set first). */
export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }

  /** Moves time forward by `ms`, firing every timer that falls due (a timer set by a callback fires too when due by then). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let nextId = -1;
      let nextAt = Infinity;
      for (const [id, timer] of this.timers) {
        if (timer.at <= target && timer.at < nextAt) {
          nextAt = timer.at;
          nextId = id;
        }
      }
      if (nextId < 0) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.current = timer.at;
      timer.callback();
    }
    this.current = target;
  }

  /** Timers still set. */
  pendingTimers(): number {
    return this.timers.size;
  }

  /** When the earliest timer is due (undefined when none is set). */
  nextDueAt(): number | undefined {
    let at: number | undefined;
    for (const timer of this.timers.values()) if (at === undefined || timer.at < at) at = timer.at;
    return at;
  }

  /** Delays (from now) of the timers still set, ascending. */
  pendingDelays(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.current).sort((a, b) => a - b);
  }
}
