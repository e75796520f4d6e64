// One admission rule for the WebSocket upgrade and the long-poll open: the documented
// refusals (docs/PROTOCOL.md, "Connecting"), in that order of precedence.
import { signToken } from '@parley/auth';
import { asUserId, ErrorCode } from '@parley/protocol';
import { admit, AdmissionPolicy } from '../../src/admission';

const SECRET = 'unit-test-secret-0123456789';
const NOW = 1_700_000_000_000;
const policy: AdmissionPolicy = { accepting: true, allowedOrigins: ['https://chat.example'], jwtSecret: SECRET, maxTokenBytes: 4096, nowMs: NOW };
const token = signToken(SECRET, asUserId('alice'), 3600, NOW);

describe('admission of a new connection', () => {
  it('admits a valid token, with or without an allowed Origin', () => {
    expect(admit({ origin: '', token }, policy)).toEqual({ admitted: true, user: 'alice', issuedAtSec: NOW / 1000 });
    expect(admit({ origin: 'https://chat.example', token }, policy)).toEqual({ admitted: true, user: 'alice', issuedAtSec: NOW / 1000 });
    expect(admit({ origin: 'https://any.example', token }, { ...policy, allowedOrigins: ['*'] })).toMatchObject({ admitted: true });
  });

  it('refuses with the documented status and code', () => {
    expect(admit({ origin: '', token }, { ...policy, accepting: false })).toMatchObject({ status: '503 Service Unavailable', code: ErrorCode.UNAVAILABLE });
    expect(admit({ origin: 'https://evil.example', token }, policy)).toMatchObject({ status: '403 Forbidden', code: ErrorCode.ORIGIN_FORBIDDEN });
    expect(admit({ origin: '', token: '' }, policy)).toMatchObject({ status: '401 Unauthorized', code: ErrorCode.TOKEN_MISSING });
    expect(admit({ origin: '', token: 'not-a-jwt' }, policy)).toMatchObject({ status: '401 Unauthorized', code: ErrorCode.TOKEN_INVALID });
    const foreign = signToken('another-secret-0123456789', asUserId('alice'), 3600, NOW);
    expect(admit({ origin: '', token: foreign }, policy)).toMatchObject({ code: ErrorCode.TOKEN_INVALID });
    expect(admit({ origin: '', token }, { ...policy, nowMs: NOW + 2 * 3600_000 })).toMatchObject({ code: ErrorCode.TOKEN_EXPIRED });
  });

  it('refuses a token over maxTokenBytes with 431 TOKEN_TOO_LARGE before reading it, and takes one at the limit', () => {
    const long = signToken(SECRET, asUserId('a'.repeat(64)), 3600, NOW);
    expect(admit({ origin: '', token: long }, { ...policy, maxTokenBytes: long.length })).toMatchObject({ admitted: true });
    expect(admit({ origin: '', token: long }, { ...policy, maxTokenBytes: long.length - 1 })).toMatchObject({
      admitted: false,
      status: '431 Request Header Fields Too Large',
      code: ErrorCode.TOKEN_TOO_LARGE,
    });
    expect(admit({ origin: '', token: 'x'.repeat(5000) }, policy)).toMatchObject({ code: ErrorCode.TOKEN_TOO_LARGE });
  });

  it('takes the device parameter as the connection\'s device, and leaves it undefined when absent', () => {
    expect(admit({ origin: '', token, device: 'phone-7_A' }, policy)).toEqual({ admitted: true, user: 'alice', device: 'phone-7_A', issuedAtSec: NOW / 1000 });
    expect(admit({ origin: '', token, device: 'x'.repeat(64) }, policy)).toMatchObject({ admitted: true, device: 'x'.repeat(64) });
    const absent = admit({ origin: '', token }, policy);
    expect(absent).toMatchObject({ admitted: true });
    expect(absent.admitted && absent.device).toBeUndefined();
  });

  it('refuses a malformed device with 400 INVALID_FIELD naming the parameter, once the token is good', () => {
    for (const device of ['', 'x'.repeat(65), 'a/b', 'a b', 'a.b', 'tél', 'a%2Fb']) {
      const refused = admit({ origin: '', token, device }, policy);
      expect(refused).toMatchObject({ admitted: false, status: '400 Bad Request', code: ErrorCode.INVALID_FIELD });
      expect(!refused.admitted && refused.message).toMatch(/device/);
    }
    expect(admit({ origin: '', token: 'not-a-jwt', device: 'a/b' }, policy)).toMatchObject({ status: '401 Unauthorized', code: ErrorCode.TOKEN_INVALID });
  });
});
