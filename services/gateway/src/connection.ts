// What the gateway keeps per client connection, whatever its transport: one object with
// fixed fields. A WebSocket link is this object itself (websocket-link.ts): besides uWS's
// socket, an idle WebSocket costs this object, its id strings (user and connection, plus the
// device when the client named one) and one registry entry. Fields that most connections
// never set start as undefined or a small integer: in V8 a field holding a fractional or
// large number (a time in ms) points to a 16-byte heap number of its own, per connection;
// the two flags and the strike count share one small integer (8 bytes a field, per connection).
import type { ConnectionId, DeviceId, UserId } from '@parley/protocol';
import { FloodState, FULL_BUCKET, RefusalTimes } from './rate-limiter';
import type { TypingState } from './typing-relay';

/** Bits of ConnectionState.bits: the two flags, then the strike count from STRIKES_SHIFT up. */
const WELCOMED = 1;
const CLOSED = 2;
const STRIKES_SHIFT = 2;

export class ConnectionState implements FloodState, TypingState {
  /** `welcomed`, `closed` and `strikes`, read and written through the accessors below. */
  private bits = 0;
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

  /** Consecutive refused frames; too many closes the connection (PROTOCOL_VIOLATION). */
  get strikes(): number {
    return this.bits >>> STRIKES_SHIFT;
  }

  set strikes(count: number) {
    this.bits = (this.bits & (WELCOMED | CLOSED)) | (count << STRIKES_SHIFT);
  }

  /** Set once `welcome` is sent: downlink frames are written only from then on. */
  get welcomed(): boolean {
    return (this.bits & WELCOMED) !== 0;
  }

  set welcomed(value: boolean) {
    this.bits = value ? this.bits | WELCOMED : this.bits & ~WELCOMED;
  }

  /** Set by the transport's close report (connection-handler.ts): nothing is written from then on. */
  get closed(): boolean {
    return (this.bits & CLOSED) !== 0;
  }

  set closed(value: boolean) {
    this.bits = value ? this.bits | CLOSED : this.bits & ~CLOSED;
  }

  constructor(
    readonly user: UserId,
    readonly connectionId: ConnectionId,
    device?: DeviceId,
  ) {
    this.device = device ?? (connectionId as string as DeviceId);
  }
}
