// What the gateway keeps per client connection, whatever its transport: one object with
// fixed fields. A WebSocket link is this object itself (websocket-link.ts): besides uWS's
// socket, an idle WebSocket costs this object, its id strings (user and connection, plus the
// device when the client named one) and one registry entry. Fields that most connections
// never set start as undefined or a small integer: in V8 a field holding a fractional or
// large number (a time in ms) points to a 16-byte heap number of its own, per connection.
import type { ConnectionId, DeviceId, UserId } from '@parley/protocol';
import { FloodState, FULL_BUCKET, RefusalTimes } from './rate-limiter';
import type { TypingState } from './typing-relay';

export class ConnectionState implements FloodState, TypingState {
  /** Consecutive refused frames; too many closes the connection (PROTOCOL_VIOLATION). */
  strikes = 0;
  /** Set once `welcome` is sent: downlink frames are written only from then on. */
  welcomed = false;
  closed = false;
  /** The frame rate limit's bucket (rate-limiter.ts): full for a connection just admitted. */
  framesFullAt = FULL_BUCKET;
  /** The flood rule's times, only while the connection has frames refused (rate-limiter.ts). */
  refusals: RefusalTimes | undefined = undefined;
  /** When a typing:R of this connection was last relayed (typing-relay.ts). */
  lastTypingAt: number | undefined = undefined;
  /** Its token's iat, in Unix seconds (0 = none): checked against the user's revocation before welcome. */
  issuedAtSec = 0;

  /**
   * The device this connection speaks for (Origin.device_id, Welcome.device_id): the client's
   * `device` parameter, or else the connection id itself (the same string: no extra memory).
   */
  readonly device: DeviceId;

  constructor(
    readonly user: UserId,
    readonly connectionId: ConnectionId,
    device?: DeviceId,
  ) {
    this.device = device ?? (connectionId as string as DeviceId);
  }
}
