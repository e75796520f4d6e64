// The ClientStore over the Web Storage API (localStorage): the browser bundle's default
// when the page has one, so a reload keeps its device and counters.
import type { ClientStore } from './client-store';

/** The part of the Storage API this adapter uses (declared here: the package builds without DOM types). */
export interface WebStorageApi {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class LocalStorageClientStore implements ClientStore {
  constructor(private readonly storage: WebStorageApi) {}

  get(key: string): unknown {
    try {
      const text = this.storage.getItem(key);
      return text === null ? undefined : JSON.parse(text);
    } catch {
      return undefined; // unreadable (storage disabled, or not our JSON): as if never written
    }
  }

  set(key: string, value: unknown): void {
    try {
      this.storage.setItem(key, JSON.stringify(value));
    } catch {
      // Quota exceeded or storage disabled: the older value must not survive (see ClientStore).
      try {
        this.storage.removeItem(key);
      } catch {
        // nothing left to do: the next start may find stale counters and heal on CLIENT_SEQ_REUSED
      }
    }
  }
}

/** globalThis.localStorage when the host has a usable one (reading it can throw in sandboxed frames). */
export function hostLocalStorage(): WebStorageApi | undefined {
  try {
    const storage = (globalThis as { localStorage?: WebStorageApi }).localStorage;
    return storage && typeof storage.getItem === 'function' ? storage : undefined;
  } catch {
    return undefined;
  }
}
