// The ClientStore port: where a client keeps what must outlive the process (its device id
// and the per-conversation client_seq counters, see device-state.ts). Adapters beside it:
// client-store.memory.ts (Node's default) and client-store.local-storage.ts (browsers).

/**
 * A small synchronous key → JSON value store.
 *
 * Contract:
 * - `get(key)` returns the value last `set` under `key` (a structurally equal copy), or
 *   undefined when there is none or it cannot be read (treat it as never written).
 * - `set(key, value)` is durable when it returns: a crash right after it must not lose it
 *   (a store that cannot keep that promise makes the client reuse client_seq numbers after
 *   a crash; the server then refuses them with CLIENT_SEQ_REUSED and the client starts a
 *   new device). A `set` that fails must leave `get` returning undefined, never an older
 *   value: stale counters are worse than none.
 * - `value` is plain JSON (objects, arrays, strings, numbers).
 */
export interface ClientStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Optional capability of a ClientStore: it holds something (a lease) to give back when its client closes. */
export interface ReleasableStore {
  release(): void;
}

export function isReleasableStore(store: ClientStore): store is ClientStore & ReleasableStore {
  return typeof (store as Partial<ReleasableStore>).release === 'function';
}
