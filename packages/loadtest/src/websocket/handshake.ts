// The client's side of the RFC 6455 opening handshake: the HTTP/1.1 upgrade request and the
// check of the server's answer (101, Upgrade, Connection, Sec-WebSocket-Accept for our key, no
// extension or subprotocol we did not offer).
import { createHash, randomBytes } from 'node:crypto';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An answer's head longer than this is refused. */
export const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;

/** A fresh Sec-WebSocket-Key: 16 random bytes, base64. */
export function newWebSocketKey(): string {
  return randomBytes(16).toString('base64');
}

/** The Sec-WebSocket-Accept a server must answer `key` with. */
export function acceptFor(key: string): string {
  return createHash('sha1').update(key + ACCEPT_GUID).digest('base64');
}

/** The upgrade request for `url` (path and query as given; Host with the port when there is one). */
export function upgradeRequest(url: URL, key: string): string {
  return (
    `GET ${url.pathname}${url.search} HTTP/1.1\r\n` +
    `Host: ${url.host}\r\n` +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${key}\r\n` +
    'Sec-WebSocket-Version: 13\r\n\r\n'
  );
}

/** The server's answer, read: accepted (with the bytes after its head), or refused with why. */
export type HandshakeAnswer =
  | { readonly ok: true; readonly rest: Uint8Array }
  | { readonly ok: false; readonly status: number; readonly reason: string };

/**
 * Reads the answer from the bytes received so far: undefined while its head is incomplete.
 * `status` is the HTTP status (0 when the answer is not HTTP); a 101 whose headers are wrong is
 * refused with status 101 and the reason.
 */
export function readHandshakeAnswer(received: Buffer, key: string): HandshakeAnswer | undefined {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) {
    if (received.length > MAX_RESPONSE_HEAD_BYTES) return { ok: false, status: 0, reason: 'response head too long' };
    return undefined;
  }
  const lines = received.toString('latin1', 0, end).split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3})(?: |$)/.exec(lines[0]!);
  if (!status) return { ok: false, status: 0, reason: 'not an HTTP/1.1 response' };
  const code = Number(status[1]);
  if (code !== 101) return { ok: false, status: code, reason: `status ${code}` };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, status: 101, reason: 'malformed header line' };
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  if ((headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') return { ok: false, status: 101, reason: 'no Upgrade: websocket' };
  if (!(headers.get('connection') ?? '').toLowerCase().split(/\s*,\s*/).includes('upgrade')) return { ok: false, status: 101, reason: 'no Connection: upgrade' };
  if (headers.get('sec-websocket-accept') !== acceptFor(key)) return { ok: false, status: 101, reason: 'wrong Sec-WebSocket-Accept' };
  if (headers.has('sec-websocket-extensions')) return { ok: false, status: 101, reason: 'an extension was not offered' };
  if (headers.has('sec-websocket-protocol')) return { ok: false, status: 101, reason: 'a subprotocol was not offered' };
  return { ok: true, rest: received.subarray(end + 4) };
}
