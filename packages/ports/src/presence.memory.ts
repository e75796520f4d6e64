// Presence kept in this process's memory, with expiry read from an injected Clock.
import type { ConnectionId, GatewayId, UserId } from '@parley/protocol';
import type { Clock } from './clock';
import type { Presence, PresenceEntry } from './presence';

/** One registered connection of a user (the user is the map key). Refreshing it rewrites `expiresAtMs` in place. */
class Registration {
  constructor(
    readonly gatewayId: GatewayId,
    readonly connectionId: ConnectionId,
    public expiresAtMs: number,
  ) {}

  is(entry: PresenceEntry): boolean {
    return this.connectionId === entry.connectionId && this.gatewayId === entry.gatewayId;
  }
}

/** A user's registrations: most users hold one connection, kept without an array around it. */
type Registrations = Registration | Registration[];

/**
 * Single process only: every gateway and delivery instance must share this object, so
 * it serves the embedded mode and unit tests. Expired entries are dropped lazily when
 * their user is touched (no timers, nothing to close); `clearGateway` scans every user.
 * A registered connection costs one small object (a gateway holds every idle connection
 * of the embedded mode here), and entries are built only when looked up.
 */
export class MemoryPresence implements Presence {
  private readonly byUser = new Map<UserId, Registrations>();

  constructor(private readonly clock: Clock) {}

  async register(entries: readonly PresenceEntry[], ttlMs: number): Promise<void> {
    const expiresAtMs = this.clock.now() + ttlMs;
    for (const entry of entries) {
      const held = this.byUser.get(entry.user);
      const known = held === undefined ? undefined : Array.isArray(held) ? held.find((r) => r.is(entry)) : held.is(entry) ? held : undefined;
      if (known) {
        known.expiresAtMs = expiresAtMs;
        continue;
      }
      const added = new Registration(entry.gatewayId, entry.connectionId, expiresAtMs);
      if (held === undefined) this.byUser.set(entry.user, added);
      else if (Array.isArray(held)) held.push(added);
      else this.byUser.set(entry.user, [held, added]);
    }
  }

  async unregister(entries: readonly PresenceEntry[]): Promise<void> {
    for (const entry of entries) this.retain(entry.user, (r) => !r.is(entry));
  }

  async lookup(users: readonly UserId[]): Promise<Map<UserId, PresenceEntry[]>> {
    const now = this.clock.now();
    const found = new Map<UserId, PresenceEntry[]>();
    for (const user of users) {
      this.retain(user, (r) => r.expiresAtMs > now);
      const held = this.byUser.get(user);
      if (held === undefined) continue;
      const live = Array.isArray(held) ? held : [held];
      found.set(
        user,
        live.map((r) => ({ user, gatewayId: r.gatewayId, connectionId: r.connectionId })),
      );
    }
    return found;
  }

  async clearGateway(gatewayId: GatewayId): Promise<number> {
    const now = this.clock.now();
    let removed = 0;
    for (const user of [...this.byUser.keys()]) {
      this.retain(user, (r) => r.expiresAtMs > now);
      removed += this.retain(user, (r) => r.gatewayId !== gatewayId);
    }
    return removed;
  }

  /** Keeps the user's registrations for which `keep` holds; returns how many were dropped. */
  private retain(user: UserId, keep: (registration: Registration) => boolean): number {
    const held = this.byUser.get(user);
    if (held === undefined) return 0;
    if (!Array.isArray(held)) {
      if (keep(held)) return 0;
      this.byUser.delete(user);
      return 1;
    }
    const kept = held.filter(keep);
    const dropped = held.length - kept.length;
    if (dropped === 0) return 0;
    if (kept.length === 0) this.byUser.delete(user);
    else this.byUser.set(user, kept.length === 1 ? kept[0]! : kept);
    return dropped;
  }
}
