import { ErrorCode, asUserId } from '@parley/protocol';
import { signToken, verifyToken } from '../../src';

const secret = 'a-test-secret-of-some-length';
const now = 1_700_000_000_000;

describe('HS256 tokens', () => {
  it('verifies what it signs', () => {
    const token = signToken(secret, asUserId('alice'), 60, now);
    expect(verifyToken(secret, token, now).sub).toBe('alice');
  });

  it('refuses another secret, a tampered payload and alg none', () => {
    const token = signToken(secret, asUserId('alice'), 60, now);
    expect(() => verifyToken('another-secret-entirely', token, now)).toThrow(expect.objectContaining({ code: ErrorCode.TOKEN_INVALID }));
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'mallory', exp: now / 1000 + 60 })).toString('base64url');
    expect(() => verifyToken(secret, `${h}.${forged}.${s}`, now)).toThrow(expect.objectContaining({ code: ErrorCode.TOKEN_INVALID }));
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(() => verifyToken(secret, `${none}.${forged}.`, now)).toThrow(/HS256/);
  });

  it('refuses an expired token (beyond the leeway)', () => {
    const token = signToken(secret, asUserId('alice'), 60, now);
    expect(() => verifyToken(secret, token, now + 60_000 + 31_000)).toThrow(expect.objectContaining({ code: ErrorCode.TOKEN_EXPIRED }));
    expect(verifyToken(secret, token, now + 60_000 + 29_000).sub).toBe('alice');
  });

  it('refuses garbage', () => {
    expect(() => verifyToken(secret, 'not-a-token', now)).toThrow(expect.objectContaining({ code: ErrorCode.TOKEN_INVALID }));
  });
});
