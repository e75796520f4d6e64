// What the gateway keeps per client connection, whatever its transport: one object with
// fixed fields. A WebSocket link is this object itself (websocket-link.ts): besides uWS's
// socket, an idle WebSocket costs this object, its id strings (user and connection, plus the
// device when the client named one) and one registry entry.
import type { ConnectionId, DeviceId, UserId } from '@parley/protocol';
import type { FloodState } from './rate-limiter';

export class ConnectionState implements FloodState {
  /** Consecutive refused frames; too many closes the connection (PROTOCOL_VIOLATION). */
  strikes = 0;
  /** Set once `welcome` is sent: downlink frames are written only from then on. */
  welcomed = false;
  closed = false;
  tokens: number;
  refilledAt: number;
  /** The flood rule's times (rate-limiter.ts). */
  overLimitSince = -Infinity;
  lastRefusedAt = -Infinity;
  lastToldAt = -Infinity;
  /** When a typing:R of this connection was last relayed (typing-relay.ts). */
  lastTypingAt = -Infinity;
  /** Its token's iat, in Unix seconds (0 = none): checked against the user's revocation before welcome. */
  issuedAtSec = 0;

  /**
   * The device this connection speaks for (Origin.device_id, Welcome.device_id): the client's
   * `device` parameter, or else the connection id itself (the same string: no extra memory).
   */
  readonly device: DeviceId;

  /** A connection just admitted starts with a full rate bucket (2 s worth of frames). */
  constructor(
    readonly user: UserId,
    readonly connectionId: ConnectionId,
    nowMs: number,
    rateLimitFramesPerSec: number,
    device?: DeviceId,
  ) {
    this.device = device ?? (connectionId as string as DeviceId);
    this.tokens = 2 * rateLimitFramesPerSec;
    this.refilledAt = nowMs;
  }
}
