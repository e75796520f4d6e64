// Commands a redis-server has run so far, by command (INFO commandstats), asked over a plain
// socket: the bench counts the Redis round trips a message costs without a Redis client.
// Commands run inside Lua scripts are counted too (as their own names), so a script's inner
// HSETs show beside its EVALSHA.
import { connect } from 'node:net';

/** Calls per command name (lower case, e.g. `evalsha`, `hgetall`), from an INFO commandstats text. */
export function parseCommandStats(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const line of info.split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (match) calls[match[1]!] = Number(match[2]);
  }
  return calls;
}

/** INFO commandstats of the server at `redis://host:port` (no auth, no TLS: the bench's own server). */
export function commandCalls(url: string, timeoutMs = 5_000): Promise<Record<string, number>> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let text = '';
    let expected = -1;
    const done = (error?: Error): void => {
      socket.destroy();
      if (error) reject(error);
      else resolve(parseCommandStats(text));
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`redis ${url}: no INFO answer in ${timeoutMs} ms`)));
    socket.on('error', done);
    socket.on('connect', () => socket.write('INFO commandstats\r\n'));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (expected < 0) {
        // A bulk string: `$<length>\r\n<text>\r\n`.
        const header = /^\$(\d+)\r\n/.exec(text);
        if (!header) {
          if (text.startsWith('-')) done(new Error(`redis ${url}: ${text.trim()}`));
          return;
        }
        expected = Number(header[1]);
        text = text.slice(header[0].length);
      }
      if (Buffer.byteLength(text, 'utf8') >= expected) done();
    });
  });
}

/** (calls in the window − idle calls per second × window) ÷ messages, per command; the commands a window added, largest first. */
export function commandsPerMessage(
  windowCalls: Readonly<Record<string, number>>,
  idleCalls: Readonly<Record<string, number>>,
  idleSec: number,
  windowSec: number,
  messages: number,
): Array<{ readonly command: string; readonly perMessage: number }> {
  if (messages <= 0 || idleSec <= 0) return [];
  return Object.entries(windowCalls)
    .map(([command, calls]) => ({ command, perMessage: (calls - ((idleCalls[command] ?? 0) / idleSec) * windowSec) / messages }))
    .filter((c) => c.perMessage >= 0.005)
    .sort((a, b) => b.perMessage - a.perMessage);
}

/** Calls per command between two snapshots. */
export function callsBetween(from: Readonly<Record<string, number>>, to: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [command, calls] of Object.entries(to)) out[command] = calls - (from[command] ?? 0);
  return out;
}
