// HS256 JSON Web Tokens: the gateway verifies them during the WebSocket upgrade; the
// embedded mode's /dev/token and the tests sign them. Only HS256 is accepted, so a
// token cannot downgrade itself to `alg: none` or switch to a public-key algorithm.
import { createHmac, timingSafeEqual } from 'node:crypto';
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

function signature(secret: string, signingInput: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

export function signToken(secret: string, user: UserId, ttlSeconds: number, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  const payload = base64url(JSON.stringify({ sub: user, iat, exp: iat + ttlSeconds }));
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${base64url(signature(secret, signingInput))}`;
}

/** Allowed clock difference between the issuer and this server, in seconds. */
const LEEWAY_SECONDS = 30;

export function verifyToken(secret: string, token: string, nowMs = Date.now()): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenInvalidError('not a JWT');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: { sub?: unknown; exp?: unknown; nbf?: unknown; iat?: unknown };
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    throw new TokenInvalidError('undecodable header or payload');
  }
  if (header.alg !== 'HS256') throw new TokenInvalidError('algorithm must be HS256');
  const expected = signature(secret, `${headerPart}.${payloadPart}`);
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenInvalidError('bad signature');
  if (typeof claims.sub !== 'string' || !isValidUserId(claims.sub)) throw new TokenInvalidError('sub must be a valid user id');
  if (typeof claims.exp !== 'number') throw new TokenInvalidError('exp missing');
  const now = nowMs / 1000;
  if (claims.exp + LEEWAY_SECONDS < now) throw new TokenExpiredError('expired');
  if (typeof claims.nbf === 'number' && claims.nbf - LEEWAY_SECONDS > now) throw new TokenExpiredError('not yet valid');
  return {
    sub: claims.sub,
    exp: claims.exp,
    ...(typeof claims.nbf === 'number' ? { nbf: claims.nbf } : {}),
    ...(typeof claims.iat === 'number' ? { iat: claims.iat } : {}),
  };
}
