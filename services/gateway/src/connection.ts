// What the gateway keeps per client connection, whatever its transport: a small object
// with fixed fields.
import type { ConnectionId, UserId } from '@parley/protocol';
import type { RateBucket } from './rate-limiter';

export interface ConnectionState extends RateBucket {
  readonly user: UserId;
  readonly connectionId: ConnectionId;
  /** Consecutive refused frames; too many closes the connection (PROTOCOL_VIOLATION). */
  strikes: number;
  /** Consecutive rate-limited frames; too many closes the connection (FLOOD). */
  floodStrikes: number;
  /** Set once `welcome` is sent: downlink frames are written only from then on. */
  welcomed: boolean;
  closed: boolean;
}

/** The state of a connection just admitted: a full rate bucket (2 s worth of frames). */
export function newConnectionState(user: UserId, connectionId: ConnectionId, nowMs: number, rateLimitFramesPerSec: number): ConnectionState {
  return {
    user,
    connectionId,
    strikes: 0,
    floodStrikes: 0,
    welcomed: false,
    closed: false,
    tokens: 2 * rateLimitFramesPerSec,
    refilledAt: nowMs,
  };
}
