// Entry point of `npm start`: the whole of parley in one process.
import { createLogger } from '@parley/observability';
import { runMain } from '@parley/runtime';
import { startParleyServer } from './server';

const logger = createLogger('parley');

void runMain('parley', logger, async () => {
  const server = await startParleyServer(process.env, { logger });
  const mode = server.infrastructure.mode;
  logger.info({ port: server.port, mode }, `parley ready on http://localhost:${server.port} (${mode})`);
  return server;
});
