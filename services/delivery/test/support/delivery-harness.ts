// Delivery on the memory adapters with a fake clock, for delivery's unit tests: the deliver
// topic ready for its application events, the frames each listened gateway receives handed to
// the test one by one, and the helpers every test uses (presence, a batch of records, settling).
import { createLogger, createRegistry, type Registry } from '@parley/observability';
import { FakeClock } from '@parley/ports';
import { asConnectionId, asUserId, decodeFrame, DownlinkBatch, type GatewayId, parley } from '@parley/protocol';
import { createMemoryInfrastructure, Infrastructure } from '@parley/composition';
import { Delivery, type DeliveryOptions } from '../../src';
import { gw } from './direct-records';

/** One item of a downlink batch as a gateway got it: the first user, all users, the frame. */
export interface PushedFrame {
  readonly gateway: GatewayId;
  readonly user: string;
  readonly users: string[];
  readonly packet: string;
  readonly frame: parley.v1.Frame;
}

export type HarnessOptions = Partial<Omit<DeliveryOptions, 'infrastructure' | 'clock' | 'registry' | 'logger'>> & {
  /** Each frame a listened gateway receives, in order. */
  readonly onPushed: (pushed: PushedFrame) => void;
  /** The message store's retention (the memory adapters' default when unset). */
  readonly retention?: Parameters<typeof createMemoryInfrastructure>[1];
};

export interface DeliveryHarness {
  readonly clock: FakeClock;
  readonly infra: Infrastructure;
  readonly registry: Registry;
  readonly delivery: Delivery;
  /** Another Delivery on the same adapters and clock (other options). */
  another(options: Partial<DeliveryOptions>): Delivery;
  /** Hands what `gateway` receives to onPushed (gw1 is listened from the start). */
  listen(gateway: GatewayId): Promise<void>;
  online(user: string, connection: string, gateway?: GatewayId): Promise<void>;
  offline(user: string, connection: string, gateway?: GatewayId): Promise<void>;
}

/** The records as one batch of partition 0 of the deliver topic `t.deliver`. */
export const batch = (...records: Array<{ key: string; value: Uint8Array }>) => ({ topic: 't.deliver', partition: 0, records });

/** Lets the downlink deliver what a batch or a timer published. */
export const settle = (): Promise<unknown> => new Promise((resolve) => setImmediate(resolve));

export async function deliveryHarness(options: HarnessOptions): Promise<DeliveryHarness> {
  const { onPushed, retention, ...overrides } = options;
  const clock = new FakeClock();
  const infra = createMemoryInfrastructure(clock, retention);
  // Delivery publishes message.delivered application events on the deliver topic.
  await infra.bus.ensureTopics([{ name: 't.deliver', partitions: 1 }]);
  const registry = createRegistry();
  const optionsWith = (more: Partial<DeliveryOptions>, registryOf: Registry): DeliveryOptions => ({
    topicPrefix: 't',
    infrastructure: infra,
    registry: registryOf,
    logger: createLogger('test', 'silent'),
    clock,
    redelivery: { ackTimeoutMs: 1000, maxRedeliveries: 2, maxBackoffMs: 4000 },
    maxOfflinePage: 100,
    ...more,
  });
  const listen = async (gateway: GatewayId) => {
    await infra.downlink.subscribe(gateway, (b: DownlinkBatch) => {
      for (const item of b.items) {
        const frame = decodeFrame(item.frame as Uint8Array);
        const user = item.userId ?? '';
        onPushed({ gateway, user, users: [user, ...(item.moreUserIds ?? [])], packet: frame.packet ?? '', frame });
      }
    });
  };
  const entry = (user: string, connection: string, gateway: GatewayId) => ({ user: asUserId(user), gatewayId: gateway, connectionId: asConnectionId(connection) });
  await listen(gw);
  return {
    clock,
    infra,
    registry,
    delivery: new Delivery(optionsWith(overrides, registry)),
    another: (more) => new Delivery(optionsWith({ ...overrides, ...more }, createRegistry())),
    listen,
    online: (user, connection, gateway = gw) => infra.presence.register([entry(user, connection, gateway)], 60_000),
    offline: (user, connection, gateway = gw) => infra.presence.unregister([entry(user, connection, gateway)]),
  };
}
