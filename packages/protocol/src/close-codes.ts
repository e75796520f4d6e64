// WebSocket close codes the gateway uses. 4000-4999 are application codes (RFC 6455 7.4.2).
export const CloseCode = {
  /** Normal close (client or server shutting the link down on purpose). */
  NORMAL: 1000,
  /** The gateway is shutting down; reconnect (to any gateway) with backoff. */
  GOING_AWAY: 1001,
  /** A text WebSocket message: every frame is binary protobuf. */
  UNSUPPORTED_DATA: 1003,
  /** A frame larger than max_frame_bytes. */
  MESSAGE_TOO_BIG: 1009,
  /** Too many malformed or refused frames in a row: the peer is not speaking the protocol. */
  PROTOCOL_VIOLATION: 4002,
  /** No frame (not even a Ping) for 2 x heartbeat interval. */
  HEARTBEAT_TIMEOUT: 4003,
  /** The client read too slowly and the server's send buffer for it filled up. */
  SLOW_CONSUMER: 4004,
  /** The client kept sending faster than the per-connection rate limit for PARLEY_FLOOD_CLOSE_MS. */
  FLOOD: 4005,
  /** A newer connection of the same device came while its user held the most connections allowed: this one was taken for dead. */
  REPLACED: 4006,
  /**
   * The gateway is shutting down (a rolling update, a scale down): reconnect now, to another
   * gateway when several are known, without backoff (a jitter of a few hundred ms at most),
   * and resend what is unacknowledged as after any reconnect.
   */
  DRAINING: 4007,
  /**
   * The user's connections were ended by the application's backend (a ban, a password change,
   * a stolen device: the server API's revoke), and tokens issued before a time are refused.
   * Get a new token before reconnecting; a refused token is TOKEN_INVALID.
   */
  REVOKED: 4008,
} as const;

export type CloseCodeName = keyof typeof CloseCode;
export type CloseCodeValue = (typeof CloseCode)[CloseCodeName];
