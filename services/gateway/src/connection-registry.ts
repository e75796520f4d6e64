// The connections this gateway holds, by user (and then by connection id), for downlink
// writes. A user's single connection is the map's value itself; only a user with several
// connections (devices, tabs) costs an array. A per-user Map would cost a few hundred
// bytes per idle connection, and a user holds a handful of links at most, so scanning
// them for a connection id is cheap.
import type { ConnectionId, UserId } from '@parley/protocol';
import type { ClientLink } from './client-link';

type HeldLinks = ClientLink | ClientLink[];

export class ConnectionRegistry {
  private readonly byUser = new Map<UserId, HeldLinks>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a link; adding the same link again does nothing. */
  add(link: ClientLink): void {
    const user = link.state.user;
    const held = this.byUser.get(user);
    if (held === undefined) {
      this.byUser.set(user, link);
    } else if (Array.isArray(held)) {
      if (held.includes(link)) return;
      held.push(link);
    } else {
      if (held === link) return;
      this.byUser.set(user, [held, link]);
    }
    this.count += 1;
  }

  /** Removes a link; removing one not held does nothing. */
  remove(link: ClientLink): void {
    const user = link.state.user;
    const held = this.byUser.get(user);
    if (held === link) {
      this.byUser.delete(user);
    } else if (Array.isArray(held)) {
      const at = held.indexOf(link);
      if (at < 0) return;
      held.splice(at, 1);
      if (held.length === 1) this.byUser.set(user, held[0]!);
    } else {
      return;
    }
    this.count -= 1;
  }

  /** How many links `user` holds. */
  countOf(user: UserId): number {
    const held = this.byUser.get(user);
    return held === undefined ? 0 : Array.isArray(held) ? held.length : 1;
  }

  /**
   * The links `user` holds, as held: one link, several (an array not to keep nor change:
   * the registry's own), or none. For the downlink's per-member writes, which must not
   * allocate per member; `find` copies.
   */
  linksOf(user: UserId): ClientLink | readonly ClientLink[] | undefined {
    return this.byUser.get(user);
  }

  /** Links of `user`; only the one with `connectionId` when it is non-empty. */
  find(user: UserId, connectionId: ConnectionId | ''): ClientLink[] {
    const held = this.byUser.get(user);
    if (held === undefined) return [];
    if (!Array.isArray(held)) return !connectionId || held.state.connectionId === connectionId ? [held] : [];
    if (!connectionId) return held.slice();
    const link = held.find((l) => l.state.connectionId === connectionId);
    return link ? [link] : [];
  }

  /** A snapshot of every link (safe to close them while iterating). */
  all(): ClientLink[] {
    const result: ClientLink[] = [];
    for (const held of this.byUser.values()) {
      if (Array.isArray(held)) result.push(...held);
      else result.push(held);
    }
    return result;
  }

  /** The user and connection id of every link (its state: nothing is allocated per link). */
  *entries(): IterableIterator<{ readonly user: UserId; readonly connectionId: ConnectionId }> {
    for (const held of this.byUser.values()) {
      if (Array.isArray(held)) for (const link of held) yield link.state;
      else yield held.state;
    }
  }
}
