// Runs the gateway, the sequencer and delivery in one process: on in-memory adapters
// (the embedded default: no Kafka, no Redis, no Java) or on Kafka and Redis when
// PARLEY_KAFKA_BROKERS and PARLEY_REDIS_URL are set.
import { createLogger, createRegistry, Logger, Registry } from '@parley/observability';
import { ConfigError, redactConfig } from '@parley/config';
import { Clock, SystemClock } from '@parley/ports';
import { createInfrastructure, Infrastructure } from '@parley/composition';
import { DEFAULT_STOP_DEADLINE_MS } from '@parley/runtime';
import { DEFAULT_GATEWAY_HOST, devRoutes, devRoutesExposure, Gateway, gatewayOptionsFrom, isLoopback } from '@parley/gateway';
import { Sequencer, sequencerOptionsFrom } from '@parley/sequencer';
import { Delivery, deliveryOptionsFrom } from '@parley/delivery';
import { ServerApi } from '@parley/api';
import { EMBEDDED_DEV_SECRET, EMBEDDED_HOST, loadServerConfig, ServerConfig } from './server-config';

export interface ParleyServer {
  readonly config: ServerConfig;
  readonly infrastructure: Infrastructure;
  readonly registry: Registry;
  readonly gateway: Gateway | undefined;
  readonly sequencer: Sequencer | undefined;
  readonly delivery: Delivery | undefined;
  /** The server API (role `api`); its port is `api.port`. */
  readonly api: ServerApi | undefined;
  /** The gateway's port (0 when this process runs no gateway). */
  readonly port: number;
  /** The address the gateway listens on. */
  readonly host: string;
  /** The graceful stop: the gateway's drain first, then the sequencer's and delivery's consumers. */
  stop(): Promise<void>;
  /** Longest stop() may take (the drain delay and window, and a margin), in ms. */
  readonly stopDeadlineMs: number;
}

export interface ServerDependencies {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Share adapters with other in-process servers (tests of several gateways on one memory store). */
  readonly infrastructure?: Infrastructure;
}

const ROLES = new Set(['gateway', 'sequencer', 'delivery', 'api']);

export async function startParleyServer(env: NodeJS.ProcessEnv, deps: ServerDependencies = {}): Promise<ParleyServer> {
  const config = loadServerConfig(env);
  const unknownRoles = config.PARLEY_ROLES.filter((role) => !ROLES.has(role));
  if (unknownRoles.length > 0 || config.PARLEY_ROLES.length === 0) {
    throw new ConfigError([`PARLEY_ROLES: expected a list of gateway, sequencer, delivery, api; got ${config.PARLEY_ROLES.join(',') || 'nothing'}`]);
  }
  const logger = deps.logger ?? createLogger('parley', config.PARLEY_LOG_LEVEL);
  const clock = deps.clock ?? new SystemClock();
  const registry = createRegistry();
  const infrastructure = deps.infrastructure ?? (await createInfrastructure(config, { clock, logger, registry, clientId: `parley-${config.PARLEY_GATEWAY_ID}` }));
  const embedded = infrastructure.mode === 'embedded';
  const secret = config.PARLEY_JWT_SECRET ?? (embedded ? EMBEDDED_DEV_SECRET : undefined);
  if (!secret) throw new ConfigError(['PARLEY_JWT_SECRET: required when running on Kafka and Redis (at least 16 characters)']);
  logger.info({ mode: infrastructure.mode, roles: config.PARLEY_ROLES, config: redactConfig(config) }, 'parley starting');

  // The embedded mode hands a token for any user to whoever asks (/dev/token): it listens
  // on this machine only unless told otherwise.
  const host = config.PARLEY_GATEWAY_HOST ?? (embedded ? EMBEDDED_HOST : DEFAULT_GATEWAY_HOST);
  if (!config.PARLEY_JWT_SECRET) {
    // Expected on a laptop (this machine only); a warning where other machines reach the gateway.
    const note = 'PARLEY_JWT_SECRET not set: using the embedded development secret';
    if (isLoopback(host)) logger.info(note);
    else logger.warn({ host }, note);
  }
  const exposure = embedded && config.PARLEY_DEV_TOKENS ? devRoutesExposure(host) : undefined;
  if (exposure) logger.warn({ host }, exposure);
  const roles = new Set(config.PARLEY_ROLES);
  const sequencer = roles.has('sequencer') ? new Sequencer(sequencerOptionsFrom(config, { infrastructure, registry, logger, clock })) : undefined;
  const delivery = roles.has('delivery')
    ? new Delivery(deliveryOptionsFrom(config, { infrastructure, registry, logger, clock }))
    : undefined;
  await sequencer?.start();
  await delivery?.start();
  const gateway = roles.has('gateway')
    ? new Gateway(
        gatewayOptionsFrom(config, {
          infrastructure,
          registry,
          logger,
          clock,
          jwtSecret: secret,
          host,
          isReady: () => (sequencer?.ready ?? true) && (delivery?.ready ?? true),
          isHealthy: () => (sequencer?.healthy ?? true) && (delivery?.healthy ?? true),
          ...(embedded && config.PARLEY_DEV_TOKENS ? { extraRoutes: devRoutes(secret) } : {}),
        }),
      )
    : undefined;
  const api = roles.has('api') ? new ServerApi(config, { infrastructure, registry, logger, clock }) : undefined;
  try {
    await api?.start();
    await gateway?.start();
  } catch (error) {
    // Nothing of a server that could not start stays running (consumers, timers, connections).
    await api?.stop();
    await delivery?.stop();
    await sequencer?.stop();
    if (!deps.infrastructure) await infrastructure.close();
    throw error;
  }
  return {
    config,
    infrastructure,
    registry,
    gateway,
    sequencer,
    delivery,
    api,
    port: gateway?.port ?? 0,
    host,
    // Upstream first: the gateway drains (its clients move to other gateways, the frames it
    // received reach the bus), then the sequencer and delivery each finish the batch in
    // hand, commit it and leave their group, then the adapters close.
    stop: async () => {
      await api?.stop();
      await gateway?.drain();
      await sequencer?.stop();
      await delivery?.stop();
      if (!deps.infrastructure) await infrastructure.close();
    },
    stopDeadlineMs: (gateway ? config.PARLEY_DRAIN_DELAY_MS + config.PARLEY_DRAIN_WINDOW_MS : 0) + DEFAULT_STOP_DEADLINE_MS,
  };
}
