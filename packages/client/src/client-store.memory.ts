// The in-memory ClientStore: Node's default. Limits: it lives as long as the process, so a
// restarted client starts a new device (see device-state.ts); pass a store of your own
// (a file, a database row) to keep the device across restarts.
import type { ClientStore } from './client-store';

export class MemoryClientStore implements ClientStore {
  private readonly values = new Map<string, string>();

  get(key: string): unknown {
    const text = this.values.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  set(key: string, value: unknown): void {
    this.values.set(key, JSON.stringify(value));
  }
}
