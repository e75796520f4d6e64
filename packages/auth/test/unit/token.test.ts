import { ErrorCode, asUserId } from '@parley/protocol';
import { createHmac } from 'node:crypto';
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
    const token = signToken(secret, asUserId('alice'), 60, now);
    expect(() => verifyToken(secret, `${token}.x`, now)).toThrow(/not a JWT/);
    expect(() => verifyToken(secret, token.slice(0, token.lastIndexOf('.')), now)).toThrow(/not a JWT/);
    expect(() => verifyToken(secret, `!!.${token.split('.')[1]}.x`, now)).toThrow(/undecodable/);
  });

  it('accepts any HS256 header another issuer writes (other key order, extra fields)', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${b64({ typ: 'JWT', kid: 'k1', alg: 'HS256' })}.${b64({ sub: 'bob', exp: now / 1000 + 60 })}`;
    const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    expect(verifyToken(secret, token, now).sub).toBe('bob');
    const hs512 = `${b64({ alg: 'HS512' })}.${b64({ sub: 'bob', exp: now / 1000 + 60 })}`;
    expect(() => verifyToken(secret, `${hs512}.${createHmac('sha256', secret).update(hs512).digest('base64url')}`, now)).toThrow(/HS256/);
  });

  it('checks each token with its own secret when secrets alternate', () => {
    const other = 'another-secret-of-some-length';
    const a = signToken(secret, asUserId('alice'), 60, now);
    const b = signToken(other, asUserId('bob'), 60, now);
    expect(verifyToken(secret, a, now).sub).toBe('alice');
    expect(verifyToken(other, b, now).sub).toBe('bob');
    expect(() => verifyToken(secret, b, now)).toThrow(/bad signature/);
    expect(verifyToken(secret, a, now).sub).toBe('alice');
  });
});
