// Server API authentication: an API key, or a server API token (HS256 under
// PARLEY_API_JWT_SECRET, audience parley:server-api, exp required). A client's connection
// token is refused here even when signed with the same secret, and a server API token is
// refused as a connection token.
import { signClaims, signServerApiToken, signToken, verifyToken } from '@parley/auth';
import { asUserId, ErrorCode } from '@parley/protocol';
import { ApiAuth } from '../../src/api-auth';
import { ApiKeys } from '../../src/api-keys';

const KEY = 'an-api-key-of-at-least-24-characters';
const SECRET = 'a-server-api-token-secret-of-32-chars-or-more';
const NOW = 1_800_000_000_000;
const nowSec = NOW / 1000;

const refusal = (auth: ApiAuth, header: string): { status: number; code: number } => {
  try {
    auth.check(header);
  } catch (err) {
    return { status: (err as { status: number }).status, code: (err as { code: number }).code };
  }
  throw new Error('accepted');
};

describe('server API authentication', () => {
  const both = new ApiAuth(new ApiKeys([KEY]), SECRET, () => NOW);

  it('accepts a configured key and a valid server API token', () => {
    expect(() => both.check(`Bearer ${KEY}`)).not.toThrow();
    expect(() => both.check(`Bearer ${signServerApiToken(SECRET, 300, 'billing-backend', NOW)}`)).not.toThrow();
    expect(() => both.check(`Bearer ${signClaims(SECRET, { aud: ['other', 'parley:server-api'], exp: nowSec + 60 })}`)).not.toThrow();
  });

  it('refuses a missing credential (TOKEN_MISSING) and an unknown key (TOKEN_INVALID)', () => {
    expect(refusal(both, '')).toEqual({ status: 401, code: ErrorCode.TOKEN_MISSING });
    expect(refusal(both, 'Basic abc')).toEqual({ status: 401, code: ErrorCode.TOKEN_MISSING });
    expect(refusal(both, 'Bearer not-one-of-the-configured-keys')).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
  });

  it('refuses an expired token (TOKEN_EXPIRED) and one without exp', () => {
    const expired = signServerApiToken(SECRET, 60, undefined, NOW - 3_600_000);
    expect(refusal(both, `Bearer ${expired}`)).toEqual({ status: 401, code: ErrorCode.TOKEN_EXPIRED });
    expect(refusal(both, `Bearer ${signClaims(SECRET, { aud: 'parley:server-api' })}`)).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
  });

  it('refuses a wrong audience, another secret and a token living longer than a day', () => {
    expect(refusal(both, `Bearer ${signClaims(SECRET, { aud: 'parley:client', exp: nowSec + 60 })}`)).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
    expect(refusal(both, `Bearer ${signServerApiToken('another-secret-of-32-characters-or-more', 60, undefined, NOW)}`)).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
    expect(refusal(both, `Bearer ${signClaims(SECRET, { aud: 'parley:server-api', iat: nowSec, exp: nowSec + 2 * 86_400 })}`)).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
  });

  it("refuses a client's connection token even when signed with the same secret, and the other way round", () => {
    const clientToken = signToken(SECRET, asUserId('alice'), 300, NOW);
    expect(refusal(both, `Bearer ${clientToken}`)).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
    const apiToken = signClaims(SECRET, { aud: 'parley:server-api', sub: 'alice', exp: nowSec + 60 });
    expect(() => verifyToken(SECRET, apiToken, NOW)).toThrow(expect.objectContaining({ code: ErrorCode.TOKEN_INVALID }));
  });

  it('refuses tokens when no token secret is set, and keys when none is set', () => {
    const keysOnly = new ApiAuth(new ApiKeys([KEY]), undefined, () => NOW);
    expect(refusal(keysOnly, `Bearer ${signServerApiToken(SECRET, 60, undefined, NOW)}`)).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
    const tokensOnly = new ApiAuth(undefined, SECRET, () => NOW);
    expect(refusal(tokensOnly, `Bearer ${KEY}`)).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
  });
});
