// A pipeline stage's process (and the server API's) once its composition root built it
// (services/*/src/main.ts): the stage starts, its admin server answers /metrics, /readyz and
// /healthz from it, and the graceful stop goes stage (batch in hand finished and committed),
// admin server, adapters.
import { startAdminServer, type Logger, type Registry } from '@parley/observability';
import type { Stoppable } from './lifecycle';

/** A started-and-stopped service with readiness and health. */
export interface StageService {
  /** Resolves once started (whatever it resolves with, such as a bound port, is not used here). */
  start(): Promise<unknown>;
  stop(): Promise<void>;
  readonly ready: boolean;
  readonly healthy: boolean;
}

export interface StageProcessParts {
  readonly service: StageService;
  readonly adminPort: number;
  readonly registry: Registry;
  readonly logger: Logger;
  /** The adapters the composition root built: closed last. */
  readonly infrastructure: { close(): Promise<void> };
}

/** Starts the stage and its admin server; resolves with the graceful stop for runMain. */
export async function startStageProcess(name: string, parts: StageProcessParts): Promise<Stoppable> {
  const { service, adminPort, registry, logger, infrastructure } = parts;
  await service.start();
  const admin = await startAdminServer(adminPort, registry, () => service.ready, () => service.healthy);
  logger.info({ adminPort: admin.port }, `${name} ready`);
  return {
    stop: async () => {
      await service.stop();
      await admin.close();
      await infrastructure.close();
    },
  };
}
