// The HTTP fallback's client side against a fake fetch: the open, numbered batches acked by
// the next recv (a repeat is not delivered twice), one recv held at a time, the frames of one
// tick in one send and one send at a time, short polling, cut-short polls, and close.
import { encodeFrame } from '@parley/protocol';
import { decodeDelimited, encodeDelimited } from '@parley/protocol';
import type { HttpRefusal, TransportListener } from '../../src/transport';
import { LongPollTransport, longPollEndpoints, type FetchInit, type FetchResponse, type PollMode, type PollOutcome } from '../../src/transport.long-poll';
import { FakeClock } from '../support/fake-clock';

interface Call {
  readonly url: string;
  readonly init: FetchInit;
  respond(status: number, body?: Uint8Array | string, headers?: Record<string, string>): void;
  fail(message: string): void;
  settled: boolean;
}

class FakeFetch {
  readonly calls: Call[] = [];
  readonly fetch = (url: string, init: FetchInit): Promise<FetchResponse> =>
    new Promise((resolve, reject) => {
      const call: Call = {
        url,
        init,
        settled: false,
        respond: (status, body = new Uint8Array(0), headers = {}) => {
          call.settled = true;
          const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
          const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
          resolve({ status, headers: { get: (name) => lower[name.toLowerCase()] ?? null }, arrayBuffer: async () => bytes.slice().buffer });
        },
        fail: (message) => {
          call.settled = true;
          reject(new Error(message));
        },
      };
      init.signal?.addEventListener('abort', () => {
        if (!call.settled) call.fail('aborted');
      });
      this.calls.push(call);
    });

  pending(path: string): Call[] {
    return this.calls.filter((c) => !c.settled && new URL(c.url).pathname === path);
  }

  last(path: string): Call {
    const found = this.calls.filter((c) => new URL(c.url).pathname === path);
    if (found.length === 0) throw new Error(`no ${path} request`);
    return found[found.length - 1]!;
  }
}

class Recorder implements TransportListener {
  opened = 0;
  readonly messages: Uint8Array[] = [];
  readonly closes: Array<[number, string]> = [];
  readonly refusals: Array<HttpRefusal | undefined> = [];
  readonly kinds: string[] = [];
  onOpen(): void {
    this.opened += 1;
  }
  onMessage(bytes: Uint8Array): void {
    this.messages.push(bytes.slice());
  }
  onClose(code: number, reason: string, refusal?: HttpRefusal): void {
    this.closes.push([code, reason]);
    this.refusals.push(refusal);
  }
  onKindChange(kind: string): void {
    this.kinds.push(kind);
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const welcome = encodeFrame({ welcome: { userId: 'alice', connectionId: 'c1', heartbeatIntervalMs: 25_000, maxFrameBytes: 1_000 } });
const pong = (nonce: number) => encodeFrame({ pong: { nonce, serverTimeMs: 1 } });
const ping = (nonce: number) => encodeFrame({ ping: { nonce } });
/** Bytes as plain arrays: protobufjs makes Buffers in Node, the transport Uint8Arrays. */
const bytes = (list: readonly Uint8Array[]) => list.map((b) => Array.from(b));
const query = (call: Call, name: string) => new URL(call.url).searchParams.get(name);

async function opened(options: { mode?: () => PollMode; onPollEnded?: (o: PollOutcome) => void } = {}) {
  const net = new FakeFetch();
  const clock = new FakeClock();
  const listener = new Recorder();
  const transport = new LongPollTransport({ fetch: net.fetch, clock, ...options });
  transport.open('ws://gw.example:8080/ws?token=tok%2Bx', listener);
  await settle();
  net.last('/lp/open').respond(200, encodeDelimited([welcome]), { 'X-Parley-Session': 's1' });
  await settle();
  return { net, clock, listener, transport };
}

describe('LongPollTransport', () => {
  it('derives the endpoints from the WebSocket URL', () => {
    expect(longPollEndpoints('wss://h.example/chat/ws?token=a%20b')).toEqual({ base: 'https://h.example/chat/lp', token: 'a b', device: '' });
    expect(longPollEndpoints('ws://127.0.0.1:8080/ws?token=t&device=d-1')).toEqual({ base: 'http://127.0.0.1:8080/lp', token: 't', device: 'd-1' });
  });

  it('opens the session for the client\'s device', async () => {
    const net = new FakeFetch();
    new LongPollTransport({ fetch: net.fetch, clock: new FakeClock() }).open('ws://gw.example:8080/ws?token=t&device=dev_1', new Recorder());
    await settle();
    expect(net.last('/lp/open').url).toBe('http://gw.example:8080/lp/open?token=t&device=dev_1');
  });

  it('opens a session with the token, delivers the welcome, then holds one recv with ack=0', async () => {
    const { net, listener, transport } = await opened();
    const open = net.calls[0]!;
    expect(open.url).toBe('http://gw.example:8080/lp/open?token=tok%2Bx');
    expect(open.init.method).toBe('POST');
    expect(listener.opened).toBe(1);
    expect(bytes(listener.messages)).toEqual(bytes([welcome]));
    expect(transport.sessionId).toBe('s1');
    expect(transport.kind).toBe('long-poll');
    const [recv, ...more] = net.pending('/lp/recv');
    expect(more).toHaveLength(0);
    expect(query(recv!, 'session')).toBe('s1');
    expect(query(recv!, 'ack')).toBe('0');
    expect(query(recv!, 'hold')).toBe('25000');
  });

  it('acks each batch with the next recv and does not deliver a repeated batch twice', async () => {
    const { net, listener } = await opened();
    net.pending('/lp/recv')[0]!.respond(200, encodeDelimited([pong(1), pong(2)]), { 'X-Parley-Batch': '1' });
    await settle();
    expect(bytes(listener.messages.slice(1))).toEqual(bytes([pong(1), pong(2)]));
    let recv = net.pending('/lp/recv');
    expect(recv).toHaveLength(1);
    expect(query(recv[0]!, 'ack')).toBe('1');
    // The server repeats a batch whose ack it did not see: the frames are not delivered again.
    recv[0]!.respond(200, encodeDelimited([pong(2)]), { 'X-Parley-Batch': '1' });
    await settle();
    expect(listener.messages).toHaveLength(3);
    recv = net.pending('/lp/recv');
    expect(query(recv[0]!, 'ack')).toBe('1');
    recv[0]!.respond(200, encodeDelimited([pong(3)]), { 'X-Parley-Batch': '2' });
    await settle();
    expect(bytes(listener.messages.slice(3))).toEqual(bytes([pong(3)]));
    expect(query(net.pending('/lp/recv')[0]!, 'ack')).toBe('2');
    // Only ever one recv outstanding.
    expect(net.calls.filter((c) => c.url.includes('/lp/recv') && !c.settled)).toHaveLength(1);
  });

  it('asks again with the same ack after a failed recv, and gives up after three in a row', async () => {
    const { net, clock, listener } = await opened();
    net.pending('/lp/recv')[0]!.respond(200, encodeDelimited([pong(1)]), { 'X-Parley-Batch': '1' });
    await settle();
    for (let failure = 1; failure <= 3; failure++) {
      const recv = net.pending('/lp/recv');
      expect(recv).toHaveLength(1);
      expect(query(recv[0]!, 'ack')).toBe('1');
      recv[0]!.fail('connection reset');
      await settle();
      clock.advance(5_000);
      await settle();
    }
    expect(listener.closes).toEqual([[1006, 'recv failed 3 times in a row: connection reset']]);
  });

  it('sends the frames of one tick in one body, one send at a time, in order', async () => {
    const { net, transport } = await opened();
    expect(transport.send(ping(1))).toBe(true);
    expect(transport.send(ping(2))).toBe(true);
    await settle();
    const first = net.pending('/lp/send');
    expect(first).toHaveLength(1);
    expect(query(first[0]!, 'session')).toBe('s1');
    expect(first[0]!.init.headers).toEqual({ 'content-type': 'application/x-parley-frames' });
    expect(bytes(decodeDelimited(first[0]!.init.body!))).toEqual(bytes([ping(1), ping(2)]));
    transport.send(ping(3));
    transport.send(ping(4));
    await settle();
    expect(net.pending('/lp/send')).toHaveLength(1); // waits for the first answer
    first[0]!.respond(204);
    await settle();
    const second = net.pending('/lp/send');
    expect(second).toHaveLength(1);
    expect(bytes(decodeDelimited(second[0]!.init.body!))).toEqual(bytes([ping(3), ping(4)]));
  });

  it('splits a burst over max_frame_bytes × 16 into several bodies', async () => {
    const { net, transport } = await opened(); // the welcome says 1 000 bytes per frame: 16 000 per body
    const big = new Uint8Array(900).fill(7);
    for (let i = 0; i < 20; i++) transport.send(big);
    await settle();
    const first = net.pending('/lp/send')[0]!;
    expect(decodeDelimited(first.init.body!)).toHaveLength(17);
    first.respond(204);
    await settle();
    expect(decodeDelimited(net.pending('/lp/send')[0]!.init.body!)).toHaveLength(3);
  });

  it('treats a failed send as a dead link (a body cannot be resent blindly)', async () => {
    const { net, listener, transport } = await opened();
    transport.send(ping(1));
    await settle();
    net.pending('/lp/send')[0]!.fail('socket hang up');
    await settle();
    expect(listener.closes).toEqual([[1006, 'send failed: socket hang up']]);
    expect(transport.send(ping(2))).toBe(false);
    expect(net.pending('/lp/close')).toHaveLength(1);
  });

  it('close() aborts the held recv, closes the session and reports the close once', async () => {
    const { net, listener, transport } = await opened();
    const recv = net.pending('/lp/recv')[0]!;
    transport.close(1000, 'bye');
    expect(listener.closes).toEqual([]); // never from inside close()
    await settle();
    expect(recv.init.signal?.aborted).toBe(true);
    expect(query(net.last('/lp/close'), 'session')).toBe('s1');
    expect(listener.closes).toEqual([[1000, 'bye']]);
    expect(transport.send(ping(1))).toBe(false);
    transport.close(1000, 'again');
    await settle();
    expect(listener.closes).toHaveLength(1);
  });

  it('reports the close code of a session the server closed (410) and of a refused open', async () => {
    const { net, listener } = await opened();
    net.pending('/lp/recv')[0]!.respond(410, JSON.stringify({ closeCode: 4005, reason: 'flood' }));
    await settle();
    expect(listener.closes).toEqual([[4005, 'flood']]);

    const refused = new FakeFetch();
    const other = new Recorder();
    new LongPollTransport({ fetch: refused.fetch, clock: new FakeClock() }).open('ws://h/ws?token=bad', other);
    await settle();
    refused.last('/lp/open').respond(401, '{"code":2002,"message":"bad token"}');
    await settle();
    expect(other.opened).toBe(0);
    expect(other.closes).toEqual([[1006, 'HTTP 401: {"code":2002,"message":"bad token"}']]);
    expect(other.refusals).toEqual([{ status: 401, code: 2002 }]);
    expect(listener.refusals).toEqual([undefined]); // a session closed by the server is no refusal
  });

  it('reports a rate-limited open with its code and Retry-After, for the client to wait', async () => {
    const net = new FakeFetch();
    const listener = new Recorder();
    new LongPollTransport({ fetch: net.fetch, clock: new FakeClock() }).open('ws://h/ws?token=t', listener);
    await settle();
    net.last('/lp/open').respond(429, '{"code":2007,"message":"too many connection attempts"}', { 'Retry-After': '3' });
    await settle();
    expect(listener.opened).toBe(0);
    expect(listener.refusals).toEqual([{ status: 429, code: 2007, retryAfterMs: 3_000 }]);
  });

  it('short polling: hold=0, and one recv per interval while nothing comes', async () => {
    let mode: PollMode = 'long';
    const { net, clock, listener } = await opened({ mode: () => mode });
    mode = 'short';
    net.pending('/lp/recv')[0]!.respond(200, encodeDelimited([pong(1)]), { 'X-Parley-Batch': '1' });
    await settle();
    expect(listener.kinds).toEqual(['short-poll']);
    const recv = net.pending('/lp/recv')[0]!;
    expect(query(recv, 'hold')).toBe('0');
    recv.respond(200);
    await settle();
    expect(net.pending('/lp/recv')).toHaveLength(0);
    clock.advance(999);
    await settle();
    expect(net.pending('/lp/recv')).toHaveLength(0);
    clock.advance(1);
    await settle();
    expect(net.pending('/lp/recv')).toHaveLength(1);
  });

  it('reports a long poll answered empty well before its hold as cut short', async () => {
    const outcomes: PollOutcome[] = [];
    const { net, clock } = await opened({ onPollEnded: (o) => outcomes.push(o) });
    clock.advance(2_000);
    net.pending('/lp/recv')[0]!.respond(200);
    await settle();
    clock.advance(25_000);
    net.pending('/lp/recv')[0]!.respond(200);
    await settle();
    net.pending('/lp/recv')[0]!.respond(200, encodeDelimited([pong(1)]), { 'X-Parley-Batch': '1' });
    await settle();
    expect(outcomes).toEqual(['cut-short', 'held', 'frames']);
  });
});
