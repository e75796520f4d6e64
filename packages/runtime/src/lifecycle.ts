// Process lifecycle for every service entry point: config errors and fatal bus
// errors end the process with a clear line (a supervisor restarts it); SIGTERM and
// SIGINT shut down gracefully.
import { ConfigError, Logger } from '@parley/observability';

export interface Stoppable {
  stop(): Promise<void>;
}

/** Exit code for a fatal runtime error: a supervisor restarts the process. */
export const EXIT_FATAL = 70;
/** Exit code for invalid configuration: restarting will not help. */
export const EXIT_CONFIG = 78;

export function exitOnFatal(logger: Logger, what: string) {
  return (error: Error): void => {
    logger.fatal({ err: error }, `${what} cannot go on (${error.message}); exiting so a supervisor restarts the process`);
    process.exit(EXIT_FATAL);
  };
}

export async function runMain(name: string, logger: Logger, start: () => Promise<Stoppable>): Promise<void> {
  let running: Stoppable;
  try {
    running = await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    logger.fatal({ err: error }, `${name} failed to start`);
    process.exit(EXIT_FATAL);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name} stopping`);
    const force = setTimeout(() => process.exit(0), 10_000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, `${name} stop failed`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
