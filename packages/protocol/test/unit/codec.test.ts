import {
  decodeFrame,
  directConversationId,
  directPeer,
  encodeFrame,
  ErrorCode,
  MalformedFrameError,
  asUserId,
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
