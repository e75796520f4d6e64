// Entry point of a server API process on Kafka and Redis.
import { createLogger, createRegistry, startAdminServer } from '@parley/observability';
import { redactConfig } from '@parley/config';
import { SystemClock } from '@parley/ports';
import { createInfrastructure } from '@parley/composition';
import { runMain } from '@parley/runtime';
import { loadApiConfig } from './api-config';
import { ServerApi } from './server-api';

const logger = createLogger('api');

void runMain('api', logger, async () => {
  const config = loadApiConfig(process.env);
  logger.info({ config: redactConfig(config) }, 'server API starting');
  const clock = new SystemClock();
  const registry = createRegistry();
  const infrastructure = await createInfrastructure(config, { clock, logger, registry, clientId: 'parley-api', requireReal: true });
  const api = new ServerApi(config, { infrastructure, registry, logger, clock });
  const port = await api.start();
  const admin = await startAdminServer(config.PARLEY_API_ADMIN_PORT, registry, () => true, () => api.healthy);
  logger.info({ port, adminPort: admin.port, apiId: api.apiId }, 'server API ready');
  return {
    stop: async () => {
      await api.stop();
      await admin.close();
      await infrastructure.close();
    },
  };
});
