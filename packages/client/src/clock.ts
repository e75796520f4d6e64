// Time as a dependency of the client: retransmit, ack, heartbeat and reconnect timers all
// go through a Clock, so tests drive them with a fake instead of sleeping. Same shape as
// @parley/ports' Clock, redefined here because the client must not depend on server packages.

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

/**
 * The host's clock and timers (Date.now, globalThis.setTimeout): works in Node and browsers.
 * Timers are not unref'd: a client with pending work keeps a Node process alive, as its
 * socket does; `ParleyClient.close()` clears them all.
 */
export class SystemClock implements Clock {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private nextId = 1;

  now(): number {
    return Date.now();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      callback();
    }, Math.max(0, delayMs));
    this.timers.set(id, timer);
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = this.timers.get(handle.id);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(handle.id);
  }
}
