import {
  decodeFrame,
  directConversationId,
  directPeer,
  encodeFrame,
  ErrorCode,
  MalformedFrameError,
  asUserId,
  parley,
  PACKET_KINDS,
  type FrameInit,
} from '../../src';

describe('frame codec', () => {
  it('round-trips a msg:R', () => {
    const bytes = encodeFrame({ msgR: { msgId: 'm1', toUser: 'bob', payload: Buffer.from('hi'), clientSeq: 7 } });
    const frame = decodeFrame(bytes);
    expect(frame.packet).toBe('msgR');
    expect(frame.msgR?.toUser).toBe('bob');
    expect(Buffer.from(frame.msgR!.payload).toString()).toBe('hi');
    expect(frame.msgR?.clientSeq).toBe(7);
  });

  it('refuses garbage with MALFORMED_FRAME', () => {
    expect(() => decodeFrame(Buffer.from([0xff, 0xff, 0xff]))).toThrow(MalformedFrameError);
    try {
      decodeFrame(Buffer.from([0x0a, 0x05, 0x01]));
    } catch (err) {
      expect((err as MalformedFrameError).code).toBe(ErrorCode.MALFORMED_FRAME);
    }
  });

  it('refuses a frame with no packet', () => {
    expect(() => decodeFrame(new Uint8Array(0))).toThrow(/no packet/);
  });
});

describe('1:1 conversation ids', () => {
  const alice = asUserId('alice');
  const bob = asUserId('bob');

  it('are the same whoever sends', () => {
    expect(directConversationId(alice, bob)).toBe(directConversationId(bob, alice));
    expect(directConversationId(alice, bob)).toBe('d:alice:bob');
  });

  it('name each member the peer of the other and nobody else', () => {
    const id = directConversationId(alice, bob);
    expect(directPeer(id, alice)).toBe('bob');
    expect(directPeer(id, bob)).toBe('alice');
    expect(directPeer(id, asUserId('mallory'))).toBeUndefined();
  });
});

describe('encodeFrame', () => {
  const position = { epoch: '0mxcr6vqmcrc1p0uq', seq: 42 };
  /** One frame of every packet, with a few fields set (and an empty one for each). */
  const samples: FrameInit[] = [
    { msgR: { msgId: 'm1', toUser: 'bob', payload: Buffer.from('hi'), clientSeq: 7 } },
    { msgA: { msgId: 'm1', conversation: 'd:alice:bob', position, serverTimeMs: 1_700_000_000_000 } },
    { msgN: { conversation: 'd:alice:bob', position, msgId: 'm1', fromUser: 'alice', payload: Buffer.alloc(64, 7), serverTimeMs: 1_700_000_000_000, clientSeq: 3 } },
    { ackR: { conversation: 'd:alice:bob', position } },
    { ackA: { conversation: 'd:alice:bob', position } },
    { ackN: { conversation: 'd:alice:bob', position, msgId: 'm1', toUser: 'bob', status: 1 } },
    { offlineR: { limit: 10, cursor: 'c' } },
    { offlineA: { messages: [{ msgId: 'm1', position }], hasMore: true, nextCursor: 'n' } },
    { offlineackR: { refs: [{ conversation: 'd:alice:bob', position }] } },
    { ping: { nonce: 5 } },
    { pong: { nonce: 5, serverTimeMs: 1 } },
    { welcome: { heartbeatIntervalMs: 25_000 } },
    { error: { code: ErrorCode.MALFORMED_FRAME, message: 'no', msgId: 'm1', retryable: true } },
    { groupR: { requestId: 'r1', create: { groupId: 'g1', members: ['a', 'b'] } } },
    { groupA: { requestId: 'r1', conversation: 'g:g1', members: ['a', 'b'] } },
    { syncR: { requestId: 'r1', conversation: 'g:g1', after: position, limit: 5 } },
    { syncA: { requestId: 'r1', conversation: 'g:g1', messages: [{ msgId: 'm' }] } },
    { conversationsR: { requestId: 'r1', limit: 3 } },
    { conversationsA: { requestId: 'r1' } },
    { resyncN: {} },
    { readR: { conversation: 'g:g1', position } },
    { readN: { conversation: 'g:g1', position, user: 'a' } },
    { typingR: { conversation: 'g:g1' } },
    { typingN: { conversation: 'g:g1', user: 'a' } },
  ];
  const expected = (frame: FrameInit) => Buffer.from(parley.v1.Frame.encode(frame).finish());

  it('writes every packet byte for byte as Frame.encode does, set or empty', () => {
    expect(new Set(samples.map((f) => Object.keys(f)[0]))).toEqual(new Set(PACKET_KINDS));
    for (const frame of samples) {
      expect(Buffer.from(encodeFrame(frame))).toEqual(expected(frame));
      const empty = { [Object.keys(frame)[0]!]: {} } as FrameInit;
      expect(Buffer.from(encodeFrame(empty))).toEqual(expected(empty));
      expect(decodeFrame(encodeFrame(frame)).packet).toBe(Object.keys(frame)[0]);
    }
  });

  it('writes a frame with no packet or with several as Frame.encode does', () => {
    const several = { ackA: { conversation: 'c', position }, ackN: { msgId: 'm1' } } as FrameInit;
    const withNull = { msgA: null, ping: { nonce: 1 } } as unknown as FrameInit;
    for (const frame of [{}, several, withNull, { msgA: undefined } as FrameInit]) expect(Buffer.from(encodeFrame(frame))).toEqual(expected(frame));
    // A decoded frame (its unset packets read from the prototype) encodes as it was written.
    const decoded = decodeFrame(encodeFrame(samples[2]!));
    expect(Buffer.from(encodeFrame(decoded))).toEqual(expected(samples[2]!));
  });
});
