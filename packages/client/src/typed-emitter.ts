// A minimal typed event emitter. Node's 'events' module is not used so the client can run
// in browsers unchanged.

/** Event name -> the listener's argument tuple. */
export type EventMap = { [event: string]: unknown[] };

type Listeners<Events extends EventMap> = { [E in keyof Events]?: Set<(...args: Events[E]) => void> };

export class TypedEmitter<Events extends EventMap> {
  private readonly listeners: Listeners<Events> = {};

  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): this {
    (this.listeners[event] ??= new Set()).add(listener);
    return this;
  }

  off<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): this {
    this.listeners[event]?.delete(listener);
    return this;
  }

  once<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): this {
    const wrapper = (...args: Events[E]): void => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  listenerCount(event: keyof Events): number {
    return this.listeners[event]?.size ?? 0;
  }

  /**
   * Calls the listeners in registration order. A throwing listener must not leave the
   * protocol state half-updated (an ack unsent, a queue half-flushed), so its error is
   * re-thrown from a fresh microtask instead of into the caller: it still surfaces as an
   * uncaught exception, like a throwing listener of a Node EventEmitter would.
   */
  protected emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const set = this.listeners[event];
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
