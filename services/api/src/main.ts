// Entry point of a server API process on Kafka and Redis: started, served and stopped like a
// pipeline stage (startStageProcess: the API, its admin server, then the adapters).
import { createLogger, createRegistry } from '@parley/observability';
import { redactConfig } from '@parley/config';
import { SystemClock } from '@parley/ports';
import { createInfrastructure } from '@parley/composition';
import { runMain, startStageProcess } from '@parley/runtime';
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
  const stage = await startStageProcess('server API', { service: api, adminPort: config.PARLEY_API_ADMIN_PORT, registry, logger, infrastructure });
  logger.info({ port: api.port, apiId: api.apiId }, 'server API listening');
  return stage;
});
