import { randomBytes } from 'node:crypto';
import { FrameParser, Opcode, type FrameHandler, type FrameProtocolError } from '../../src/websocket/frame-parser';
import { clientHeaderBytes, FrameWriter, writeClientFrame } from '../../src/websocket/frame-writer';

type Event =
  | { kind: 'message'; binary: boolean; bytes: string }
  | { kind: 'ping' | 'pong'; bytes: string }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'error'; error: FrameProtocolError };

function recorder(): { handler: FrameHandler; events: Event[]; views: Uint8Array[] } {
  const events: Event[] = [];
  const views: Uint8Array[] = [];
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  return {
    events,
    views,
    handler: {
      onMessage: (payload, binary) => {
        views.push(payload);
        events.push({ kind: 'message', binary, bytes: hex(payload) });
      },
      onPing: (payload) => events.push({ kind: 'ping', bytes: hex(payload) }),
      onPong: (payload) => events.push({ kind: 'pong', bytes: hex(payload) }),
      onClose: (code, reason) => events.push({ kind: 'close', code, reason: Buffer.from(reason).toString() }),
      onProtocolError: (error) => events.push({ kind: 'error', error }),
    },
  };
}

/** A server frame: unmasked unless `mask` is given; `lengthBytes` forces the 7-, 16- or 64-bit length form. */
function serverFrame(opcode: number, payload: Uint8Array, options: { fin?: boolean; lengthBytes?: 0 | 2 | 8; rsv?: number; mask?: Uint8Array } = {}): Buffer {
  const fin = options.fin ?? true;
  const n = payload.length;
  const form = options.lengthBytes ?? (n < 126 ? 0 : n < 0x10000 ? 2 : 8);
  const head: number[] = [(fin ? 0x80 : 0) | (options.rsv ?? 0) | opcode];
  const maskBit = options.mask ? 0x80 : 0;
  if (form === 0) head.push(maskBit | n);
  else if (form === 2) head.push(maskBit | 126, n >>> 8, n & 0xff);
  else head.push(maskBit | 127, 0, 0, 0, 0, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  if (options.mask) head.push(...options.mask);
  const body = options.mask ? Uint8Array.from(payload, (b, i) => b ^ options.mask![i & 3]!) : payload;
  return Buffer.concat([Buffer.from(head), body]);
}

const bin = (text: string): Uint8Array => Buffer.from(text);

describe('FrameParser', () => {
  const stream = Buffer.concat([
    serverFrame(Opcode.BINARY, bin('one')),
    serverFrame(Opcode.TEXT, bin('two')),
    serverFrame(Opcode.BINARY, new Uint8Array(0)),
    serverFrame(Opcode.BINARY, Buffer.alloc(300, 7)),
    serverFrame(Opcode.BINARY, Buffer.alloc(70_000, 9)),
    serverFrame(Opcode.BINARY, bin('frag-'), { fin: false }),
    serverFrame(Opcode.PING, bin('p1')),
    serverFrame(Opcode.CONTINUATION, bin('ment'), { fin: false }),
    serverFrame(Opcode.PONG, bin('p2')),
    serverFrame(Opcode.CONTINUATION, bin('ed'), { fin: true }),
    serverFrame(Opcode.BINARY, bin('long form'), { lengthBytes: 8 }),
    serverFrame(Opcode.BINARY, bin('mid form'), { lengthBytes: 2 }),
    serverFrame(Opcode.CLOSE, Buffer.concat([Buffer.from([0x0f, 0xa7]), bin('draining')])),
  ]);
  const expected: Event[] = [
    { kind: 'message', binary: true, bytes: Buffer.from('one').toString('hex') },
    { kind: 'message', binary: false, bytes: Buffer.from('two').toString('hex') },
    { kind: 'message', binary: true, bytes: '' },
    { kind: 'message', binary: true, bytes: Buffer.alloc(300, 7).toString('hex') },
    { kind: 'message', binary: true, bytes: Buffer.alloc(70_000, 9).toString('hex') },
    { kind: 'ping', bytes: Buffer.from('p1').toString('hex') },
    { kind: 'pong', bytes: Buffer.from('p2').toString('hex') },
    { kind: 'message', binary: true, bytes: Buffer.from('frag-mented').toString('hex') },
    { kind: 'message', binary: true, bytes: Buffer.from('long form').toString('hex') },
    { kind: 'message', binary: true, bytes: Buffer.from('mid form').toString('hex') },
    { kind: 'close', code: 4007, reason: 'draining' },
  ];

  it('reads several frames of every kind from one chunk, a whole message as a view of the chunk', () => {
    const { handler, events, views } = recorder();
    new FrameParser(handler, 1 << 20).push(stream);
    expect(events).toEqual(expected);
    // Whole in the chunk: no copy, the chunk's own memory.
    expect(views[0]!.buffer).toBe(stream.buffer);
  });

  it('reads the same from the stream cut at every position into two chunks', () => {
    for (let cut = 1; cut < stream.length; cut += cut < 400 ? 1 : 997) {
      const { handler, events } = recorder();
      const parser = new FrameParser(handler, 1 << 20);
      parser.push(stream.subarray(0, cut));
      parser.push(stream.subarray(cut));
      expect(events).toEqual(expected);
    }
  });

  it('reads the same from the stream fed one byte at a time and in random chunk sizes', () => {
    const one = recorder();
    const parser = new FrameParser(one.handler, 1 << 20);
    for (let i = 0; i < stream.length; i++) parser.push(stream.subarray(i, i + 1));
    expect(one.events).toEqual(expected);
    for (let round = 0; round < 50; round++) {
      const { handler, events } = recorder();
      const p = new FrameParser(handler, 1 << 20);
      for (let at = 0; at < stream.length; ) {
        const size = 1 + Math.floor(Math.random() * 3000);
        p.push(stream.subarray(at, at + size));
        at += size;
      }
      expect(events).toEqual(expected);
    }
  });

  it('gives 1005 for a close frame without a code and reads nothing after a close frame', () => {
    const { handler, events } = recorder();
    new FrameParser(handler, 100).push(Buffer.concat([serverFrame(Opcode.CLOSE, new Uint8Array(0)), serverFrame(Opcode.BINARY, bin('late'))]));
    expect(events).toEqual([{ kind: 'close', code: 1005, reason: '' }]);
  });

  it.each([
    ['a masked server frame', serverFrame(Opcode.BINARY, bin('x'), { mask: Uint8Array.of(1, 2, 3, 4) }), 'masked-frame', 1002],
    ['reserved bits', serverFrame(Opcode.BINARY, bin('x'), { rsv: 0x40 }), 'reserved-bits', 1002],
    ['an unknown opcode', serverFrame(0x3, bin('x')), 'bad-opcode', 1002],
    ['a fragmented ping', serverFrame(Opcode.PING, bin('x'), { fin: false }), 'bad-control-frame', 1002],
    ['a control frame over 125 bytes', serverFrame(Opcode.PING, Buffer.alloc(126), { lengthBytes: 2 }), 'bad-control-frame', 1002],
    ['a continuation with no message begun', serverFrame(Opcode.CONTINUATION, bin('x')), 'bad-continuation', 1002],
    ['a new message inside a fragmented one', Buffer.concat([serverFrame(Opcode.BINARY, bin('a'), { fin: false }), serverFrame(Opcode.BINARY, bin('b'))]), 'bad-continuation', 1002],
    ['a one-byte close payload', serverFrame(Opcode.CLOSE, Uint8Array.of(3)), 'bad-close-payload', 1002],
    ['a close code no peer may send', serverFrame(Opcode.CLOSE, Uint8Array.of(0x03, 0xee)), 'bad-close-payload', 1002],
    ['a frame over the limit', serverFrame(Opcode.BINARY, Buffer.alloc(101)), 'too-big', 1009],
    ['fragments over the limit together', Buffer.concat([serverFrame(Opcode.BINARY, Buffer.alloc(60), { fin: false }), serverFrame(Opcode.CONTINUATION, Buffer.alloc(60))]), 'too-big', 1009],
    ['a 64-bit length with its top bits set', Buffer.from([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1]), 'too-big', 1009],
  ])('fails on %s, and parses nothing after', (_what, bytes, kind, closeCode) => {
    const { handler, events } = recorder();
    const parser = new FrameParser(handler, 100);
    parser.push(bytes);
    parser.push(serverFrame(Opcode.BINARY, bin('after')));
    expect(events).toEqual([{ kind: 'error', error: { kind, closeCode } }]);
  });

  it('refuses a frame over the limit from its header alone, before its payload came', () => {
    const { handler, events } = recorder();
    new FrameParser(handler, 1000).push(Buffer.from([0x82, 127, 0, 0, 0, 1, 0, 0, 0, 0]));
    expect(events).toEqual([{ kind: 'error', error: { kind: 'too-big', closeCode: 1009 } }]);
  });

  it('stops handling frames once stopped, also in the middle of a chunk', () => {
    const { handler, events } = recorder();
    const parser = new FrameParser({ ...handler, onMessage: (p, b) => (handler.onMessage(p, b), parser.stop()) }, 100);
    parser.push(Buffer.concat([serverFrame(Opcode.BINARY, bin('a')), serverFrame(Opcode.BINARY, bin('b'))]));
    expect(events).toHaveLength(1);
  });
});

/** Reads a client frame back: FIN, opcode, mask and the unmasked payload; and where the next begins. */
function readClientFrame(buf: Uint8Array, at: number): { fin: boolean; opcode: number; mask: Uint8Array; payload: Buffer; next: number } {
  const fin = (buf[at]! & 0x80) !== 0;
  const opcode = buf[at]! & 0x0f;
  expect(buf[at + 1]! & 0x80).toBe(0x80);
  let length = buf[at + 1]! & 0x7f;
  let p = at + 2;
  if (length === 126) {
    length = (buf[p]! << 8) | buf[p + 1]!;
    p += 2;
  } else if (length === 127) {
    length = Buffer.from(buf.subarray(p, p + 8)).readUInt32BE(0) * 2 ** 32 + Buffer.from(buf.subarray(p, p + 8)).readUInt32BE(4);
    p += 8;
  }
  const mask = buf.subarray(p, p + 4);
  p += 4;
  const payload = Buffer.from(buf.subarray(p, p + length).map((b, i) => b ^ mask[i & 3]!));
  return { fin, opcode, mask: Uint8Array.from(mask), payload, next: p + length };
}

describe('client frames', () => {
  it.each([0, 1, 3, 4, 5, 125, 126, 127, 65_535, 65_536, 70_001])('writes a masked %i-byte frame with the shortest length form', (n) => {
    const payload = randomBytes(n);
    const out = new Uint8Array(clientHeaderBytes(n) + n);
    const keys = Uint8Array.of(0, 0xa1, 0xb2, 0xc3, 0xd4);
    const end = writeClientFrame(out, 0, Opcode.BINARY, payload, keys, 1);
    expect(end).toBe(out.length);
    expect(clientHeaderBytes(n)).toBe(n < 126 ? 6 : n < 65_536 ? 8 : 14);
    const frame = readClientFrame(out, 0);
    expect(frame).toMatchObject({ fin: true, opcode: Opcode.BINARY, next: out.length });
    expect(frame.mask).toEqual(Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4));
    expect(frame.payload.equals(payload)).toBe(true);
    // The caller's bytes are left as they were.
    if (n > 0) expect(Buffer.from(out.subarray(out.length - n)).equals(payload)).toBe(false);
  });

  it('writes every frame queued during one callback in one write, each with its own mask, after the callback', async () => {
    const writes: Buffer[] = [];
    const writer = new FrameWriter((bytes) => writes.push(Buffer.from(bytes)));
    const payloads = [bin('first'), Buffer.alloc(200, 1), bin(''), randomBytes(70_000)];
    writer.frame(Opcode.BINARY, payloads[0]!);
    writer.frame(Opcode.BINARY, payloads[1]!);
    writer.frame(Opcode.PONG, payloads[2]!);
    writer.frame(Opcode.BINARY, payloads[3]!);
    expect(writes).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    const frames = [];
    for (let at = 0; at < writes[0]!.length; ) {
      const f = readClientFrame(writes[0]!, at);
      frames.push(f);
      at = f.next;
    }
    expect(frames.map((f) => f.opcode)).toEqual([Opcode.BINARY, Opcode.BINARY, Opcode.PONG, Opcode.BINARY]);
    frames.forEach((f, i) => expect(f.payload.equals(Buffer.from(payloads[i]!))).toBe(true));
    expect(new Set(frames.map((f) => Buffer.from(f.mask).toString('hex'))).size).toBe(4);
    writer.frame(Opcode.BINARY, bin('next turn'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
    expect(readClientFrame(writes[1]!, 0).payload.toString()).toBe('next turn');
  });

  it('writes nothing queued before a discard', async () => {
    const writes: Buffer[] = [];
    const writer = new FrameWriter((bytes) => writes.push(Buffer.from(bytes)));
    writer.frame(Opcode.BINARY, bin('gone'));
    writer.discard();
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(0);
  });
});
