// Server API tokens: an application backend may authenticate to the server API with a
// short-lived HS256 JWT signed with its own secret (PARLEY_API_JWT_SECRET) instead of a static
// API key. The audience `parley:server-api` is required, so a client's connection token (which
// never names it) is refused even if both secrets were set to the same value by mistake.
import { signClaims, SERVER_API_AUDIENCE, audienceIncludes, TokenInvalidError, verifiedClaims } from './token';

export interface ServerApiClaims {
  /** The calling backend, when the token names one (logged; grants nothing more). */
  readonly sub?: string;
  /** Expiry, seconds since the epoch (required). */
  readonly exp: number;
}

/** Longest lifetime a server API token may claim (exp − iat, or exp − now), in seconds: a day. */
export const MAX_SERVER_API_TOKEN_TTL_SEC = 86_400;

/** Signs a server API token for `ttlSeconds` (tests, scripts: docs/SERVER-API.md shows the claims). */
export function signServerApiToken(secret: string, ttlSeconds: number, subject?: string, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  return signClaims(secret, { aud: SERVER_API_AUDIENCE, iat, exp: iat + ttlSeconds, ...(subject ? { sub: subject } : {}) });
}

/**
 * Verifies a server API token: HS256 under `secret`, `exp` required and not past, `nbf` if
 * present, `aud` naming `parley:server-api`, and a lifetime of at most a day (a leaked
 * token stops working soon). Throws TokenInvalidError or TokenExpiredError.
 */
export function verifyServerApiToken(secret: string, token: string, nowMs = Date.now()): ServerApiClaims {
  const claims = verifiedClaims(secret, token, nowMs);
  if (!audienceIncludes(claims.aud, SERVER_API_AUDIENCE)) throw new TokenInvalidError(`aud must be "${SERVER_API_AUDIENCE}" (a connection token is not a server API token)`);
  const issued = typeof claims.iat === 'number' ? claims.iat : nowMs / 1000;
  if (claims.exp - issued > MAX_SERVER_API_TOKEN_TTL_SEC) throw new TokenInvalidError(`a server API token lives at most ${MAX_SERVER_API_TOKEN_TTL_SEC} s`);
  return { exp: claims.exp, ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}) };
}
