// The API's refusals: a code from the protocol's error catalogue (the same numbers a client
// sees in an error frame) plus the HTTP status that carries it. The body is always
// `{ "error": { "code", "name", "message", "retryable" } }` (docs/SERVER-API.md).
import { ErrorCode, ErrorCodeValue, errorCodeName, isRetryable, ParleyError } from '@parley/protocol';

/** Thrown when a request is refused; `status` is the HTTP status of the answer. */
export class ApiError extends ParleyError {
  constructor(
    readonly status: number,
    code: ErrorCodeValue,
    message: string,
  ) {
    super(code, message);
  }
}

/** The HTTP status that carries a catalogue code (for refusals raised downstream, such as the sequencer's error frames). */
export function statusOf(code: number): number {
  switch (code) {
    case ErrorCode.TOKEN_MISSING:
    case ErrorCode.TOKEN_INVALID:
    case ErrorCode.TOKEN_EXPIRED:
      return 401;
    case ErrorCode.SENDER_MISMATCH:
    case ErrorCode.NOT_A_MEMBER:
      return 403;
    case ErrorCode.UNKNOWN_CONVERSATION:
      return 404;
    case ErrorCode.GROUP_EXISTS:
    case ErrorCode.CLIENT_SEQ_REUSED:
    case ErrorCode.OUT_OF_ORDER:
      return 409;
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.FRAME_TOO_LARGE:
      return 413;
    case ErrorCode.GROUP_LIMIT:
    case ErrorCode.SELF_CONVERSATION:
      return 422;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.UNAVAILABLE:
      return 503;
    case ErrorCode.INTERNAL:
      return 500;
    default:
      return 400;
  }
}

/** An error frame's code and message as an ApiError (unknown codes become INTERNAL). */
export function fromErrorFrame(code: number, message: string): ApiError {
  const known = errorCodeName(code) !== undefined;
  return new ApiError(statusOf(code), (known ? code : ErrorCode.INTERNAL) as ErrorCodeValue, message);
}

export interface ErrorBody {
  readonly error: { readonly code: number; readonly name: string; readonly message: string; readonly retryable: boolean };
}

export function errorBody(error: ParleyError): ErrorBody {
  return { error: { code: error.code, name: errorCodeName(error.code) ?? String(error.code), message: error.message, retryable: isRetryable(error.code) } };
}

export const invalid = (field: string, reason: string): ApiError => new ApiError(400, ErrorCode.INVALID_FIELD, `invalid ${field}: ${reason}`);
