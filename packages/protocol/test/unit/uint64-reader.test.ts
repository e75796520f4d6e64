// uint64 fields are read without protobufjs' LongBits but to the same number, leaving the
// reader at the same position, and failing as it does on truncated or overlong varints.
import fc from 'fast-check';
import { configure, Reader, Writer } from 'protobufjs/minimal';
import { decodeFrame, encodeFrame, parley } from '../../src';

// Loading the package installed its reader; protobufjs' own is what configure() sets.
const installed = Reader.prototype.uint64;
configure();
const original = Reader.prototype.uint64;
Reader.prototype.uint64 = installed;

type Outcome = { value: unknown; pos: number } | { error: string; name: string };

function read(method: () => unknown, bytes: Uint8Array, from: number): Outcome {
  const reader = Reader.create(bytes);
  reader.pos = from;
  try {
    return { value: method.call(reader), pos: reader.pos };
  } catch (err) {
    return { error: (err as Error).message, name: (err as Error).name };
  }
}

const varint = (value: number): Uint8Array => Writer.create().uint64(value).finish();

describe('the uint64 reader', () => {
  it('is the one the generated code uses', () => {
    expect(installed).not.toBe(original);
    const frame = decodeFrame(encodeFrame({ msgA: { msgId: 'm', position: { epoch: 'e', seq: 2 ** 40 + 3 }, serverTimeMs: 1_765_000_000_123 } }));
    expect(frame.msgA!.position!.seq).toBe(2 ** 40 + 3);
    expect(frame.msgA!.serverTimeMs).toBe(1_765_000_000_123);
  });

  it('reads every varint length as protobufjs does, alone and followed by more bytes', () => {
    const values = [0, 1, 127, 128, 16_383, 16_384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 35, 2 ** 42, 2 ** 49, 2 ** 53 - 1, 2 ** 56, 2 ** 63, 2 ** 64 - 2 ** 11, -1];
    for (const value of values) {
      const bytes = varint(value);
      for (const tail of [0, 1, 4, 8]) {
        const padded = new Uint8Array(bytes.length + tail).fill(0x7f);
        padded.set(bytes);
        for (const input of [padded, Buffer.from(padded)]) expect(read(installed, input, 0)).toEqual(read(original, input, 0));
      }
    }
  });

  it('reads any bytes, truncated and overlong varints included, to the same value, position or error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 14 }), fc.nat(14), (bytes, from) => {
        const start = Math.min(from, bytes.length);
        for (const input of [bytes, Buffer.from(bytes)]) expect(read(installed, input, start)).toEqual(read(original, input, start));
      }),
      { numRuns: 5_000 },
    );
    const overlong = new Uint8Array(12).fill(0x80);
    expect(read(installed, overlong, 0)).toEqual({ error: 'invalid varint encoding', name: 'Error' });
    expect(read(installed, overlong, 0)).toEqual(read(original, overlong, 0));
    const truncated = new Uint8Array([0x80, 0x80]);
    expect(read(installed, truncated, 0)).toEqual(read(original, truncated, 0));
    expect('error' in read(installed, truncated, 0)).toBe(true);
  });

  it('decodes the bus records of a message to the same objects as protobufjs', () => {
    const stored = { conversation: 'd:a:b', position: { epoch: 'e1', seq: 7 }, msgId: 'm1', fromUser: 'a', toUsers: ['b'], payload: Buffer.from('hi'), serverTimeMs: 1_765_000_000_123, clientSeq: 9, receivedAtMs: 2 ** 53 - 1 };
    const bytes = parley.v1.StoredMessage.encode(stored).finish();
    const ours = parley.v1.StoredMessage.decode(bytes);
    Reader.prototype.uint64 = original;
    try {
      expect(ours).toEqual(parley.v1.StoredMessage.decode(bytes));
    } finally {
      Reader.prototype.uint64 = installed;
    }
  });
});
