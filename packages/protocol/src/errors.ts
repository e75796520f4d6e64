// The error catalogue: every code a client can see, stable and never reused.
// docs/PROTOCOL.md lists each one; a unit test fails when one is missing there.

export const ErrorCode = {
  /** The frame is not a valid protobuf Frame, or has no packet. */
  MALFORMED_FRAME: 1001,
  /** The frame exceeds the advertised max_frame_bytes. */
  FRAME_TOO_LARGE: 1002,
  /** The packet is one only the server sends (msg:A, welcome, ...). */
  UNEXPECTED_PACKET: 1003,
  /** msg_id is missing or not 1..64 chars of [A-Za-z0-9_-]. */
  INVALID_MSG_ID: 1004,
  /** The msg:R payload exceeds the advertised max_payload_bytes. */
  PAYLOAD_TOO_LARGE: 1005,
  /** A required field is missing or malformed (named in the message). */
  INVALID_FIELD: 1006,
  /** A new msg_id with a client_seq this device already used in this conversation (the client lost its counter but kept its device id). */
  CLIENT_SEQ_REUSED: 1007,
  /** An offline:R cursor the server never issued. */
  INVALID_CURSOR: 1008,
  /** No token, or the token could not be read. */
  TOKEN_MISSING: 2001,
  /** The token's signature, algorithm or subject is not valid. */
  TOKEN_INVALID: 2002,
  /** The token is expired or not yet valid. */
  TOKEN_EXPIRED: 2003,
  /** The Origin header is not in the allowlist. */
  ORIGIN_FORBIDDEN: 2004,
  /** A msg:R names a sender other than the connection's user. */
  SENDER_MISMATCH: 2005,
  /** The user already holds the most connections one user may hold on this gateway (HTTP 429). */
  CONNECTION_LIMIT: 2006,
  /** Too many connection attempts from this source address or by this user (HTTP 429, Retry-After). */
  CONNECT_RATE_LIMITED: 2007,
  /** The token is longer than the gateway accepts (HTTP 431). */
  TOKEN_TOO_LARGE: 2008,
  /** The recipient or conversation does not exist or is not valid. */
  UNKNOWN_CONVERSATION: 3001,
  /** The user is not a member of the conversation. */
  NOT_A_MEMBER: 3002,
  /** A user sent a 1:1 message to themselves. */
  SELF_CONVERSATION: 3003,
  /** A group with this id already exists. */
  GROUP_EXISTS: 3004,
  /** A group change would leave the group without members, or over its size limit. */
  GROUP_LIMIT: 3005,
  /** Too many frames per second on this connection; slow down and retry. */
  RATE_LIMITED: 4001,
  /** A msg:R ahead of the device's next client_seq in this conversation: resend from error.expected_client_seq, in order. */
  OUT_OF_ORDER: 4010,
  /** The server could not accept the request now (bus or store unavailable); retry. */
  UNAVAILABLE: 5001,
  /** Unexpected server failure; retry. */
  INTERNAL: 5002,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCodeValue = (typeof ErrorCode)[ErrorCodeName];

const RETRYABLE: ReadonlySet<ErrorCodeValue> = new Set<ErrorCodeValue>([
  ErrorCode.CONNECTION_LIMIT,
  ErrorCode.CONNECT_RATE_LIMITED,
  ErrorCode.RATE_LIMITED,
  ErrorCode.OUT_OF_ORDER,
  ErrorCode.UNAVAILABLE,
  ErrorCode.INTERNAL,
]);

export const isRetryable = (code: ErrorCodeValue): boolean => RETRYABLE.has(code);

export function errorCodeName(code: number): ErrorCodeName | undefined {
  return (Object.keys(ErrorCode) as ErrorCodeName[]).find((name) => ErrorCode[name] === code);
}

/** Base of every error parley raises on purpose: a stable code plus a human message. */
export class ParleyError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
  ) {
    super(message);
    this.name = `ParleyError(${errorCodeName(code) ?? code})`;
    this.retryable = isRetryable(code);
  }
}

/** Thrown when bytes from a client cannot be decoded as a Frame. */
export class MalformedFrameError extends ParleyError {
  constructor(reason: string) {
    super(ErrorCode.MALFORMED_FRAME, `malformed frame: ${reason}`);
  }
}

/** Thrown when a field of an otherwise well-formed packet is invalid. */
export class InvalidFieldError extends ParleyError {
  constructor(field: string, reason: string) {
    super(ErrorCode.INVALID_FIELD, `invalid ${field}: ${reason}`);
  }
}
