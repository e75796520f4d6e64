// Presence kept in this process's memory, with expiry read from an injected Clock.
import type { GatewayId, UserId } from '@parley/protocol';
import type { Clock } from './clock';
import type { Presence, PresenceEntry } from './presence';

interface RegisteredConnection {
  readonly entry: PresenceEntry;
  readonly expiresAtMs: number;
}

/**
 * Single process only: every gateway and delivery instance must share this object, so
 * it serves the embedded mode and unit tests. Expired entries are dropped lazily when
 * their user is touched (no timers, nothing to close); `clearGateway` scans every user.
 */
export class MemoryPresence implements Presence {
  /** user -> `<gatewayId>|<connectionId>` -> registration. */
  private readonly connectionsByUser = new Map<UserId, Map<string, RegisteredConnection>>();

  constructor(private readonly clock: Clock) {}

  async register(entries: readonly PresenceEntry[], ttlMs: number): Promise<void> {
    const expiresAtMs = this.clock.now() + ttlMs;
    for (const entry of entries) {
      let connections = this.connectionsByUser.get(entry.user);
      if (!connections) {
        connections = new Map();
        this.connectionsByUser.set(entry.user, connections);
      }
      connections.set(connectionKey(entry), { entry: { ...entry }, expiresAtMs });
    }
  }

  async unregister(entries: readonly PresenceEntry[]): Promise<void> {
    for (const entry of entries) {
      const connections = this.connectionsByUser.get(entry.user);
      if (!connections) continue;
      connections.delete(connectionKey(entry));
      if (connections.size === 0) this.connectionsByUser.delete(entry.user);
    }
  }

  async lookup(users: readonly UserId[]): Promise<Map<UserId, PresenceEntry[]>> {
    const now = this.clock.now();
    const found = new Map<UserId, PresenceEntry[]>();
    for (const user of users) {
      const live = this.liveConnections(user, now);
      if (live.length > 0) found.set(user, live.map(({ entry }) => ({ ...entry })));
    }
    return found;
  }

  async clearGateway(gatewayId: GatewayId): Promise<number> {
    const now = this.clock.now();
    let removed = 0;
    for (const user of [...this.connectionsByUser.keys()]) {
      for (const { entry } of this.liveConnections(user, now)) {
        if (entry.gatewayId !== gatewayId) continue;
        this.connectionsByUser.get(user)!.delete(connectionKey(entry));
        removed += 1;
      }
      if (this.connectionsByUser.get(user)?.size === 0) this.connectionsByUser.delete(user);
    }
    return removed;
  }

  /** The user's unexpired registrations, after dropping the expired ones. */
  private liveConnections(user: UserId, now: number): RegisteredConnection[] {
    const connections = this.connectionsByUser.get(user);
    if (!connections) return [];
    const live: RegisteredConnection[] = [];
    for (const [key, connection] of connections) {
      if (connection.expiresAtMs > now) live.push(connection);
      else connections.delete(key);
    }
    if (connections.size === 0) this.connectionsByUser.delete(user);
    return live;
  }
}

function connectionKey(entry: PresenceEntry): string {
  return `${entry.gatewayId}|${entry.connectionId}`;
}
