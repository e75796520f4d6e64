// The Presence port: which gateway holds which user's connections.
import type { ConnectionId, GatewayId, UserId } from '@parley/protocol';

export interface PresenceEntry {
  readonly user: UserId;
  readonly gatewayId: GatewayId;
  readonly connectionId: ConnectionId;
}

export interface Presence {
  /**
   * Records (or refreshes) entries; each expires `ttlMs` after its last registration,
   * so a gateway that died without cleaning up stops being seen within the TTL.
   */
  register(entries: readonly PresenceEntry[], ttlMs: number): Promise<void>;
  /** Removes entries (absent ones are ignored). */
  unregister(entries: readonly PresenceEntry[]): Promise<void>;
  /** Unexpired entries per user; users with none are absent from the map. */
  lookup(users: readonly UserId[]): Promise<Map<UserId, PresenceEntry[]>>;
  /**
   * Removes every entry registered by `gatewayId` (a gateway calls it on start, before
   * serving, so entries from its previous life never make a user look online).
   * Returns how many entries were removed.
   */
  clearGateway(gatewayId: GatewayId): Promise<number>;
}
