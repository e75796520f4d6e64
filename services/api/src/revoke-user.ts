// POST /v1/users/{user}/revoke: refuses the user's tokens issued before a time (stored in
// the TokenRevocations port, read by every gateway at connect) and closes every connection
// the user holds now with 4008 REVOKED (one control item per gateway holding the user, on
// the downlink the gateways already listen to).
import type { DownlinkBatch, GatewayId, UserId } from '@parley/protocol';
import type { Clock, Downlink, Presence, TokenRevocations } from '@parley/ports';
import { invalid } from './api-error';
import { revokedBatch } from './outbound-records';
import type { JsonObject } from './request-input';

export interface RevokeContext {
  readonly revocations: TokenRevocations;
  readonly presence: Presence;
  readonly downlink: Downlink;
  readonly clock: Clock;
}

export interface Revoked {
  readonly user: string;
  /** Tokens issued (iat) before this Unix time, in seconds, are refused (the latest revocation wins). */
  readonly revokedBefore: number;
  /** Gateways told to close the user's connections. */
  readonly gateways: number;
}

/** Upper bound of `before`: a revocation far in the future would lock the user out for good by mistake. */
const MAX_AHEAD_SEC = 86_400;

export async function revokeUser(context: RevokeContext, user: UserId, body: JsonObject): Promise<Revoked> {
  const nowSec = Math.floor(context.clock.now() / 1000);
  const given = body.before;
  if (given !== undefined && (typeof given !== 'number' || !Number.isSafeInteger(given) || given < 0 || given > nowSec + MAX_AHEAD_SEC)) {
    throw invalid('before', `must be a Unix time in whole seconds, at most a day ahead (now ${nowSec})`);
  }
  const before = (given as number | undefined) ?? nowSec;
  // The revocation first: a connection opening from now on reads it before its welcome.
  await context.revocations.revoke(user, before);
  const entries = (await context.presence.lookup([user])).get(user) ?? [];
  const gateways = new Set<GatewayId>(entries.map((entry) => entry.gatewayId));
  const batches = new Map<GatewayId, DownlinkBatch>();
  for (const gateway of gateways) batches.set(gateway, revokedBatch(user));
  if (batches.size > 0) await context.downlink.publish(batches);
  return { user, revokedBefore: await context.revocations.revokedBefore(user), gateways: gateways.size };
}
