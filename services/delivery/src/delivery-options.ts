// How delivery's configuration maps onto its options: one mapping for delivery's own process
// (main.ts) and the all-in-one server.
import { stageOptionsFrom } from '@parley/runtime';
import type { DeliveryConfig } from './delivery-config';
import type { DeliveryOptions } from './delivery';

/** The settings delivery's options are made of (in delivery's schema and the all-in-one server's). */
export type DeliveryOptionSettings = Pick<
  DeliveryConfig,
  'PARLEY_TOPIC_PREFIX' | 'PARLEY_ACK_TIMEOUT_MS' | 'PARLEY_MAX_REDELIVERIES' | 'PARLEY_MAX_REDELIVERY_BACKOFF_MS' | 'PARLEY_MAX_OFFLINE_PAGE' | 'PARLEY_CONSUMER_STALL_MS' | 'PARLEY_APP_EVENTS'
>;

export function deliveryOptionsFrom(
  config: DeliveryOptionSettings,
  deps: Pick<DeliveryOptions, 'infrastructure' | 'registry' | 'logger' | 'clock'> & Partial<DeliveryOptions>,
): DeliveryOptions {
  return {
    ...stageOptionsFrom(config),
    redelivery: {
      ackTimeoutMs: config.PARLEY_ACK_TIMEOUT_MS,
      maxRedeliveries: config.PARLEY_MAX_REDELIVERIES,
      maxBackoffMs: config.PARLEY_MAX_REDELIVERY_BACKOFF_MS,
    },
    maxOfflinePage: config.PARLEY_MAX_OFFLINE_PAGE,
    ...deps,
  };
}
