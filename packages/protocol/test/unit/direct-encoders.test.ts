// The hand-written encoders write exactly the bytes of protobufjs' generated encode: every
// combination of fields set and unset, set to defaults or to null, strings of every length
// and character, 64-bit values past 2^32 and odd ones (negative, fractional, strings),
// decoded messages (unset fields read from the prototype), and the shapes they hand back to
// protobufjs. Checked through the codec's functions, which the services call.
import fc from 'fast-check';
import {
  encodeClientPacketDirect,
  encodeDeliveryCommandDirect,
  encodeDownlinkBatchDirect,
  encodeFrameDirect,
  encodeStoredMessageDirect,
} from '../../src/direct-encoders';
import { encodeClientPacket, encodeDeliveryCommand, encodeDownlinkBatch, encodeFrame, encodeStoredMessage, parley, type FrameInit } from '../../src';

const v1 = parley.v1;
type Fields = Record<string, unknown>;

const position = { epoch: '0mxcr6vqmcrc1p0uq', seq: 42 };
const origin = { gatewayId: 'gw-1', connectionId: 'c-AbCdEfGh', userId: 'alice', receivedAtMs: 1_765_000_000_123, deviceId: 'phone' };

/** Every subset of `full`'s fields (2^n objects, the fields in their order). */
function subsets(full: Fields): Fields[] {
  const keys = Object.keys(full);
  const out: Fields[] = [];
  for (let mask = 0; mask < 1 << keys.length; mask += 1) {
    const o: Fields = {};
    keys.forEach((k, i) => {
      if (mask & (1 << i)) o[k] = full[k];
    });
    out.push(o);
  }
  return out;
}

/** A fully set sample of each packet written by hand, and one with every field at its default. */
const PACKETS: Record<string, { full: Fields; defaults: Fields }> = {
  msgR: {
    full: { msgId: 'm1', toUser: 'bob', payload: Buffer.alloc(64, 7), clientSeq: 7, fromUser: 'alice', conversation: 'd:alice:bob' },
    defaults: { msgId: '', toUser: '', payload: Buffer.alloc(0), clientSeq: 0, fromUser: '', conversation: '' },
  },
  msgA: {
    full: { msgId: 'm1', conversation: 'd:alice:bob', position, serverTimeMs: 1_765_000_000_123 },
    defaults: { msgId: '', conversation: '', position: {}, serverTimeMs: 0 },
  },
  msgN: {
    full: { conversation: 'd:alice:bob', position, msgId: 'm1', fromUser: 'alice', payload: Buffer.alloc(300, 1), serverTimeMs: 1_765_000_000_123, clientSeq: 3 },
    defaults: { conversation: '', position: { epoch: '', seq: 0 }, msgId: '', fromUser: '', payload: new Uint8Array(0), serverTimeMs: 0, clientSeq: 0 },
  },
  ackR: { full: { conversation: 'd:alice:bob', position }, defaults: { conversation: '', position: {} } },
  ackA: { full: { conversation: 'd:alice:bob', position }, defaults: { conversation: '', position: {} } },
  ackN: {
    full: { conversation: 'd:alice:bob', position, msgId: 'm1', toUser: 'bob', status: 2 },
    defaults: { conversation: '', position: {}, msgId: '', toUser: '', status: 0 },
  },
};

const storedFull: Fields = {
  conversation: 'd:alice:bob',
  position,
  msgId: 'm1',
  fromUser: 'alice',
  toUsers: ['bob', 'carol'],
  payload: Buffer.alloc(64, 7),
  serverTimeMs: 1_765_000_000_123,
  clientSeq: 9,
  receivedAtMs: 1_765_000_000_100,
};

const bytesOf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The same bytes (compared as bytes; shown in hex when they differ). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  if (!bytesOf(actual).equals(bytesOf(expected))) expect(bytesOf(actual).toString('hex')).toBe(bytesOf(expected).toString('hex'));
}

describe('the hand-written frame encoder', () => {
  it('writes each 1:1 packet as Frame.encode does, with every subset of its fields set', () => {
    for (const [kind, { full, defaults }] of Object.entries(PACKETS)) {
      for (const sample of [...subsets(full), ...subsets(defaults)]) {
        const frame = { [kind]: sample } as FrameInit;
        const direct = encodeFrameDirect(frame);
        expect(direct).toBeDefined();
        expectSameBytes(direct!, bytesOf(v1.Frame.encode(frame).finish()));
        expectSameBytes(encodeFrame(frame), bytesOf(direct!));
      }
    }
  });

  it('writes nothing for fields set to null or undefined, as protobufjs', () => {
    for (const [kind, { full }] of Object.entries(PACKETS)) {
      for (const key of Object.keys(full)) {
        for (const empty of [null, undefined]) {
          const frame = { [kind]: { ...full, [key]: empty } } as FrameInit;
          expectSameBytes(encodeFrameDirect(frame)!, bytesOf(v1.Frame.encode(frame).finish()));
        }
      }
    }
  });

  it('writes a decoded frame (its unset fields on the prototype) as it was written', () => {
    for (const [kind, { full }] of Object.entries(PACKETS)) {
      for (const sample of subsets(full)) {
        const bytes = v1.Frame.encode({ [kind]: sample }).finish();
        const decoded = v1.Frame.decode(bytes);
        expectSameBytes(encodeFrameDirect(decoded)!, bytesOf(bytes));
      }
    }
  });

  it('leaves frames of other packets, several packets or none to protobufjs', () => {
    const several = { ackA: { conversation: 'c', position }, ackN: { msgId: 'm1' } } as FrameInit;
    for (const frame of [{}, several, { ping: { nonce: 1 } }, { msgA: null, ping: { nonce: 1 } } as unknown as FrameInit, { welcome: {} }]) {
      expect(encodeFrameDirect(frame)).toBeUndefined();
      expectSameBytes(encodeFrame(frame), bytesOf(v1.Frame.encode(frame).finish()));
    }
    // One hot packet beside a null one is still that one packet.
    const withNull = { msgA: null, ackR: { conversation: 'c', position } } as unknown as FrameInit;
    expectSameBytes(encodeFrameDirect(withNull)!, bytesOf(v1.Frame.encode(withNull).finish()));
  });

  it('writes strings, payloads and 64-bit values of any kind as protobufjs', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('x'.repeat(39), 'é'.repeat(40), 'y'.repeat(200), '\ud800', 'a\udc00b'));
    const uint64 = fc.oneof(
      fc.nat(),
      fc.maxSafeNat(),
      fc.constantFrom(0, 127, 128, 16_383, 16_384, 2 ** 28, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 35, 2 ** 53 - 1, 2 ** 63, -1, -(2 ** 40), 0.5, 1_765_000_000_123),
      fc.integer({ min: 0, max: 2 ** 20 }).map(String),
    );
    const payload = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(Buffer.alloc(20_000, 3), 'aGVsbG8=', ''));
    fc.assert(
      fc.property(text, text, text, uint64, uint64, payload, fc.integer({ min: -3, max: 2 ** 31 - 1 }), (a, b, c, n1, n2, p, status) => {
        const pos = { epoch: a, seq: n1 };
        const frames: FrameInit[] = [
          { msgR: { msgId: a, toUser: b, payload: p as Uint8Array, clientSeq: n2, fromUser: c, conversation: b } },
          { msgA: { msgId: a, conversation: b, position: pos, serverTimeMs: n2 } },
          { msgN: { conversation: a, position: pos, msgId: b, fromUser: c, payload: p as Uint8Array, serverTimeMs: n2, clientSeq: n1 } },
          { ackR: { conversation: c, position: pos } },
          { ackA: { conversation: c, position: pos } },
          { ackN: { conversation: a, position: pos, msgId: b, toUser: c, status } },
        ];
        for (const frame of frames) expectSameBytes(encodeFrameDirect(frame)!, bytesOf(v1.Frame.encode(frame).finish()));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the hand-written bus record encoders', () => {
  it('write a StoredMessage as StoredMessage.encode does, with every subset of its fields set', () => {
    const defaults = { conversation: '', position: {}, msgId: '', fromUser: '', toUsers: [], payload: Buffer.alloc(0), serverTimeMs: 0, clientSeq: 0, receivedAtMs: 0 };
    for (const m of [...subsets(storedFull), ...subsets(defaults)]) {
      const expected = bytesOf(v1.StoredMessage.encode(m).finish());
      expectSameBytes(encodeStoredMessageDirect(m), expected);
      expectSameBytes(encodeStoredMessage(m), expected);
      // Decoded (repeated fields own, the rest on the prototype when unset) it encodes the same.
      expectSameBytes(encodeStoredMessageDirect(v1.StoredMessage.decode(expected)), expected);
    }
  });

  it('write a ClientPacket with every subset of its origin and each packet of its frame as ClientPacket.encode does', () => {
    const frames = [undefined, null, {}, ...Object.entries(PACKETS).map(([kind, { full }]) => ({ [kind]: full }))];
    for (const o of [undefined, null, ...subsets(origin)]) {
      for (const frame of frames) {
        const p = { origin: o, frame } as parley.v1.IClientPacket;
        const expected = bytesOf(v1.ClientPacket.encode(p).finish());
        expectSameBytes(encodeClientPacket(p), expected);
        // A frame with no packet is left to protobufjs; every other is written by hand.
        expect(encodeClientPacketDirect(p) === undefined).toBe(frame != null && Object.keys(frame).length === 0);
        expectSameBytes(encodeClientPacket(v1.ClientPacket.decode(expected)), expected);
      }
    }
  });

  it('write a DeliveryCommand carrying a Sequenced or a ClientPacket as DeliveryCommand.encode does', () => {
    const sequenceds = [
      ...subsets({ message: storedFull, duplicate: true, origin }),
      { message: {}, duplicate: false, origin: {} },
      { message: storedFull, duplicate: false, origin },
    ];
    const client = { origin, frame: { ackR: { conversation: 'd:alice:bob', position } } };
    const commands: parley.v1.IDeliveryCommand[] = [
      {},
      ...sequenceds.map((sequenced) => ({ sequenced })),
      { client },
      { client: { origin, frame: { offlineR: { limit: 5 } } } },
      { sequenced: sequenceds[7], client },
      { sequenced: null, client: undefined },
    ];
    for (const c of commands) {
      const expected = bytesOf(v1.DeliveryCommand.encode(c).finish());
      expectSameBytes(encodeDeliveryCommand(c), expected);
      expectSameBytes(encodeDeliveryCommand(v1.DeliveryCommand.decode(expected)), expected);
    }
    expect(encodeDeliveryCommandDirect({ sequenced: sequenceds[7] })).toBeDefined();
    expect(encodeDeliveryCommandDirect({ client })).toBeDefined();
    // Other shapes are protobufjs': an app event, a client frame of another packet.
    const event = { appEvent: { atMs: 5, userConnection: { userId: 'alice', connected: true } } };
    expect(encodeDeliveryCommandDirect(event)).toBeUndefined();
    expectSameBytes(encodeDeliveryCommand(event), bytesOf(v1.DeliveryCommand.encode(event).finish()));
    expect(encodeDeliveryCommandDirect({ client: { origin, frame: { offlineR: { limit: 5 } } } })).toBeUndefined();
  });

  it('write a DownlinkBatch with items of every field subset as DownlinkBatch.encode does', () => {
    const full = {
      userId: 'bob',
      connectionId: 'c1',
      frame: encodeFrame({ msgN: PACKETS.msgN!.full }),
      moreUserIds: ['carol', 'dave'],
      exceptConnectionId: 'c0',
      closeCode: 4008,
      closeReason: 'revoked',
    };
    const items = subsets(full);
    for (const batch of [{}, { items: [] }, { items }, ...items.map((item) => ({ items: [item] }))]) {
      const expected = bytesOf(v1.DownlinkBatch.encode(batch).finish());
      expectSameBytes(encodeDownlinkBatchDirect(batch), expected);
      expectSameBytes(encodeDownlinkBatch(batch), expected);
      expectSameBytes(encodeDownlinkBatch(v1.DownlinkBatch.decode(expected)), expected);
    }
  });

  it('hand back a buffer of its own for each record (what a caller keeps is not overwritten by the next)', () => {
    const first = encodeStoredMessage(storedFull);
    const copy = Buffer.from(first);
    encodeStoredMessage({ ...storedFull, msgId: 'other', payload: Buffer.alloc(64, 9) });
    expectSameBytes(first, copy);
  });

  it('keep every record it handed out intact through many more, short and long (past its slab, moved mid-write, given their own buffer)', () => {
    const records = Array.from({ length: 400 }, (_, i) => ({ ...storedFull, msgId: `m${i}`, clientSeq: i, payload: Buffer.alloc((i * 797) % 9000, i % 251) }));
    const encoded = records.map((m) => encodeStoredMessage(m));
    records.forEach((m, i) => expectSameBytes(encoded[i]!, v1.StoredMessage.encode(m).finish()));
  });
});
