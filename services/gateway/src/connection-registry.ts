// The connections this gateway holds, by user and by connection id, for downlink writes.
import type { ConnectionId, UserId } from '@parley/protocol';
import type { ClientLink } from './client-link';

export class ConnectionRegistry {
  private readonly byUser = new Map<UserId, Map<ConnectionId, ClientLink>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(link: ClientLink): void {
    const { user, connectionId } = link.state;
    let links = this.byUser.get(user);
    if (!links) {
      links = new Map();
      this.byUser.set(user, links);
    }
    if (!links.has(connectionId)) this.count += 1;
    links.set(connectionId, link);
  }

  remove(link: ClientLink): void {
    const { user, connectionId } = link.state;
    const links = this.byUser.get(user);
    if (links?.get(connectionId) !== link) return;
    links.delete(connectionId);
    this.count -= 1;
    if (links.size === 0) this.byUser.delete(user);
  }

  /** Links of `user`; only the one with `connectionId` when it is non-empty. */
  find(user: UserId, connectionId: ConnectionId | ''): ClientLink[] {
    const links = this.byUser.get(user);
    if (!links) return [];
    if (connectionId) {
      const link = links.get(connectionId);
      return link ? [link] : [];
    }
    return [...links.values()];
  }

  /** A snapshot of every link (safe to close them while iterating). */
  all(): ClientLink[] {
    const result: ClientLink[] = [];
    for (const links of this.byUser.values()) for (const link of links.values()) result.push(link);
    return result;
  }

  *entries(): IterableIterator<{ user: UserId; connectionId: ConnectionId }> {
    for (const [user, links] of this.byUser) for (const connectionId of links.keys()) yield { user, connectionId };
  }
}
