// Entry point of a delivery process on Kafka and Redis.
import { createLogger, createRegistry, redactConfig, startAdminServer } from '@parley/observability';
import { SystemClock } from '@parley/ports';
import { createInfrastructure, runMain } from '@parley/runtime';
import { loadDeliveryConfig } from './delivery-config';
import { Delivery } from './delivery';

const logger = createLogger('delivery');

void runMain('delivery', logger, async () => {
  const config = loadDeliveryConfig(process.env);
  logger.info({ config: redactConfig(config) }, 'delivery starting');
  const clock = new SystemClock();
  const registry = createRegistry();
  const infrastructure = await createInfrastructure(config, { clock, logger, registry, clientId: 'parley-delivery', requireReal: true });
  const delivery = new Delivery({
    topicPrefix: config.PARLEY_TOPIC_PREFIX,
    infrastructure,
    registry,
    logger,
    clock,
    redelivery: {
      ackTimeoutMs: config.PARLEY_ACK_TIMEOUT_MS,
      maxRedeliveries: config.PARLEY_MAX_REDELIVERIES,
      maxBackoffMs: config.PARLEY_MAX_REDELIVERY_BACKOFF_MS,
    },
    maxOfflinePage: config.PARLEY_MAX_OFFLINE_PAGE,
    stallMs: config.PARLEY_CONSUMER_STALL_MS,
  });
  await delivery.start();
  const admin = await startAdminServer(config.PARLEY_DELIVERY_ADMIN_PORT, registry, () => delivery.ready, () => delivery.healthy);
  logger.info({ adminPort: admin.port }, 'delivery ready');
  return {
    stop: async () => {
      await delivery.stop();
      await admin.close();
      await infrastructure.close();
    },
  };
});
