// What the gateway keeps per client connection, whatever its transport: one object with
// fixed fields. A WebSocket link is this object itself (websocket-link.ts): besides uWS's
// socket, an idle WebSocket costs this object, its two id strings and one registry entry.
import type { ConnectionId, UserId } from '@parley/protocol';
import type { RateBucket } from './rate-limiter';

export class ConnectionState implements RateBucket {
  /** Consecutive refused frames; too many closes the connection (PROTOCOL_VIOLATION). */
  strikes = 0;
  /** Consecutive rate-limited frames; too many closes the connection (FLOOD). */
  floodStrikes = 0;
  /** Set once `welcome` is sent: downlink frames are written only from then on. */
  welcomed = false;
  closed = false;
  /** Per conversation, the client_seq of a refused msg:R its later messages wait for (send-order.ts); none almost always. */
  resendFrom: Map<string, number> | undefined = undefined;
  tokens: number;
  refilledAt: number;

  /** A connection just admitted starts with a full rate bucket (2 s worth of frames). */
  constructor(
    readonly user: UserId,
    readonly connectionId: ConnectionId,
    nowMs: number,
    rateLimitFramesPerSec: number,
  ) {
    this.tokens = 2 * rateLimitFramesPerSec;
    this.refilledAt = nowMs;
  }
}
