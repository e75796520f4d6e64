// What the gateway keeps per WebSocket connection: a small object with fixed fields.
import type { ConnectionId, UserId } from '@parley/protocol';
import type { RateBucket } from './rate-limiter';

export interface ConnectionState extends RateBucket {
  readonly user: UserId;
  readonly connectionId: ConnectionId;
  /** Consecutive refused frames; too many closes the connection (PROTOCOL_VIOLATION). */
  strikes: number;
  /** Consecutive rate-limited frames; too many closes the connection (FLOOD). */
  floodStrikes: number;
  closed: boolean;
}
