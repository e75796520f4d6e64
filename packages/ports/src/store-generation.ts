// The StoreGeneration port: tells whether the shared store (Redis) still holds what was
// written to it, by a marker that lives exactly as long as the store's data.

/** The id of one life of the store's data: random, compared only for equality. */
export type StoreGenerationId = string & { readonly __brand: 'StoreGenerationId' };

/**
 * A marker written once into the store, never expiring: as long as the store keeps its
 * data, every read returns the same id. A store restarted empty (no persistence), flushed
 * or failed over to a replica that never had the marker returns a NEW id at the next read:
 * that is how a process learns the store lost its data. A partial loss that keeps the
 * marker (a failover to a replica lagging by a few writes) is not detected.
 */
export interface StoreGeneration {
  /**
   * The store's current generation: writes a fresh random id when the store holds none
   * (set-if-absent, so concurrent first reads from several processes agree on one id) and
   * returns the id the store holds. Rejects when the store cannot be reached.
   */
  read(): Promise<StoreGenerationId>;
  /**
   * Calls `listener` every time the connection to the store is established again after
   * it was lost: the store may have restarted meanwhile, so a watcher reads at once
   * instead of waiting for its next period. Returns a function that removes the listener.
   */
  onReconnect(listener: () => void): () => void;
}
