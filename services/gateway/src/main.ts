// Entry point of a gateway process on Kafka and Redis.
import { createLogger, createRegistry } from '@parley/observability';
import { redactConfig, ConfigError } from '@parley/config';
import { SystemClock } from '@parley/ports';
import { createInfrastructure } from '@parley/composition';
import { DEFAULT_STOP_DEADLINE_MS, runMain } from '@parley/runtime';
import { loadGatewayConfig } from './gateway-config';
import { Gateway } from './gateway';
import { DEFAULT_GATEWAY_HOST, gatewayOptionsFrom } from './gateway-options';
import { devRoutes, devRoutesExposure } from './dev-routes';

const logger = createLogger('gateway');

void runMain('gateway', logger, async () => {
  const config = loadGatewayConfig(process.env);
  if (!config.PARLEY_JWT_SECRET) throw new ConfigError(['PARLEY_JWT_SECRET: required (at least 16 characters)']);
  logger.info({ config: redactConfig(config) }, 'gateway starting');
  const clock = new SystemClock();
  const registry = createRegistry();
  const infrastructure = await createInfrastructure(config, { clock, logger, registry, clientId: `parley-gateway-${config.PARLEY_GATEWAY_ID}`, requireReal: true });
  const host = config.PARLEY_GATEWAY_HOST ?? DEFAULT_GATEWAY_HOST;
  if (config.PARLEY_DEV_TOKENS) {
    logger.warn({ host }, 'DEVELOPMENT ONLY: serving the demo page and /dev/token, which gives a token for any user (PARLEY_DEV_TOKENS=true)');
    const exposure = devRoutesExposure(host);
    if (exposure) logger.warn({ host }, exposure);
  }
  const extraRoutes = config.PARLEY_DEV_TOKENS ? { extraRoutes: devRoutes(config.PARLEY_JWT_SECRET) } : {};
  const gateway = new Gateway(gatewayOptionsFrom(config, { infrastructure, registry, logger, clock, jwtSecret: config.PARLEY_JWT_SECRET, ...extraRoutes }));
  await gateway.start();
  return {
    // SIGTERM: the drain (connection-drain.ts), then the bus producer and the stores close.
    stop: async () => {
      await gateway.drain();
      await infrastructure.close();
    },
    stopDeadlineMs: config.PARLEY_DRAIN_DELAY_MS + config.PARLEY_DRAIN_WINDOW_MS + DEFAULT_STOP_DEADLINE_MS,
  };
});

