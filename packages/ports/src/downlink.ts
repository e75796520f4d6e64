// The Downlink port: service -> gateway pushes, one batch per gateway.
import type { DownlinkBatch, GatewayId } from '@parley/protocol';

export type DownlinkHandler = (batch: DownlinkBatch) => void;

export interface DownlinkSubscription {
  close(): Promise<void>;
}

/**
 * At-most-once: a batch published while its gateway is down or unsubscribed is lost.
 * Reliability comes from end-to-end retransmits (delivery re-sends msg:N until ack:R,
 * the client re-sends msg:R until msg:A and ack:N), never from this channel.
 */
export interface Downlink {
  /**
   * Publishes one batch per gateway. Resolves with the gateways whose batch reached no
   * subscriber (lost for sure: the gateway is down, or its subscription is re-opening
   * after the store restarted), so a publisher may repeat what must not wait for a
   * client's retransmit. A batch that reached a subscriber may still be lost (at-most-once).
   */
  publish(batches: ReadonlyMap<GatewayId, DownlinkBatch>): Promise<GatewayId[]>;
  subscribe(gatewayId: GatewayId, handler: DownlinkHandler): Promise<DownlinkSubscription>;
}
