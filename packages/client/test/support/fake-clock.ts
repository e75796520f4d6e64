// A manual Clock for tests: time moves only in advance(), firing due timers in time order.
import type { Clock, TimerHandle } from '../../src/clock';

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

  /** Moves time forward by `ms`; every timer due by then fires, earliest first (ties: first set first). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = due[1].at;
      due[1].callback();
    }
    this.current = target;
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

  get pendingTimers(): number {
    return this.timers.size;
  }
}
