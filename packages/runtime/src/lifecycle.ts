// Process lifecycle for every service entry point: config errors and fatal bus
// errors end the process with a clear line (a supervisor restarts it); SIGTERM and
// SIGINT shut down gracefully (the gateway drains, consumers finish their batch, commit
// and leave their group), a second signal ends the process at once.
import { ConfigError } from '@parley/config';
import type { Logger } from '@parley/observability';
import { SystemClock, type Clock } from '@parley/ports';

export interface Stoppable {
  /** The graceful stop, on the first SIGTERM or SIGINT. */
  stop(): Promise<void>;
  /** Longest the graceful stop may take before the process exits anyway, in ms. Default DEFAULT_STOP_DEADLINE_MS. */
  readonly stopDeadlineMs?: number;
}

/** How long a graceful stop may take unless the service says otherwise, in ms. */
export const DEFAULT_STOP_DEADLINE_MS = 10_000;
/**
 * The signal that started the stop, again within this many ms, is the same request, not a
 * second one: a terminal's ^C reaches every process of the foreground group, npm included,
 * and npm passes its copy on to the server.
 */
export const SAME_SIGNAL_WINDOW_MS = 1_000;
/** Exit code after a second SIGTERM or SIGINT cut the graceful stop short. */
export const EXIT_INTERRUPTED = 130;

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

/** The signals that ask a service to stop. */
export type StopSignal = 'SIGTERM' | 'SIGINT';

/** What runMain needs from its process: signals, exit, stderr and time (tests hand a fake one). */
export interface ProcessHost {
  onSignal(signal: StopSignal, listener: () => void): void;
  /** Ends the process (the real one never returns). */
  exit(code: number): void;
  writeStderr(text: string): void;
  /** Times the same-signal window and the stop deadline; its timers must not keep the process alive. */
  readonly clock: Clock;
}

/** This Node process (SystemClock's timers are unref'd). */
export const nodeProcessHost = (): ProcessHost => ({
  onSignal: (signal, listener) => void process.on(signal, listener),
  exit: (code) => process.exit(code),
  writeStderr: (text) => void process.stderr.write(text),
  clock: new SystemClock(),
});

export async function runMain(name: string, logger: Logger, start: () => Promise<Stoppable>, host: ProcessHost = nodeProcessHost()): Promise<void> {
  let running: Stoppable;
  try {
    running = await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      host.writeStderr(`${name}: ${error.message}\n`);
      host.exit(EXIT_CONFIG);
      return;
    }
    logger.fatal({ err: error }, `${name} failed to start`);
    // Also in plain words: the reason is often something a person must do (install Node 20).
    host.writeStderr(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    host.exit(EXIT_FATAL);
    return;
  }
  const { clock } = host;
  let stopping = false;
  let first: { signal: StopSignal; at: number } | undefined;
  const shutdown = (signal: StopSignal) => {
    if (stopping) {
      if (first && first.signal === signal && clock.now() - first.at < SAME_SIGNAL_WINDOW_MS) return;
      logger.warn({ signal }, `${name}: second ${signal} during the graceful stop; exiting now`);
      host.exit(EXIT_INTERRUPTED);
      return;
    }
    stopping = true;
    first = { signal, at: clock.now() };
    const deadlineMs = running.stopDeadlineMs ?? DEFAULT_STOP_DEADLINE_MS;
    logger.info({ signal, deadlineMs }, `${name} stopping`);
    clock.setTimeout(() => {
      logger.error({ deadlineMs }, `${name} did not stop within ${deadlineMs} ms; exiting anyway`);
      host.exit(0);
    }, deadlineMs);
    running.stop().then(
      () => {
        logger.info(`${name} stopped`);
        host.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, `${name} stop failed`);
        host.exit(1);
      },
    );
  };
  host.onSignal('SIGTERM', () => shutdown('SIGTERM'));
  host.onSignal('SIGINT', () => shutdown('SIGINT'));
}
