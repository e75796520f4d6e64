// The msg:N scanner must read exactly what protobufjs' decoder reads, or say it cannot: frames
// encoded by protobufjs, the same fields in shuffled order, with unknown fields, repeated
// fields and an unknown top-level field, and frames it must leave to protobufjs (other
// packets, two packets, wrong wire types, huge numbers, truncated bytes).
import { decodeFrame, encodeFrame } from '@parley/protocol';
import { bytesEqual, clientSeqOfIdBytes, float64LEAt, newMsgNotifyFields, scanMsgNotify, type MsgNotifyFields } from '../../src/msg-notify-scan';

/** A tiny protobuf writer, to build frames protobufjs would never produce itself. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
};
const tag = (field: number, wireType: number): number[] => varint(field * 8 + wireType);
const len = (field: number, bytes: readonly number[]): number[] => [...tag(field, 2), ...varint(bytes.length), ...bytes];
const num = (field: number, n: number): number[] => [...tag(field, 0), ...varint(n)];
const str = (s: string): number[] => [...Buffer.from(s, 'utf8')];

/** A deterministic random source (the same cases every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const utf8 = (buf: Uint8Array, start: number, end: number): string => Buffer.from(buf.subarray(start, end)).toString('utf8');

/** What the scanner read, in protobufjs' terms. */
function scanned(buf: Uint8Array, f: MsgNotifyFields) {
  return {
    conversation: utf8(buf, f.conversationStart, f.conversationEnd),
    position: f.hasPosition ? { epoch: utf8(buf, f.epochStart, f.epochEnd), seq: f.seq } : null,
    msgId: utf8(buf, f.msgIdStart, f.msgIdEnd),
    fromUser: utf8(buf, f.fromStart, f.fromEnd),
    payload: Buffer.from(buf.subarray(f.payloadStart, f.payloadEnd)).toString('hex'),
    clientSeq: f.clientSeq,
  };
}

/** What protobufjs decoded (defaults for absent fields, as its generated getters give). */
function decoded(buf: Uint8Array) {
  const n = decodeFrame(buf).msgN!;
  return {
    conversation: n.conversation,
    position: n.position ? { epoch: n.position.epoch, seq: Number(n.position.seq) } : null,
    msgId: n.msgId,
    fromUser: n.fromUser,
    payload: Buffer.from(n.payload).toString('hex'),
    clientSeq: Number(n.clientSeq),
  };
}

const WORDS = ['g:lt1-g0', 'd:a:b', 'ltk3-17', 'é', '群组', '', 'm12', 'e-1a2b', 'x'.repeat(130)];

function randomNotify(r: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const big = (): number => Math.floor(r() * 2 ** (1 + Math.floor(r() * 48)));
  return {
    conversation: pick(WORDS),
    position: { epoch: pick(WORDS), seq: 1 + big() },
    msgId: pick(WORDS),
    fromUser: pick(WORDS),
    payload: Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256))),
    serverTimeMs: big(),
    clientSeq: big(),
  };
}

/** Unknown fields of every wire type, numbered past the schema's. */
function unknownFields(r: () => number, firstField: number): number[][] {
  const field = firstField + Math.floor(r() * 1000);
  return [num(field, Math.floor(r() * 2 ** 40)), [...tag(field + 1, 1), 1, 2, 3, 4, 5, 6, 7, 8], len(field + 2, str('unknown')), [...tag(field + 3, 5), 9, 9, 9, 9], [...tag(field, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]];
}

function shuffle<T>(xs: T[], r: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** The notify's fields by hand, shuffled, with unknown fields among them (and a repeated field first, which the later one overrides). */
function handEncoded(n: ReturnType<typeof randomNotify>, r: () => number): Uint8Array {
  const position = shuffle([len(1, str(n.position.epoch)), num(2, n.position.seq), ...unknownFields(r, 3).slice(0, Math.floor(r() * 3))], r).flat();
  const fields = shuffle(
    [len(1, str(n.conversation)), len(2, position), len(3, str(n.msgId)), len(4, str(n.fromUser)), len(5, [...n.payload]), num(6, n.serverTimeMs), num(7, n.clientSeq), ...unknownFields(r, 8)],
    r,
  );
  // Earlier occurrences of a field lose to the last one.
  const overridden = [len(1, str('stale')), len(2, [...len(1, str('stale')), ...num(2, 99)]), num(7, 12345)];
  const notify = [...overridden.slice(0, 1 + Math.floor(r() * 3)).flat(), ...fields.flat()];
  const frame = shuffle([len(3, notify), ...unknownFields(r, 25).slice(0, Math.floor(r() * 3))], r);
  return Uint8Array.from(frame.flat());
}

describe('scanMsgNotify', () => {
  const f = newMsgNotifyFields();

  it('reads every field of frames protobufjs encoded, as protobufjs decodes them', () => {
    const r = rng(1);
    for (let i = 0; i < 2000; i++) {
      const bytes = encodeFrame({ msgN: randomNotify(r) });
      expect(scanMsgNotify(bytes, f)).toBe(true);
      expect(scanned(bytes, f)).toEqual(decoded(bytes));
    }
  });

  it('agrees with protobufjs on shuffled field order, unknown fields (inside and around the msg:N) and repeated fields', () => {
    const r = rng(2);
    for (let i = 0; i < 2000; i++) {
      const bytes = handEncoded(randomNotify(r), r);
      expect(scanMsgNotify(bytes, f)).toBe(true);
      expect(scanned(bytes, f)).toEqual(decoded(bytes));
    }
  });

  it('reports a msg:N with fields missing as protobufjs does (empty, zero, no position)', () => {
    const bytes = Uint8Array.from(len(3, len(1, str('g:x'))));
    expect(scanMsgNotify(bytes, f)).toBe(true);
    expect(scanned(bytes, f)).toEqual(decoded(bytes));
    expect(f.hasPosition).toBe(false);
  });

  it('leaves other packets, and frames carrying two, to protobufjs', () => {
    const others = [
      encodeFrame({ msgA: { msgId: 'm1', conversation: 'g:x', position: { epoch: 'e', seq: 1 } } }),
      encodeFrame({ ackN: { msgId: 'm1', conversation: 'g:x', position: { epoch: 'e', seq: 1 } } }),
      encodeFrame({ welcome: { userId: 'u' } }),
      encodeFrame({ pong: { nonce: 1 } }),
      encodeFrame({ syncA: { conversation: 'g:x', messages: [{ conversation: 'g:x', position: { epoch: 'e', seq: 1 }, msgId: 'm1' }] } }),
      Uint8Array.from([...len(3, len(1, str('g:x'))), ...len(2, [])]), // msg:N then msg:A
      Uint8Array.from([...len(3, len(1, str('g:x'))), ...len(3, len(1, str('g:y')))]), // two msg:N
    ];
    for (const bytes of others) expect(scanMsgNotify(bytes, f)).toBe(false);
  });

  it('gives up on wrong wire types, groups, numbers past 2^49 and bad tags', () => {
    const cases = [
      len(3, num(1, 5)), // conversation as a varint
      len(3, len(7, [1])), // client_seq length-delimited
      len(3, len(2, len(2, [1]))), // seq length-delimited
      len(3, [...tag(9, 3), ...tag(9, 4)]), // a group
      len(3, num(7, 2 ** 50)), // client_seq past 2^49
      len(3, len(2, num(2, 2 ** 52))), // seq past 2^49
      len(3, [0, 1]), // field 0
      [...tag(3, 0), 1], // msg:N as a varint
    ];
    for (const c of cases) expect(scanMsgNotify(Uint8Array.from(c), f)).toBe(false);
  });

  it('never reads past the end: every prefix of a frame is refused or read exactly as protobufjs reads it', () => {
    const r = rng(3);
    for (let i = 0; i < 50; i++) {
      const whole = handEncoded(randomNotify(r), r);
      for (let end = 0; end < whole.length; end++) {
        const bytes = whole.slice(0, end);
        if (scanMsgNotify(bytes, f)) expect(scanned(bytes, f)).toEqual(decoded(bytes));
      }
    }
  });
});

describe('scanner helpers', () => {
  it('reads the client_seq of an m<digits> id, and nothing else', () => {
    const id = (s: string): number => {
      const b = Buffer.from(`xx${s}yy`);
      return clientSeqOfIdBytes(b, 2, 2 + Buffer.byteLength(s));
    };
    expect(id('m1')).toBe(1);
    expect(id('m2048')).toBe(2048);
    expect(id('m')).toBe(-1);
    expect(id('n12')).toBe(-1);
    expect(id('m1a')).toBe(-1);
    expect(id('m-1')).toBe(-1);
    expect(id(`m${'9'.repeat(16)}`)).toBe(-1);
  });

  it('compares a byte range with bytes', () => {
    const b = Buffer.from('--g:x--');
    expect(bytesEqual(b, 2, 5, Buffer.from('g:x'))).toBe(true);
    expect(bytesEqual(b, 2, 5, Buffer.from('g:y'))).toBe(false);
    expect(bytesEqual(b, 2, 4, Buffer.from('g:x'))).toBe(false);
  });

  it('reads a little-endian double at any offset', () => {
    const b = Buffer.alloc(20);
    b.writeDoubleLE(123456789.25, 5);
    expect(float64LEAt(b, 5)).toBe(123456789.25);
  });
});
