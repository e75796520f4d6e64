// Structured logs (pino), one line per event that matters: JSON for collectors, or readable
// lines on a terminal (log-format.ts).
import pino from 'pino';
import { logFormatFor, prettyDestination } from './log-format';

export type Logger = pino.Logger;

export function createLogger(
  service: string,
  level = process.env.PARLEY_LOG_LEVEL ?? 'info',
  format = logFormatFor(process.env.PARLEY_LOG_FORMAT, process.stdout.isTTY === true),
): Logger {
  const options = { name: service, level, base: { service } };
  return format === 'pretty' ? pino(options, prettyDestination()) : pino(options);
}
