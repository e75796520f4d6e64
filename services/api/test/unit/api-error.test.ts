// The HTTP status each refusal is answered with (docs/SERVER-API.md), for codes raised by the
// API itself and for the sequencer's error frames.
import { ErrorCode } from '@parley/protocol';
import { fromErrorFrame, statusOf } from '../../src/api-error';

describe('API error statuses', () => {
  it.each([
    [ErrorCode.TOKEN_EXPIRED, 401],
    [ErrorCode.NOT_A_MEMBER, 403],
    [ErrorCode.UNKNOWN_CONVERSATION, 404],
    [ErrorCode.OUT_OF_ORDER, 409],
    [ErrorCode.FRAME_TOO_LARGE, 413],
    [ErrorCode.SELF_CONVERSATION, 422],
    [ErrorCode.RATE_LIMITED, 429],
    [ErrorCode.INTERNAL, 500],
    [ErrorCode.UNAVAILABLE, 503],
    [ErrorCode.INVALID_FIELD, 400],
  ])('code %i is answered %i', (code, status) => {
    expect(statusOf(code)).toBe(status);
  });

  it('an error frame with a code outside the catalogue is answered INTERNAL (status 400, as any unlisted code), keeping its message', () => {
    expect(fromErrorFrame(987_654, 'odd')).toMatchObject({ code: ErrorCode.INTERNAL, status: 400, message: 'odd' });
    expect(fromErrorFrame(ErrorCode.GROUP_EXISTS, 'taken')).toMatchObject({ code: ErrorCode.GROUP_EXISTS, status: 409 });
  });
});
