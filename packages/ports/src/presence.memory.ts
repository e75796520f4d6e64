// Presence kept in this process's memory, with expiry read from an injected Clock.
import type { ConnectionId, GatewayId, UserId } from '@parley/protocol';
import type { Clock } from './clock';
import type { Presence, PresenceEntry } from './presence';

/**
 * The gateway and expiry shared by the registrations one register call stores: a gateway
 * registers the connections of an event-loop turn (and refreshes all of them) in one call, so
 * its connections share a handful of these instead of each holding its own expiry (a time in
 * ms is a 16-byte heap number per object in V8) and gateway id.
 */
class Lease {
  constructor(
    readonly gatewayId: GatewayId,
    readonly expiresAtMs: number,
  ) {}
}

/** One registered connection of a user (the user is the map key). Refreshing it gives it the refresh's lease. */
class Registration {
  constructor(
    readonly connectionId: ConnectionId,
    public lease: Lease,
  ) {}

  is(entry: PresenceEntry): boolean {
    return this.connectionId === entry.connectionId && this.lease.gatewayId === entry.gatewayId;
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
    let lease: Lease | undefined;
    for (const entry of entries) {
      if (lease === undefined || lease.gatewayId !== entry.gatewayId) lease = new Lease(entry.gatewayId, expiresAtMs);
      const held = this.byUser.get(entry.user);
      const known = held === undefined ? undefined : Array.isArray(held) ? held.find((r) => r.is(entry)) : held.is(entry) ? held : undefined;
      if (known) {
        known.lease = lease;
        continue;
      }
      const added = new Registration(entry.connectionId, lease);
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
      this.retain(user, (r) => r.lease.expiresAtMs > now);
      const held = this.byUser.get(user);
      if (held === undefined) continue;
      const live = Array.isArray(held) ? held : [held];
      found.set(
        user,
        live.map((r) => ({ user, gatewayId: r.lease.gatewayId, connectionId: r.connectionId })),
      );
    }
    return found;
  }

  async clearGateway(gatewayId: GatewayId): Promise<number> {
    const now = this.clock.now();
    let removed = 0;
    for (const user of [...this.byUser.keys()]) {
      this.retain(user, (r) => r.lease.expiresAtMs > now);
      removed += this.retain(user, (r) => r.lease.gatewayId !== gatewayId);
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
