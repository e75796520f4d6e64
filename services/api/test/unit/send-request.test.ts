// Validation of a send at the edge: one refusal with a catalogue code per bad field.
import { asUserId, ErrorCode } from '@parley/protocol';
import { parseSend } from '../../src/send-message';

const limits = { systemUser: asUserId('system'), maxPayloadBytes: 16 };
const refusal = (body: Record<string, unknown>) => {
  try {
    parseSend(body, limits);
  } catch (err) {
    return err as { code: number; status: number; message: string };
  }
  throw new Error('accepted');
};

describe('parseSend', () => {
  it('a 1:1 send from a user keys the canonical conversation', () => {
    expect(parseSend({ msgId: 'm1', from: 'zed', to: 'amy', text: 'hi' }, limits)).toMatchObject({
      from: 'zed',
      conversation: 'd:amy:zed',
      toUser: 'amy',
      payload: Buffer.from('hi'),
    });
  });

  it('a send without from speaks as the system user; payload may be base64', () => {
    expect(parseSend({ msgId: 'm1', to: 'amy', payload: Buffer.from([1, 2]).toString('base64') }, limits)).toMatchObject({
      from: 'system',
      conversation: 'd:amy:system',
      payload: Buffer.from([1, 2]),
    });
  });

  it('a group send names the group conversation', () => {
    const command = parseSend({ msgId: 'm1', from: 'amy', conversation: 'g:team', text: 'x' }, limits);
    expect(command).toMatchObject({ conversation: 'g:team' });
    expect(command.toUser).toBeUndefined();
  });

  it.each([
    [{ to: 'amy', text: 'x' }, ErrorCode.INVALID_FIELD, 400, /msgId/],
    [{ msgId: 'bad id', to: 'amy', text: 'x' }, ErrorCode.INVALID_FIELD, 400, /msgId/],
    [{ msgId: 'm', text: 'x' }, ErrorCode.INVALID_FIELD, 400, /to/],
    [{ msgId: 'm', to: 'amy', conversation: 'g:x', text: 'x' }, ErrorCode.INVALID_FIELD, 400, /not both/],
    [{ msgId: 'm', to: 'amy' }, ErrorCode.INVALID_FIELD, 400, /payload/],
    [{ msgId: 'm', to: 'amy', payload: '***' }, ErrorCode.INVALID_FIELD, 400, /base64/],
    [{ msgId: 'm', to: 'a:b', text: 'x' }, ErrorCode.INVALID_FIELD, 400, /to/],
    [{ msgId: 'm', from: 'amy', to: 'amy', text: 'x' }, ErrorCode.SELF_CONVERSATION, 422, /sender/],
    [{ msgId: 'm', conversation: 'd:amy:bob', text: 'x' }, ErrorCode.UNKNOWN_CONVERSATION, 404, /group/],
    [{ msgId: 'm', to: 'amy', text: 'x'.repeat(17) }, ErrorCode.PAYLOAD_TOO_LARGE, 413, /16 bytes/],
  ])('%j is refused', (body, code, status, message) => {
    expect(refusal(body)).toMatchObject({ code, status, message: expect.stringMatching(message) });
  });
});
