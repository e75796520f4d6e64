// The connections this gateway holds, by user and by connection id, for downlink writes.
import type { ConnectionId, UserId } from '@parley/protocol';

export interface RegisteredSocket<S> {
  readonly socket: S;
  readonly connectionId: ConnectionId;
}

export class ConnectionRegistry<S> {
  private readonly byUser = new Map<UserId, Map<ConnectionId, S>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(user: UserId, connectionId: ConnectionId, socket: S): void {
    let sockets = this.byUser.get(user);
    if (!sockets) {
      sockets = new Map();
      this.byUser.set(user, sockets);
    }
    if (!sockets.has(connectionId)) this.count += 1;
    sockets.set(connectionId, socket);
  }

  remove(user: UserId, connectionId: ConnectionId): void {
    const sockets = this.byUser.get(user);
    if (!sockets?.delete(connectionId)) return;
    this.count -= 1;
    if (sockets.size === 0) this.byUser.delete(user);
  }

  /** Sockets of `user`; only the one with `connectionId` when it is non-empty. */
  find(user: UserId, connectionId: ConnectionId | ''): S[] {
    const sockets = this.byUser.get(user);
    if (!sockets) return [];
    if (connectionId) {
      const socket = sockets.get(connectionId);
      return socket ? [socket] : [];
    }
    return [...sockets.values()];
  }

  *entries(): IterableIterator<{ user: UserId; connectionId: ConnectionId }> {
    for (const [user, sockets] of this.byUser) for (const connectionId of sockets.keys()) yield { user, connectionId };
  }
}
