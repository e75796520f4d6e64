// Fan-out per gateway, not per member: the receivers' connections are grouped by the
// gateway that holds them, and each gateway gets ONE item per message naming all its
// receivers; the gateway writes the frame to each of their connections.
import type { AddOptions, DownlinkBatcher, PresenceEntry } from '@parley/ports';
import type { ConnectionId, FrameInit, GatewayId, UserId } from '@parley/protocol';

/** Users per gateway among `entries` (each user once per gateway). */
export function usersByGateway(entries: Iterable<PresenceEntry>): Map<GatewayId, UserId[]> {
  const byGateway = new Map<GatewayId, Set<UserId>>();
  for (const entry of entries) {
    let users = byGateway.get(entry.gatewayId);
    if (!users) byGateway.set(entry.gatewayId, (users = new Set()));
    users.add(entry.user);
  }
  const result = new Map<GatewayId, UserId[]>();
  for (const [gatewayId, users] of byGateway) result.set(gatewayId, [...users]);
  return result;
}

export interface Except {
  readonly gatewayId: GatewayId;
  readonly connectionId: ConnectionId;
}

/** Queues `frame` once per gateway for all `entries`' users; returns the number of gateways. */
export function fanOut(out: DownlinkBatcher, frame: FrameInit, entries: Iterable<PresenceEntry>, except?: Except, options?: AddOptions): number {
  // One connection (a 1:1 receiver's one device, most of the time): its item directly, with
  // no map and set of users per gateway.
  if (Array.isArray(entries) && entries.length === 1) {
    const { gatewayId, user } = entries[0] as PresenceEntry;
    out.add(except && except.gatewayId === gatewayId ? { gatewayId, user, exceptConnectionId: except.connectionId } : { gatewayId, user }, frame, options);
    return 1;
  }
  const byGateway = usersByGateway(entries);
  for (const [gatewayId, users] of byGateway) {
    const [first, ...rest] = users as [UserId, ...UserId[]];
    out.add(
      {
        gatewayId,
        user: first,
        moreUsers: rest,
        ...(except && except.gatewayId === gatewayId ? { exceptConnectionId: except.connectionId } : {}),
      },
      frame,
      options,
    );
  }
  return byGateway.size;
}
