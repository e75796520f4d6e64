// The ports a gateway uses, and nothing else of the process's adapters: the composition root
// (main.ts, the all-in-one server, a test) hands them in.
import type { Bus, Downlink, Membership, Presence, TokenRevocations } from '@parley/ports';
import type { StoreWatch } from '@parley/runtime';

export interface GatewayPorts {
  /** Client packets go to the send and deliver topics through the uplink. */
  readonly bus: Bus;
  /** Where this gateway's users are connected (registered, refreshed, cleared). */
  readonly presence: Presence;
  /** Frames for this gateway's connections (one subscription per gateway). */
  readonly downlink: Downlink;
  /** A user's revoked tokens are refused at connect. */
  readonly revocations: TokenRevocations;
  /** Members of a group, for relaying typing:R. */
  readonly membership: Pick<Membership, 'members'>;
  /** A loss of the store's data: the gateway registers its connections' presence again. */
  readonly storeWatch: StoreWatch;
}
