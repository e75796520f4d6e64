// Entry point of a delivery process on Kafka and Redis.
import { createLogger, createRegistry } from '@parley/observability';
import { redactConfig } from '@parley/config';
import { SystemClock } from '@parley/ports';
import { createInfrastructure } from '@parley/composition';
import { runMain, startStageProcess } from '@parley/runtime';
import { loadDeliveryConfig } from './delivery-config';
import { Delivery } from './delivery';
import { deliveryOptionsFrom } from './delivery-options';

const logger = createLogger('delivery');

void runMain('delivery', logger, async () => {
  const config = loadDeliveryConfig(process.env);
  logger.info({ config: redactConfig(config) }, 'delivery starting');
  const clock = new SystemClock();
  const registry = createRegistry();
  const infrastructure = await createInfrastructure(config, { clock, logger, registry, clientId: 'parley-delivery', requireReal: true });
  const delivery = new Delivery(deliveryOptionsFrom(config, { infrastructure, registry, logger, clock }));
  return startStageProcess('delivery', { service: delivery, adminPort: config.PARLEY_DELIVERY_ADMIN_PORT, registry, logger, infrastructure });
});
