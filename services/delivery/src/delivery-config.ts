// Delivery's configuration: environment variables, defaults, units and validation.
import { env, loadConfig } from '@parley/config';
import { appEventSettings, consumerSettings, infrastructureSettings, PARLEY_SETTING_NAMES } from '@parley/runtime';

export const deliverySettings = {
  ...infrastructureSettings,
  ...consumerSettings,
  ...appEventSettings,
  /** Wait for ack:R before the first re-push of a msg:N. */
  PARLEY_ACK_TIMEOUT_MS: env.int(100, 600_000, 5_000),
  /** Re-pushes before a message is left in the inbox for the next pull. */
  PARLEY_MAX_REDELIVERIES: env.int(0, 100, 3),
  PARLEY_MAX_REDELIVERY_BACKOFF_MS: env.int(100, 3_600_000, 30_000),
  PARLEY_MAX_OFFLINE_PAGE: env.int(1, 10_000, 200),
};

export const deliveryAdminSettings = {
  ...deliverySettings,
  PARLEY_DELIVERY_ADMIN_PORT: env.int(0, 65535, 9092),
};

export type DeliveryConfig = ReturnType<typeof loadConfig<typeof deliveryAdminSettings>>;

/** Delivery's settings from `source`; the other services' settings are ignored (settings-catalog.ts). */
export function loadDeliveryConfig(source: NodeJS.ProcessEnv): DeliveryConfig {
  return loadConfig(deliveryAdminSettings, source, PARLEY_SETTING_NAMES);
}
