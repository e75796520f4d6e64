// The HTTP fallback's body format is protobuf's length-delimited framing, byte for byte:
// what protobufjs's encodeDelimited writes we read, and what we write it reads.
// (Our generated code is built without the *Delimited methods; `reference` below is the body
// protobufjs generates for them. protobufjs is a dependency of this package.)
import { Reader } from 'protobufjs/minimal';
import { decodeDelimited, encodeDelimited, encodeFrame, ErrorCode, FrameInit, framesForBody, MalformedFrameError, parley } from '../../src';

const Frame = parley.v1.Frame;
/** protobufjs's reference framing. */
const reference = {
  encodeDelimited: (frame: FrameInit): Uint8Array => Frame.encode(frame).ldelim().finish(),
  decodeDelimited: (bytes: Uint8Array) => {
    const reader = Reader.create(bytes);
    return Frame.decode(reader, reader.uint32());
  },
};
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
// Payload sizes whose length prefixes take 1, 2, 3 and 4 varint bytes, at and around each boundary.
const sizes = [0, 1, 100, 127, 128, 300, 16_383, 16_384, 70_000, 2_097_152];
const frameOf = (payloadBytes: number): FrameInit => ({ msgR: { msgId: `m${payloadBytes}`, toUser: 'bob', payload: new Uint8Array(payloadBytes).fill(7) } });

describe('length-delimited frames', () => {
  it('writes exactly what protobufjs encodeDelimited writes', () => {
    for (const size of sizes) {
      const frame = frameOf(size);
      expect({ size, same: sameBytes(encodeDelimited([encodeFrame(frame)]), reference.encodeDelimited(frame)) }).toEqual({ size, same: true });
    }
  });

  it('reads a body of several protobufjs encodeDelimited frames, in order', () => {
    const frames = sizes.map(frameOf);
    const body = Buffer.concat(frames.map(reference.encodeDelimited));
    const read = decodeDelimited(body);
    expect(read.map((bytes) => Frame.decode(bytes).msgR?.msgId)).toEqual(frames.map((f) => f.msgR?.msgId));
  });

  it('round-trips frames, and protobufjs decodeDelimited reads what it writes', () => {
    const frames = [encodeFrame({ ping: { nonce: 1 } }), new Uint8Array(0), encodeFrame(frameOf(200))];
    const body = encodeDelimited(frames);
    expect(decodeDelimited(body).map((f) => Buffer.from(f))).toEqual(frames.map((f) => Buffer.from(f)));
    expect(reference.decodeDelimited(body).ping?.nonce).toBe(1);
    expect(decodeDelimited(new Uint8Array(0))).toEqual([]);
    expect(encodeDelimited([])).toHaveLength(0);
  });

  it('refuses garbage as a malformed frame, all or nothing', () => {
    const good = encodeDelimited([encodeFrame({ ping: { nonce: 1 } })]);
    const garbage: Array<[string, Uint8Array]> = [
      ['a prefix cut off', Uint8Array.from([0xff])],
      ['a frame longer than the body', Uint8Array.from([0x05, 1, 2])],
      ['a good frame then a truncated one', Buffer.concat([good, Uint8Array.from([0x80, 0x80])])],
      ['a good frame then one running past the end', Buffer.concat([good, Uint8Array.from([0x03, 0x08])])],
      ['a prefix over 32 bits', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x1f, 0x00])],
      ['a 6-byte prefix', Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x00])],
      ['a huge length', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01])],
    ];
    for (const [what, body] of garbage) {
      let thrown: unknown;
      try {
        decodeDelimited(body);
      } catch (err) {
        thrown = err;
      }
      expect({ what, malformed: thrown instanceof MalformedFrameError }).toEqual({ what, malformed: true });
      expect((thrown as MalformedFrameError).code).toBe(ErrorCode.MALFORMED_FRAME);
    }
  });

  it('accepts a non-minimal length prefix, as protobufjs does', () => {
    // 0x81 0x00 is 1 written in two bytes.
    expect(decodeDelimited(Uint8Array.from([0x81, 0x00, 0x2a])).map((f) => [...f])).toEqual([[0x2a]]);
  });
});

describe('framesForBody', () => {
  const frame = (bytes: number): Uint8Array => new Uint8Array(bytes);

  it('takes frames in order while the body, length prefixes included, stays within the limit', () => {
    // 1-byte prefix + 10 bytes each: 11, 22, 33.
    expect(framesForBody([frame(10), frame(10), frame(10)], 22)).toBe(2);
    expect(framesForBody([frame(10), frame(10), frame(10)], 21)).toBe(1);
    expect(framesForBody([frame(10), frame(10), frame(10)], 1000)).toBe(3);
  });

  it('never skips ahead: a small frame behind one that does not fit waits for the next body', () => {
    expect(framesForBody([frame(10), frame(200), frame(1)], 50)).toBe(1);
  });

  it('sends a single frame larger than the limit alone, and nothing from no frames', () => {
    expect(framesForBody([frame(300), frame(1)], 100)).toBe(1);
    expect(framesForBody([], 100)).toBe(0);
  });

  it('counts a 2-byte length prefix for a frame of 128 bytes or more', () => {
    expect(framesForBody([frame(128), frame(1)], 131)).toBe(1);
    expect(framesForBody([frame(128), frame(1)], 132)).toBe(2);
  });
});
