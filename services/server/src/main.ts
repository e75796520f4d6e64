// Entry point of `npm start`: the whole of parley in one process.
import { createLogger } from '@parley/observability';
import { runMain } from '@parley/runtime';
import { startParleyServer } from './server';
import { isLoopback } from '@parley/gateway';

const logger = createLogger('parley');

void runMain('parley', logger, async () => {
  const server = await startParleyServer(process.env, { logger });
  const mode = server.infrastructure.mode;
  const { host, port } = server;
  const everywhere = host === '0.0.0.0' || host === '::';
  const reach = isLoopback(host)
    ? 'connections from this machine only (PARLEY_GATEWAY_HOST=0.0.0.0 accepts other machines)'
    : everywhere
      ? 'connections from other machines too'
      : `connections to ${host} only`;
  const shown = everywhere ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const scheme = server.gateway?.secure ? 'https' : 'http';
  logger.info({ host, port, mode, tls: scheme === 'https' }, `parley ready on ${scheme}://${shown}:${port} (${mode}; listening on ${host}: ${reach})`);
  return server;
});
