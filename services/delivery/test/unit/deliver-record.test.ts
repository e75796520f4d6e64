// Delivery's edge: each deliver-topic record read once into a validated record; what no
// sequencer or gateway forwards is refused as the gateway would or skipped, never defaulted.
import { encodeAppEvent, encodeDeliveryCommand, ErrorCode, parley } from '@parley/protocol';
import { readDeliverRecord } from '../../src/deliver-record';
import { message, sequenced } from '../support/direct-records';

const origin = { gatewayId: 'gw1', connectionId: 'cb', userId: 'bob', receivedAtMs: 7 };
const request = (frame: parley.v1.IFrame, from: parley.v1.IOrigin = origin) => readDeliverRecord(encodeDeliveryCommand({ client: { origin: from, frame } }));

describe('readDeliverRecord', () => {
  it('reads a sequenced 1:1 message with its receiver, position and origin', () => {
    expect(readDeliverRecord(sequenced(3, { duplicate: true }).value)).toMatchObject({
      kind: 'direct',
      position: { conversation: 'd:alice:bob', epoch: 'e1', seq: 3 },
      sender: 'alice',
      receiver: 'bob',
      duplicate: true,
      origin: { gatewayId: 'gw1', connectionId: 'ca' },
    });
  });

  it('reads a group message without a receiver, and no origin when the record names none', () => {
    const group = parley.v1.StoredMessage.create({ conversation: 'g:club', position: { epoch: 'e1', seq: 1 }, msgId: 'm1', fromUser: 'alice', toUsers: [] });
    const record = readDeliverRecord(encodeDeliveryCommand({ sequenced: { message: group } }));
    expect(record).toMatchObject({ kind: 'group', position: { conversation: 'g:club', epoch: 'e1', seq: 1 }, sender: 'alice', duplicate: false, origin: undefined });
  });

  it('throws for a sequenced message nobody can store, for the consumer to set it aside and answer its sender', () => {
    const noReceiver = { ...message(1), toUsers: [] };
    expect(() => readDeliverRecord(encodeDeliveryCommand({ sequenced: { message: noReceiver } }))).toThrow('without a receiver (msgId m1)');
    const noPosition = { ...message(1), position: null };
    expect(() => readDeliverRecord(encodeDeliveryCommand({ sequenced: { message: noPosition } }))).toThrow('without a position (msgId m1)');
  });

  it('skips what is not for delivery: undecodable, an application event, a request without a user, a frame delivery does not answer', () => {
    expect(readDeliverRecord(Uint8Array.from([0xff, 0xff, 0xff]))).toMatchObject({ kind: 'skip', reason: 'undecodable' });
    expect(readDeliverRecord(encodeAppEvent({ atMs: 1, userConnection: { userId: 'bob', connected: true } }))).toEqual({ kind: 'skip', reason: 'app_event' });
    expect(request({ ackR: { conversation: 'd:alice:bob', position: { epoch: 'e1', seq: 1 } } }, { gatewayId: 'gw1', connectionId: 'cb' })).toEqual({ kind: 'skip', reason: 'no_origin' });
    expect(request({ msgR: { msgId: 'm1', toUser: 'alice' } })).toEqual({ kind: 'skip', reason: 'not_a_request' });
  });

  it('reads requests with branded positions and the origin as the answer target', () => {
    expect(request({ ackR: { conversation: 'd:alice:bob', position: { epoch: 'e1', seq: 4 } } })).toEqual({
      kind: 'ack',
      origin: { gatewayId: 'gw1', user: 'bob', connectionId: 'cb' },
      receivedAtMs: 7,
      position: { conversation: 'd:alice:bob', epoch: 'e1', seq: 4 },
    });
    expect(request({ syncR: { requestId: 'r1', conversation: 'd:alice:bob', after: { epoch: '', seq: 9 } } })).toMatchObject({ kind: 'sync', requestId: 'r1', after: undefined, limit: 0 });
    expect(request({ syncR: { requestId: 'r1', conversation: 'd:alice:bob', after: { epoch: 'e1', seq: 9 }, limit: 5 } })).toMatchObject({ after: { epoch: 'e1', seq: 9 }, limit: 5 });
    expect(request({ offlineR: { cursor: '' } })).toMatchObject({ kind: 'pull', after: undefined, limit: 0 });
  });

  it('refuses positions and cursors the server never issued, with the codes the gateway answers', () => {
    expect(request({ ackR: { conversation: 'd:alice:bob', position: { epoch: 'e1' } } })).toMatchObject({ kind: 'refuse', code: ErrorCode.INVALID_FIELD });
    expect(request({ readR: { conversation: 'd:alice:bob', position: { epoch: 'e|1', seq: 2 } } })).toMatchObject({ kind: 'refuse', code: ErrorCode.INVALID_FIELD });
    expect(request({ offlineackR: { refs: [{ conversation: 'd:alice:bob' }] } })).toMatchObject({ kind: 'refuse', code: ErrorCode.INVALID_FIELD });
    expect(request({ syncR: { requestId: 'r2', conversation: 'd:alice:bob', after: { epoch: 'e1', seq: 2 ** 60 } } })).toMatchObject({ kind: 'refuse', code: ErrorCode.INVALID_FIELD, msgId: 'r2' });
    expect(request({ offlineR: { cursor: 'not a cursor' } })).toMatchObject({ kind: 'refuse', code: ErrorCode.INVALID_CURSOR, msgId: '' });
  });
});
