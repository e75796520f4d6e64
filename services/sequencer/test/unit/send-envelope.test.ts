// The sequencer's edge: what each shape of send-topic record becomes.
import { encodeClientPacket, ErrorCode, FrameInit } from '@parley/protocol';
import { readSendEnvelope, sendRequester } from '../../src/send-envelope';

const origin = { gatewayId: 'gw1', connectionId: 'c1', userId: 'alice', receivedAtMs: 7, deviceId: 'phone' };
const read = (frame: FrameInit, from: object | null = origin) => readSendEnvelope(encodeClientPacket({ ...(from ? { origin: from } : {}), frame }), 1_000);

describe("the sequencer's edge: a send-topic record, decoded once", () => {
  it('reads a 1:1 msg:R into an assignable request: canonical conversation, per-sender dedupe key, the named device', () => {
    const envelope = read({ msgR: { msgId: 'm1', toUser: 'bob', clientSeq: 3, payload: Buffer.from('hi') } });
    expect(envelope.kind).toBe('msg');
    if (envelope.kind !== 'msg') return;
    const { assign, sender } = envelope.request;
    expect(sender).toEqual({ gatewayId: 'gw1', connectionId: 'c1', user: 'alice', device: 'phone', receivedAtMs: 7 });
    expect(assign).toMatchObject({ conversation: 'd:alice:bob', msgId: 'alice/m1', sender: 'alice/phone', clientSeq: 3 });
    expect(assign.message).toMatchObject({ conversation: 'd:alice:bob', msgId: 'm1', fromUser: 'alice', toUsers: ['bob'], serverTimeMs: 1_000, clientSeq: 3, receivedAtMs: 7 });
  });

  it('reads a group msg:R with no recipients (delivery fans out), and takes the connection as the device when the gateway named none', () => {
    const envelope = read({ msgR: { msgId: 'm1', conversation: 'g:team' } }, { ...origin, deviceId: '' });
    expect(envelope).toMatchObject({ kind: 'msg', request: { assign: { conversation: 'g:team', sender: 'alice/c1', clientSeq: 0 }, sender: { device: undefined } } });
    if (envelope.kind === 'msg') expect(envelope.request.assign.message.toUsers).toEqual([]);
  });

  it('skips what no gateway forwards: undecodable bytes, no origin user, a msg:R without msg_id, recipient or group, other packets', () => {
    expect(readSendEnvelope(Uint8Array.from([0xff, 0xff, 0xff]), 0)).toMatchObject({ kind: 'skip', reason: 'undecodable' });
    expect(read({ msgR: { msgId: 'm1', toUser: 'bob' } }, null)).toEqual({ kind: 'skip', reason: 'no_origin' });
    expect(read({ msgR: { msgId: 'm1', toUser: 'bob' } }, { ...origin, userId: '' })).toEqual({ kind: 'skip', reason: 'no_origin' });
    expect(read({ msgR: { toUser: 'bob' } })).toEqual({ kind: 'skip', reason: 'not_msg_r' });
    expect(read({ msgR: { msgId: 'm1' } })).toEqual({ kind: 'skip', reason: 'not_msg_r' });
    expect(read({ msgR: { msgId: 'm1', conversation: 'd:alice:bob' } })).toEqual({ kind: 'skip', reason: 'not_msg_r' });
    expect(read({ ping: { nonce: 1 } })).toEqual({ kind: 'skip', reason: 'not_msg_r' });
  });

  it('reads each kind of group:R with its request id and sender', () => {
    expect(read({ groupR: { requestId: 'r1', create: { groupId: 'team', members: ['bob'] } } })).toMatchObject({
      kind: 'group',
      request: { requestId: 'r1', action: 'create', conversation: 'g:team', members: ['bob'], sender: { user: 'alice' } },
    });
    expect(read({ groupR: { requestId: 'r2', change: { conversation: 'g:team', add: ['carol'], remove: ['bob'] } } })).toMatchObject({
      kind: 'group',
      request: { requestId: 'r2', action: 'change', conversation: 'g:team', add: ['carol'], remove: ['bob'] },
    });
    expect(read({ groupR: { requestId: 'r3', list: { conversation: 'g:team' } } })).toMatchObject({ kind: 'group', request: { action: 'list', conversation: 'g:team' } });
  });

  it('refuses a group:R no gateway forwards with the error the gateway answers for it', () => {
    expect(read({ groupR: { requestId: 'r1', create: { groupId: 'no spaces' } } })).toMatchObject({ request: { action: 'refuse', code: ErrorCode.INVALID_FIELD, requestId: 'r1' } });
    expect(read({ groupR: { requestId: 'r1' } })).toMatchObject({ request: { action: 'refuse', code: ErrorCode.INVALID_FIELD } });
    expect(read({ groupR: { requestId: 'r1', list: { conversation: 'd:alice:bob' } } })).toMatchObject({ request: { action: 'refuse', code: ErrorCode.UNKNOWN_CONVERSATION } });
  });

  it('names who waits for the answer to a record: the msg_id or request_id with its origin', () => {
    const requester = (frame: FrameInit) => sendRequester({ key: 'k', value: encodeClientPacket({ origin, frame }), offset: '0' });
    expect(requester({ msgR: { msgId: 'm1', toUser: 'bob' } })).toMatchObject({ msgId: 'm1', origin: { userId: 'alice' } });
    expect(requester({ groupR: { requestId: 'r1', list: { conversation: 'g:team' } } })).toMatchObject({ msgId: 'r1' });
    expect(requester({ ping: {} })).toBeUndefined();
  });
});
