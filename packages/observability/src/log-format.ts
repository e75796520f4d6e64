// How log lines look. JSON (one pino object per line) is what log collectors read and what
// every deployment gets; a person running parley in a terminal (`npm start`) gets one short
// readable line per event instead: time, level, service, message, then the other fields.
// PARLEY_LOG_FORMAT=json|pretty chooses; unset, pretty exactly when stdout is a terminal.

export type LogFormat = 'json' | 'pretty';

export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** The format for this process: PARLEY_LOG_FORMAT when set (refused if unknown), else pretty on a terminal. */
export function logFormatFor(setting: string | undefined, stdoutIsTerminal: boolean): LogFormat {
  if (setting === undefined || setting === '') return stdoutIsTerminal ? 'pretty' : 'json';
  if ((LOG_FORMATS as readonly string[]).includes(setting)) return setting as LogFormat;
  throw new Error(`PARLEY_LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got ${JSON.stringify(setting)}`);
}

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, shown in the line's head rather than as key=value. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'service', 'name', 'pid', 'hostname']);

function clock(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  return date.toISOString().slice(11, 23);
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * One pino JSON line as a readable line (no trailing newline). An error's stack follows on
 * indented lines. A line that is not a JSON object is returned as it is.
 */
export function prettyLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return json.trimEnd();
    entry = parsed as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = LEVELS[entry.level as number] ?? String(entry.level ?? '').padEnd(5);
  const service = typeof entry.service === 'string' ? entry.service : typeof entry.name === 'string' ? entry.name : '';
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  let stack: string | undefined;
  const fields: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (HEAD_FIELDS.has(key) || value === undefined) continue;
    if ((key === 'err' || key === 'error') && typeof value === 'object' && value !== null) {
      const err = value as { message?: unknown; stack?: unknown; type?: unknown };
      if (typeof err.stack === 'string') stack = err.stack;
      fields.push(`${key}=${fieldValue(typeof err.message === 'string' ? err.message : err.type)}`);
      continue;
    }
    fields.push(`${key}=${fieldValue(value)}`);
  }
  const head = `${clock(entry.time)} ${level} ${service ? `[${service}] ` : ''}${message}`;
  const line = fields.length > 0 ? `${head}  ${fields.join(' ')}` : head;
  return stack ? `${line}\n${stack.split('\n').map((l) => `    ${l}`).join('\n')}` : line;
}

/** A pino destination that writes each line pretty to `out` (synchronously, in order). */
export function prettyDestination(out: { write(chunk: string): unknown } = process.stdout): { write(chunk: string): void } {
  return {
    write(chunk: string): void {
      for (const line of chunk.split('\n')) {
        if (line.length > 0) out.write(`${prettyLogLine(line)}\n`);
      }
    },
  };
}
