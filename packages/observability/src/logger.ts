// Structured logs (pino), one line per event that matters.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(service: string, level = process.env.PARLEY_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}
