// The port between the connection logic and a transport: one client connection, over a
// WebSocket (websocket-link.ts) or an HTTP long-polling session (long-poll-session.ts).
import type { ConnectionState } from './connection';

export type Transport = 'websocket' | 'long_poll';

/**
 * One client connection. The connection handler decides what to write and when to close;
 * the link only moves bytes. Contract:
 * - `send` writes the frames in order, after everything sent before, and never throws; it
 *   does nothing once the link is closed. Nothing is sent before `welcome` except answers
 *   to frames the client sent first (possible over a WebSocket only).
 * - `close` ends the link with a close code (see CloseCode); the transport then reports the
 *   close to the handler exactly once, synchronously or later. Closing twice does nothing.
 * - `bufferedBytes` is what was written but not yet taken by the client (a WebSocket's
 *   send buffer, a session's unacknowledged frames): the measure of a slow consumer.
 */
export interface ClientLink {
  readonly transport: Transport;
  readonly state: ConnectionState;
  send(frames: readonly Uint8Array[]): void;
  close(code: number, reason: string): void;
  bufferedBytes(): number;
}
