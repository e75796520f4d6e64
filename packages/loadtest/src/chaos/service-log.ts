// What a launcher shows of a service's output: its warnings and errors, one short line each
// (level, message, the error's message), not its structured start-up and routine lines; the
// launcher prints one line per service start itself. Lines that are not the services' JSON
// log lines (a crash's stack trace, a runtime warning) are shown as they are.

const LEVEL_NAMES: Readonly<Record<number, string>> = { 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** The line a launcher echoes for one output line of a service; undefined: not shown. */
export function notableServiceLine(line: string): string | undefined {
  if (!line.startsWith('{')) return line.trim() === '' ? undefined : line;
  let entry: { level?: unknown; msg?: unknown; err?: unknown; error?: unknown };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return line;
  }
  if (typeof entry.level !== 'number' || entry.level < 40) return undefined;
  const name = LEVEL_NAMES[entry.level] ?? (entry.level > 60 ? 'FATAL' : 'WARN');
  const cause = typeof entry.err === 'object' && entry.err !== null ? (entry.err as { message?: unknown }).message : (entry.err ?? entry.error);
  return `${name} ${String(entry.msg ?? '')}${cause !== undefined && cause !== '' ? ` (${String(cause)})` : ''}`;
}
