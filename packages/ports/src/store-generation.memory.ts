// StoreGeneration for the in-memory stores: they live and die with the process, so
// their data is never lost while anybody can read the marker.
import { randomBytes } from 'node:crypto';
import type { StoreGeneration, StoreGenerationId } from './store-generation';

/**
 * Single process only, like every memory adapter. The embedded stores never lose data, so
 * the id never changes by itself; `forget()` stands for a store that restarted empty (for
 * tests of what the services do then) and `reconnected()` for its connection coming back.
 */
export class MemoryStoreGeneration implements StoreGeneration {
  private current: StoreGenerationId | undefined;
  private readonly listeners = new Set<() => void>();

  async read(): Promise<StoreGenerationId> {
    this.current ??= newGenerationId();
    return this.current;
  }

  onReconnect(listener: () => void): () => void {
    const registered = () => listener();
    this.listeners.add(registered);
    return () => {
      this.listeners.delete(registered);
    };
  }

  /** The store lost its data: the next read writes (and returns) a new id. */
  forget(): void {
    this.current = undefined;
  }

  /** Runs the reconnect listeners, as a real store's client does when its connection is back. */
  reconnected(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** 128 random bits, hex. */
export function newGenerationId(): StoreGenerationId {
  return randomBytes(16).toString('hex') as StoreGenerationId;
}
