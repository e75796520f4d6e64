// A minimal typed event emitter. Node's 'events' module is not used so the client can run
// in browsers unchanged.

/** Event name -> the listener's argument tuple. */
export type EventMap = { [event: string]: unknown[] };

type AnyListener = (...args: never[]) => void;

export class TypedEmitter<Events extends EventMap> {
  private readonly listeners = new Map<keyof Events, Set<AnyListener>>();

  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as AnyListener);
    return this;
  }

  off<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): this {
    this.listeners.get(event)?.delete(listener as AnyListener);
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
    return this.listeners.get(event)?.size ?? 0;
  }

  /**
   * Calls the listeners in registration order. A throwing listener must not leave the
   * protocol state half-updated (an ack unsent, a queue half-flushed), so its error is
   * re-thrown from a fresh microtask instead of into the caller: it still surfaces as an
   * uncaught exception, like a throwing listener of a Node EventEmitter would.
   */
  protected emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (...a: Events[E]) => void)(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
