// HS256 JSON Web Tokens: the gateway verifies them during the WebSocket upgrade; the
// embedded mode's /dev/token and the tests sign them. Only HS256 is accepted, so a
// token cannot downgrade itself to `alg: none` or switch to a public-key algorithm.
import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { ErrorCode, isValidUserId, ParleyError, UserId } from '@parley/protocol';

export interface TokenClaims {
  readonly sub: UserId;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  readonly iat?: number;
  readonly nbf?: number;
}

/** Thrown when a token is missing, malformed, badly signed or names an invalid user. */
export class TokenInvalidError extends ParleyError {
  constructor(reason: string) {
    super(ErrorCode.TOKEN_INVALID, `invalid token: ${reason}`);
  }
}

/** Thrown when a token is past its `exp` or before its `nbf`. */
export class TokenExpiredError extends ParleyError {
  constructor(reason: string) {
    super(ErrorCode.TOKEN_EXPIRED, `token ${reason}`);
  }
}

const base64url = (input: Buffer | string): string => Buffer.from(input).toString('base64url');
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** The key of the last secret used: a gateway checks every connection's token with one secret. */
let lastKey: { readonly secret: string; readonly key: KeyObject } | undefined;

function signature(secret: string, signingInput: string): Buffer {
  if (lastKey?.secret !== secret) lastKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return createHmac('sha256', lastKey.key).update(signingInput).digest();
}

export function signToken(secret: string, user: UserId, ttlSeconds: number, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  return signClaims(secret, { sub: user, iat, exp: iat + ttlSeconds });
}

/** An HS256 JWT carrying `claims` as they are (tests and server-api-token.ts). */
export function signClaims(secret: string, claims: Readonly<Record<string, unknown>>): string {
  const signingInput = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${base64url(signature(secret, signingInput))}`;
}

/** Allowed clock difference between the issuer and this server, in seconds. */
const LEEWAY_SECONDS = 30;

/** The claims of a JWT this server may act on: signed HS256 by `secret`, within `exp` (required) and `nbf`. */
export interface VerifiedClaims {
  readonly [claim: string]: unknown;
  readonly exp: number;
}

/**
 * Checks the algorithm (HS256 only), the signature under `secret`, `exp` (required) and `nbf`,
 * with LEEWAY_SECONDS of clock difference; returns every claim for the caller to check its own.
 */
export function verifiedClaims(secret: string, token: string, nowMs = Date.now()): VerifiedClaims {
  // Three parts, as token.split('.') would give, without the array and the signing input's copy.
  const headerEnd = token.indexOf('.');
  const payloadEnd = headerEnd < 0 ? -1 : token.indexOf('.', headerEnd + 1);
  if (payloadEnd < 0 || token.indexOf('.', payloadEnd + 1) >= 0) throw new TokenInvalidError('not a JWT');
  const headerPart = token.slice(0, headerEnd);
  let claims: Record<string, unknown>;
  let algorithm: unknown = 'HS256';
  try {
    // The header parley signs is read as it is; any other is decoded.
    if (headerPart !== HEADER) algorithm = (JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as { alg?: unknown } | null)?.alg;
    claims = JSON.parse(Buffer.from(token.slice(headerEnd + 1, payloadEnd), 'base64url').toString('utf8'));
  } catch {
    throw new TokenInvalidError('undecodable header or payload');
  }
  if (algorithm !== 'HS256') throw new TokenInvalidError('algorithm must be HS256');
  const expected = signature(secret, token.slice(0, payloadEnd));
  const given = Buffer.from(token.slice(payloadEnd + 1), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenInvalidError('bad signature');
  if (typeof claims !== 'object' || claims === null) throw new TokenInvalidError('the payload is not an object');
  if (typeof claims.exp !== 'number') throw new TokenInvalidError('exp missing');
  const now = nowMs / 1000;
  if (claims.exp + LEEWAY_SECONDS < now) throw new TokenExpiredError('expired');
  if (typeof claims.nbf === 'number' && claims.nbf - LEEWAY_SECONDS > now) throw new TokenExpiredError('not yet valid');
  return claims as VerifiedClaims;
}

/**
 * The audience of server API tokens (server-api-token.ts). A client token never carries it:
 * a token that names it is refused here, so one secret shared by mistake still keeps a
 * server API token from opening a client connection.
 */
export const SERVER_API_AUDIENCE = 'parley:server-api';

/** Whether `aud` (a string or an array of strings, RFC 7519) names `audience`. */
export function audienceIncludes(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}

/** A client's connection token: `sub` is the user; a server API token (its audience) is refused. */
export function verifyToken(secret: string, token: string, nowMs = Date.now()): TokenClaims {
  const claims = verifiedClaims(secret, token, nowMs);
  if (audienceIncludes(claims.aud, SERVER_API_AUDIENCE)) throw new TokenInvalidError('a server API token is not a connection token');
  if (typeof claims.sub !== 'string' || !isValidUserId(claims.sub)) throw new TokenInvalidError('sub must be a valid user id');
  return {
    sub: claims.sub,
    exp: claims.exp,
    ...(typeof claims.nbf === 'number' ? { nbf: claims.nbf } : {}),
    ...(typeof claims.iat === 'number' ? { iat: claims.iat } : {}),
  };
}
