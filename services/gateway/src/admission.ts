// Who may open a connection: the one check behind both the WebSocket upgrade and the
// long-polling open (pure: the caller copies origin, token and device out of the request).
import { DeviceId, ErrorCode, ErrorCodeValue, isValidDeviceId, ParleyError, UserId } from '@parley/protocol';
import { verifyToken } from '@parley/auth';

export interface AdmissionRequest {
  /** The Origin header; empty when absent (non-browser clients). */
  readonly origin: string;
  /** The `token` query parameter; empty when absent. */
  readonly token: string;
  /** The `device` query parameter; undefined when absent (then the connection id is the device). */
  readonly device?: string | undefined;
}

export interface AdmissionPolicy {
  /** False while the gateway is starting or stopping. */
  readonly accepting: boolean;
  /** Origins a browser page may connect from (also the long-poll CORS allowlist); `*` = any. */
  readonly allowedOrigins: readonly string[];
  readonly jwtSecret: string;
  /** Longest token read; a longer one is refused before its signature is checked. */
  readonly maxTokenBytes: number;
  readonly nowMs: number;
}

/** A refusal is an HTTP answer: the status line and the JSON body `{code, message}`. */
export interface Refusal {
  readonly status: string;
  readonly code: ErrorCodeValue;
  readonly message: string;
  /** Seconds before trying again (the Retry-After header), for a rate-limited attempt. */
  readonly retryAfterSec?: number;
}

/** `device` is undefined when the client named none: the connection id stands for it. */
export type Admission =
  | { readonly admitted: true; readonly user: UserId; readonly device: DeviceId | undefined; /** The token's iat in Unix seconds (0 when it names none), for the revocation check. */ readonly issuedAtSec: number }
  | ({ readonly admitted: false } & Refusal);

const refuse = (status: string, code: ErrorCodeValue, message: string): Admission => ({ admitted: false, status, code, message });

export function admit(request: AdmissionRequest, policy: AdmissionPolicy): Admission {
  if (!policy.accepting) return refuse('503 Service Unavailable', ErrorCode.UNAVAILABLE, 'gateway not ready');
  if (request.origin && !originAllowed(request.origin, policy.allowedOrigins)) {
    return refuse('403 Forbidden', ErrorCode.ORIGIN_FORBIDDEN, 'origin not allowed');
  }
  if (!request.token) return refuse('401 Unauthorized', ErrorCode.TOKEN_MISSING, 'token query parameter missing');
  if (request.token.length > policy.maxTokenBytes) {
    return refuse('431 Request Header Fields Too Large', ErrorCode.TOKEN_TOO_LARGE, `token over ${policy.maxTokenBytes} bytes`);
  }
  let user: UserId;
  let issuedAtSec: number;
  try {
    const claims = verifyToken(policy.jwtSecret, request.token, policy.nowMs);
    user = claims.sub;
    issuedAtSec = claims.iat ?? 0;
  } catch (err) {
    const code = err instanceof ParleyError ? err.code : ErrorCode.TOKEN_INVALID;
    return refuse('401 Unauthorized', code, err instanceof Error ? err.message : 'invalid token');
  }
  // Checked after the token: only an authenticated client learns what the parameter must be.
  const { device } = request;
  if (device !== undefined && !isValidDeviceId(device)) {
    return refuse('400 Bad Request', ErrorCode.INVALID_FIELD, 'device must be 1..64 chars of [A-Za-z0-9_-]');
  }
  return { admitted: true, user, device, issuedAtSec };
}

export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.includes('*') || allowed.includes(origin);
}
