// Errors the client raises on purpose: one base class with a literal code, one subclass
// per failure. Server refusals keep the server's numeric code (docs/PROTOCOL.md).
import { errorCodeName, type MsgId } from '@parley/protocol';

export type ClientErrorCode =
  | 'CLIENT_SEND_REFUSED'
  | 'CLIENT_REQUEST_REFUSED'
  | 'CLIENT_REQUEST_TIMEOUT'
  | 'CLIENT_REQUEST_INTERRUPTED'
  | 'CLIENT_CLOSED'
  | 'CLIENT_STOPPED'
  | 'CLIENT_INVALID_OPTION'
  | 'CLIENT_INVALID_ARGUMENT';

export abstract class ClientError extends Error {
  abstract readonly code: ClientErrorCode;
}

/** Thrown (a rejected send) when the server refuses a msg:R with a non-retryable error. */
export class SendRefusedError extends ClientError {
  readonly code = 'CLIENT_SEND_REFUSED' as const;
  constructor(
    readonly msgId: MsgId,
    /** The server's numeric error code (ErrorCode in @parley/protocol). */
    readonly serverCode: number,
    readonly serverMessage: string,
  ) {
    super(`send ${msgId} refused: ${errorCodeName(serverCode) ?? serverCode}: ${serverMessage}`);
    this.name = 'SendRefusedError';
  }
}

/** Thrown (a rejected request) when the server refuses a group:R, sync:R or conversations:R with a non-retryable error. */
export class RequestRefusedError extends ClientError {
  readonly code = 'CLIENT_REQUEST_REFUSED' as const;
  constructor(
    readonly requestId: string,
    /** The server's numeric error code (ErrorCode in @parley/protocol). */
    readonly serverCode: number,
    readonly serverMessage: string,
  ) {
    super(`request ${requestId} refused: ${errorCodeName(serverCode) ?? serverCode}: ${serverMessage}`);
    this.name = 'RequestRefusedError';
  }
}

/** Thrown (a rejected request) when no answer came within requestTimeoutMs of the call, reconnects included. */
export class RequestTimeoutError extends ClientError {
  readonly code = 'CLIENT_REQUEST_TIMEOUT' as const;
  constructor(
    readonly requestId: string,
    timeoutMs: number,
  ) {
    super(`request ${requestId}: no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * Thrown (a rejected createGroup/changeMembers) when the link dropped while the request
 * waited for its answer, after it had already been re-sent once: whether the server applied
 * it is unknown (listMembers tells).
 */
export class RequestInterruptedError extends ClientError {
  readonly code = 'CLIENT_REQUEST_INTERRUPTED' as const;
  constructor(readonly requestId: string) {
    super(`request ${requestId}: the link dropped twice before its answer; its outcome is unknown`);
    this.name = 'RequestInterruptedError';
  }
}

/** Thrown when the client is closed while a send or connect() waits, or used after close(). */
export class ClientClosedError extends ClientError {
  readonly code = 'CLIENT_CLOSED' as const;
  constructor(what: string) {
    super(`client closed: ${what}`);
    this.name = 'ClientClosedError';
  }
}

/**
 * Thrown (a rejected connect()) when the client stopped reconnecting by itself: the link was
 * replaced by a newer connection of this device (4006), or a fresh token was refused too.
 * connect() may be called again.
 */
export class ConnectionStoppedError extends ClientError {
  readonly code = 'CLIENT_STOPPED' as const;
  constructor(
    /** 'replaced' or 'token-rejected' (see the 'linkProblem' event). */
    readonly problem: 'replaced' | 'token-rejected',
    reason: string,
  ) {
    super(`connection stopped (${problem}): ${reason}`);
    this.name = 'ConnectionStoppedError';
  }
}

/** Thrown by the ParleyClient constructor when an option is missing or out of range. */
export class InvalidOptionError extends ClientError {
  readonly code = 'CLIENT_INVALID_OPTION' as const;
  constructor(option: string, reason: string) {
    super(`invalid option ${option}: ${reason}`);
    this.name = 'InvalidOptionError';
  }
}

/**
 * Thrown (a rejected send or request) when a call gets a malformed recipient, conversation,
 * group id, member or msgId, or a msgId already in flight.
 */
export class InvalidArgumentError extends ClientError {
  readonly code = 'CLIENT_INVALID_ARGUMENT' as const;
  constructor(argument: string, reason: string) {
    super(`invalid ${argument}: ${reason}`);
    this.name = 'InvalidArgumentError';
  }
}
