import { asUserId, encodeFrame, ErrorCode } from '@parley/protocol';
import { decodeInboundFrame } from '../../src/inbound-frame';
import { FULL_BUCKET, takeToken, tokenWaitMs } from '../../src/rate-limiter';

const alice = asUserId('alice');
const limits = { maxFrameBytes: 1024, maxPayloadBytes: 100, maxGroupMembers: 3 };
const decide = (frame: Parameters<typeof encodeFrame>[0]) => decodeInboundFrame(encodeFrame(frame), alice, limits);

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
    expect(decodeInboundFrame(Buffer.from([0xff, 0x00, 0x13]), alice, limits)).toMatchObject({ code: ErrorCode.MALFORMED_FRAME });
    expect(decodeInboundFrame(new Uint8Array(2000), alice, limits)).toMatchObject({ code: ErrorCode.FRAME_TOO_LARGE });
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
    let fullAt: number | undefined = FULL_BUCKET;
    const taken = [1, 2, 3, 4, 5].map(() => {
      const next = takeToken(fullAt!, 0, 2, 4);
      if (next !== undefined) fullAt = next;
      return next !== undefined;
    });
    expect(taken).toEqual([true, true, true, true, false]);
    expect(takeToken(fullAt, 499, 2, 4)).toBeUndefined();
    expect(tokenWaitMs(fullAt, 499, 2, 4)).toBe(1);
    expect(takeToken(fullAt, 500, 2, 4)).toBe(2_500);
    expect(takeToken(fullAt, 2_000, 2, 4)).toBe(2_500); // full again: the bucket starts from now
    expect(takeToken(fullAt, 10_000, 2, 4)).toBe(10_500);
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

describe('the record each valid frame becomes', () => {
  it('a msg:R: keyed by its conversation, naming its msg_id, carrying the frame on as the client wrote it', () => {
    const frame = { msgR: { msgId: 'm1', toUser: 'bob', clientSeq: 2, payload: Buffer.from('hi') } };
    const decoded = decide(frame);
    expect(decoded).toMatchObject({ action: 'forward', topic: 'send', key: 'd:alice:bob', packet: 'msg:R', msgId: 'm1' });
    if (decoded.action === 'forward') expect(encodeFrame(decoded.frame)).toEqual(encodeFrame(frame));
    expect(decide({ msgR: { msgId: 'm2', conversation: 'g:team' } })).toMatchObject({ action: 'forward', key: 'g:team', msgId: 'm2' });
  });

  it('a group:R: keyed by the group, with no msg_id (its request_id names it)', () => {
    const create = decide({ groupR: { requestId: 'r1', create: { groupId: 'team', members: ['bob'] } } });
    expect(create).toMatchObject({ action: 'forward', topic: 'send', key: 'g:team', packet: 'group:R' });
    expect(create).not.toHaveProperty('msgId');
    expect(decide({ groupR: { requestId: 'r2', change: { conversation: 'g:team', add: ['carol'] } } })).toMatchObject({ action: 'forward', key: 'g:team' });
    expect(decide({ groupR: { requestId: 'r3', list: { conversation: 'g:team' } } })).toMatchObject({ action: 'forward', key: 'g:team' });
  });

  it('pulls of the own inbox and conversation list: keyed by the user', () => {
    expect(decide({ conversationsR: {} })).toMatchObject({ action: 'forward', topic: 'deliver', key: 'alice', packet: 'conversations:R' });
    expect(decide({ offlineackR: { refs: [] } })).toMatchObject({ action: 'forward', topic: 'deliver', key: 'alice', packet: 'offlineack:R' });
  });
});

describe('the error each invalid frame becomes', () => {
  it('a msg:R naming both a recipient and a group, or a conversation that is not a group', () => {
    expect(decide({ msgR: { msgId: 'm1', toUser: 'bob', conversation: 'g:team' } })).toEqual(
      expect.objectContaining({ action: 'refuse', code: ErrorCode.INVALID_FIELD, msgId: 'm1' }),
    );
    expect(decide({ msgR: { msgId: 'm1', conversation: 'd:alice:bob' } })).toMatchObject({ code: ErrorCode.UNKNOWN_CONVERSATION, msgId: 'm1' });
    expect(decide({ msgR: { toUser: 'bob' } })).toMatchObject({ code: ErrorCode.INVALID_MSG_ID, msgId: '' });
  });

  it('a group:R without a valid request id, group id, kind, group conversation, user ids, or over the member limit', () => {
    expect(decide({ groupR: { create: { groupId: 'team' } } })).toMatchObject({ code: ErrorCode.INVALID_FIELD, msgId: '' });
    expect(decide({ groupR: { requestId: 'r1', create: { groupId: 'a b' } } })).toMatchObject({ code: ErrorCode.INVALID_FIELD, msgId: 'r1' });
    expect(decide({ groupR: { requestId: 'r1' } })).toMatchObject({ code: ErrorCode.INVALID_FIELD, msgId: 'r1' });
    expect(decide({ groupR: { requestId: 'r1', list: { conversation: 'd:alice:bob' } } })).toMatchObject({ code: ErrorCode.UNKNOWN_CONVERSATION, msgId: 'r1' });
    expect(decide({ groupR: { requestId: 'r1', change: { conversation: 'g:team', add: ['no:colons'] } } })).toMatchObject({ code: ErrorCode.INVALID_FIELD, msgId: 'r1' });
    expect(decide({ groupR: { requestId: 'r1', create: { groupId: 'team', members: ['a', 'b', 'c', 'd'] } } })).toMatchObject({ code: ErrorCode.GROUP_LIMIT, msgId: 'r1' });
  });

  it('an ack:R or read:R without a position, and a sync:R of a 1:1 conversation of others, naming its request id', () => {
    expect(decide({ ackR: { conversation: 'd:alice:bob' } })).toMatchObject({ code: ErrorCode.INVALID_FIELD });
    expect(decide({ ackR: { conversation: 'd:alice:bob', position: { epoch: 'e1' } } })).toMatchObject({ code: ErrorCode.INVALID_FIELD });
    expect(decide({ syncR: { requestId: 'r9', conversation: 'd:bob:carol' } })).toMatchObject({ code: ErrorCode.NOT_A_MEMBER, msgId: 'r9' });
  });

  it('bytes with no packet set are malformed', () => {
    expect(decodeInboundFrame(encodeFrame({}), alice, limits)).toMatchObject({ action: 'refuse', code: ErrorCode.MALFORMED_FRAME });
  });
});
