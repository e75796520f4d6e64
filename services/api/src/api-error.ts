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

/** The HTTP status of each catalogue code a refusal may carry (raised here or downstream, such as the sequencer's error frames). */
const STATUS_OF_CODES: ReadonlyArray<readonly [status: number, codes: readonly ErrorCodeValue[]]> = [
  [401, [ErrorCode.TOKEN_MISSING, ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED]],
  [403, [ErrorCode.SENDER_MISMATCH, ErrorCode.NOT_A_MEMBER]],
  [404, [ErrorCode.UNKNOWN_CONVERSATION]],
  [409, [ErrorCode.GROUP_EXISTS, ErrorCode.CLIENT_SEQ_REUSED, ErrorCode.OUT_OF_ORDER]],
  [413, [ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.FRAME_TOO_LARGE]],
  [422, [ErrorCode.GROUP_LIMIT, ErrorCode.SELF_CONVERSATION]],
  [429, [ErrorCode.RATE_LIMITED]],
  [500, [ErrorCode.INTERNAL]],
  [503, [ErrorCode.UNAVAILABLE]],
];
const STATUS_BY_CODE: ReadonlyMap<number, number> = new Map(STATUS_OF_CODES.flatMap(([status, codes]) => codes.map((code) => [code, status] as const)));

/** The HTTP status that carries a catalogue code; 400 for any code not named above. */
export const statusOf = (code: number): number => STATUS_BY_CODE.get(code) ?? 400;

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
