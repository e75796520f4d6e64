import { asUserId, encodeFrame, ErrorCode } from '@parley/protocol';
import { decideClientFrame } from '../../src/client-frame';
import { takeToken } from '../../src/rate-limiter';

const alice = asUserId('alice');
const limits = { maxFrameBytes: 1024, maxPayloadBytes: 100, maxGroupMembers: 3 };
const decide = (frame: Parameters<typeof encodeFrame>[0]) => decideClientFrame(encodeFrame(frame), alice, limits);

describe('what the gateway does with a client frame', () => {
  it('forwards a valid msg:R to the send topic keyed by the canonical conversation', () => {
    const decision = decide({ msgR: { msgId: 'abc', toUser: 'bob', payload: Buffer.from('x') } });
    expect(decision).toMatchObject({ action: 'forward', topic: 'send', key: 'd:alice:bob', packet: 'msg:R' });
  });

  it('refuses a msg:R claiming another sender', () => {
    expect(decide({ msgR: { msgId: 'abc', toUser: 'bob', fromUser: 'carol' } })).toMatchObject({
      action: 'refuse',
      code: ErrorCode.SENDER_MISMATCH,
      msgId: 'abc',
    });
    expect(decide({ msgR: { msgId: 'abc', toUser: 'bob', fromUser: 'alice' } })).toMatchObject({ action: 'forward' });
  });

  it('refuses malformed bytes, oversize frames and payloads, bad msg ids, self sends', () => {
    expect(decideClientFrame(Buffer.from([0xff, 0x00, 0x13]), alice, limits)).toMatchObject({ code: ErrorCode.MALFORMED_FRAME });
    expect(decideClientFrame(new Uint8Array(2000), alice, limits)).toMatchObject({ code: ErrorCode.FRAME_TOO_LARGE });
    expect(decide({ msgR: { msgId: 'abc', toUser: 'bob', payload: new Uint8Array(101) } })).toMatchObject({ code: ErrorCode.PAYLOAD_TOO_LARGE });
    expect(decide({ msgR: { msgId: 'a b', toUser: 'bob' } })).toMatchObject({ code: ErrorCode.INVALID_MSG_ID });
    expect(decide({ msgR: { msgId: 'ok', toUser: 'no:colons' } })).toMatchObject({ code: ErrorCode.UNKNOWN_CONVERSATION });
    expect(decide({ msgR: { msgId: 'ok', toUser: 'alice' } })).toMatchObject({ code: ErrorCode.SELF_CONVERSATION });
  });

  it('forwards any client_seq the sequencer can compare exactly, and refuses one past 2^53 - 1', () => {
    expect(decide({ msgR: { msgId: 'ok', toUser: 'bob', clientSeq: Number.MAX_SAFE_INTEGER } })).toMatchObject({ action: 'forward' });
    expect(decide({ msgR: { msgId: 'ok', toUser: 'bob', clientSeq: 2 ** 53 } })).toMatchObject({
      action: 'refuse',
      code: ErrorCode.INVALID_FIELD,
      msgId: 'ok',
    });
  });

  it('refuses server-only packets', () => {
    expect(decide({ msgA: { msgId: 'x' } })).toMatchObject({ code: ErrorCode.UNEXPECTED_PACKET });
    expect(decide({ welcome: {} })).toMatchObject({ code: ErrorCode.UNEXPECTED_PACKET });
  });

  it('answers ping locally and routes acks by conversation, pulls by user', () => {
    expect(decide({ ping: { nonce: 9 } })).toEqual({ action: 'pong', nonce: 9 });
    expect(decide({ ackR: { conversation: 'd:alice:bob', position: { epoch: 'e', seq: 3 } } })).toMatchObject({
      action: 'forward',
      topic: 'deliver',
      key: 'd:alice:bob',
    });
    expect(decide({ offlineR: { limit: 10 } })).toMatchObject({ action: 'forward', topic: 'deliver', key: 'alice' });
  });

  it('refuses an offline:R whose cursor the server never issued with INVALID_CURSOR, and forwards the ones it issues', () => {
    for (const cursor of ['0', 'abc', 'x'.repeat(900), 'd:alice:bob|e1|1', 'd:bob:alice|e1|00000000000000000001', 'd:alice:bob|e1|99999999999999999999']) {
      expect(decide({ offlineR: { limit: 10, cursor } })).toMatchObject({ action: 'refuse', code: ErrorCode.INVALID_CURSOR });
    }
    for (const cursor of ['', 'd:alice:bob|0lmx2k9qa7f3kq0zb|00000000000000000007', 'g:team-1|e1|00000000000000000001']) {
      expect(decide({ offlineR: { limit: 10, cursor } })).toMatchObject({ action: 'forward', packet: 'offline:R' });
    }
  });

  it('refuses positions the server never issues (seq past 2^53 - 1, odd epochs) with INVALID_FIELD, in ack:R, sync:R and offlineack:R', () => {
    // Found by the request fuzz: a sync:R after seq 2^63 made delivery's message store throw.
    const bad = [
      { epoch: 'e1', seq: 2 ** 63 },
      { epoch: 'e1', seq: -1 },
      { epoch: 'a|b', seq: 1 },
      { epoch: 'x'.repeat(65), seq: 1 },
    ];
    for (const position of bad) {
      expect(decide({ ackR: { conversation: 'd:alice:bob', position } })).toMatchObject({ action: 'refuse', code: ErrorCode.INVALID_FIELD });
      expect(decide({ syncR: { requestId: 'r1', conversation: 'd:alice:bob', after: position } })).toMatchObject({ action: 'refuse', code: ErrorCode.INVALID_FIELD, msgId: 'r1' });
      expect(decide({ offlineackR: { refs: [{ conversation: 'd:alice:bob', position: { epoch: 'e1', seq: 1 } }, { conversation: 'd:alice:bob', position }] } })).toMatchObject({ action: 'refuse', code: ErrorCode.INVALID_FIELD });
    }
    expect(decide({ syncR: { requestId: 'r1', conversation: 'd:alice:bob', after: { epoch: '', seq: 2 ** 60 } } })).toMatchObject({ code: ErrorCode.INVALID_FIELD });
    const good = { epoch: '0lmx2k9qa7f3kq0zb', seq: Number.MAX_SAFE_INTEGER };
    expect(decide({ ackR: { conversation: 'd:alice:bob', position: good } })).toMatchObject({ action: 'forward' });
    expect(decide({ syncR: { requestId: 'r1', conversation: 'd:alice:bob', after: good } })).toMatchObject({ action: 'forward' });
    expect(decide({ syncR: { requestId: 'r1', conversation: 'd:alice:bob' } })).toMatchObject({ action: 'forward' });
    expect(decide({ syncR: { requestId: 'r1', conversation: 'd:alice:bob', after: { epoch: '', seq: 0 } } })).toMatchObject({ action: 'forward' });
    expect(decide({ offlineackR: { refs: [{ conversation: 'd:alice:bob', position: good }] } })).toMatchObject({ action: 'forward' });
  });

  it("refuses an ack for someone else's conversation", () => {
    expect(decide({ ackR: { conversation: 'd:bob:carol', position: { epoch: 'e', seq: 1 } } })).toMatchObject({
      code: ErrorCode.NOT_A_MEMBER,
    });
  });
});

describe('the per-connection rate limit', () => {
  it('allows the burst, then refills at the rate', () => {
    const bucket = { tokens: 4, refilledAt: 0 };
    const taken = [1, 2, 3, 4, 5].map(() => takeToken(bucket, 0, 2, 4));
    expect(taken).toEqual([true, true, true, true, false]);
    expect(takeToken(bucket, 499, 2, 4)).toBe(false);
    expect(takeToken(bucket, 500, 2, 4)).toBe(true);
  });
});

describe('read:R and typing:R at the edge', () => {
  const position = { epoch: 'e1', seq: 4 };

  it('forwards a read:R of a conversation the user can be in to the deliver topic, keyed by it', () => {
    expect(decide({ readR: { conversation: 'd:alice:bob', position } })).toMatchObject({ action: 'forward', topic: 'deliver', key: 'd:alice:bob', packet: 'read:R' });
    expect(decide({ readR: { conversation: 'g:team', position } })).toMatchObject({ action: 'forward', topic: 'deliver', key: 'g:team', packet: 'read:R' });
  });

  it('refuses a read:R without a position the server could have issued, or of a 1:1 conversation of others', () => {
    expect(decide({ readR: { conversation: 'd:alice:bob' } })).toMatchObject({ action: 'refuse', code: ErrorCode.INVALID_FIELD });
    expect(decide({ readR: { conversation: 'd:alice:bob', position: { epoch: 'e1', seq: 0 } } })).toMatchObject({ code: ErrorCode.INVALID_FIELD });
    expect(decide({ readR: { conversation: 'd:alice:bob', position: { epoch: 'e|1', seq: 3 } } })).toMatchObject({ code: ErrorCode.INVALID_FIELD });
    expect(decide({ readR: { conversation: 'd:bob:carol', position } })).toMatchObject({ code: ErrorCode.NOT_A_MEMBER });
  });

  it('keeps typing:R at the gateway (never the bus) and refuses one of a 1:1 conversation of others', () => {
    expect(decide({ typingR: { conversation: 'd:alice:bob' } })).toEqual({ action: 'typing', conversation: 'd:alice:bob' });
    expect(decide({ typingR: { conversation: 'g:team' } })).toEqual({ action: 'typing', conversation: 'g:team' });
    expect(decide({ typingR: { conversation: 'd:bob:carol' } })).toMatchObject({ action: 'refuse', code: ErrorCode.NOT_A_MEMBER });
    expect(decide({ typingR: {} })).toMatchObject({ action: 'refuse', code: ErrorCode.NOT_A_MEMBER });
  });

  it('refuses read:N and typing:N from a client: the server sends them', () => {
    expect(decide({ readN: { conversation: 'd:alice:bob', user: 'bob', position } })).toMatchObject({ code: ErrorCode.UNEXPECTED_PACKET });
    expect(decide({ typingN: { conversation: 'd:alice:bob', user: 'bob' } })).toMatchObject({ code: ErrorCode.UNEXPECTED_PACKET });
  });
});
