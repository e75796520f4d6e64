// The `ws` transport and the client over real sockets, against a minimal scripted gateway
// (a ws WebSocketServer speaking the wire protocol): token in the query, binary frames,
// refused upgrades, close. The real gateway is exercised by the end-to-end suites.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, type FrameInit } from '@parley/protocol';
import { ParleyClient } from '../../src';
import { NodeWsTransport } from '../../src/transport.node-ws';
import type { HttpRefusal } from '../../src/transport';

interface Gateway {
  readonly url: string;
  readonly sockets: WebSocket[];
  stop(): Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const sockets: WebSocket[] = [];
  const server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    path: '/ws',
    verifyClient: (info, done) => {
      const token = new URL(info.req.url ?? '', 'http://x').searchParams.get('token');
      if (token === 'good') return done(true);
      if (token === 'busy') {
        return done(false, 429, JSON.stringify({ code: 2007, message: 'too many connection attempts' }), { 'content-type': 'application/json', 'retry-after': '4' });
      }
      done(false, 401, JSON.stringify({ code: 2002, message: 'bad token' }), { 'content-type': 'application/json' });
    },
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => {
    sockets.push(socket);
    const send = (frame: FrameInit) => socket.send(encodeFrame(frame));
    send({ welcome: { userId: 'alice', connectionId: 'c1', heartbeatIntervalMs: 30_000, maxOfflinePage: 10 } });
    socket.on('message', (data: Buffer) => {
      const frame = decodeFrame(data);
      if (frame.msgR) {
        const position = { epoch: 'e1', seq: 1 };
        send({ msgA: { msgId: frame.msgR.msgId, conversation: 'd:alice:bob', position } });
        send({ ackN: { msgId: frame.msgR.msgId, conversation: 'd:alice:bob', position, toUser: 'bob', status: 1 } });
        send({ msgN: { conversation: 'd:alice:bob', position: { epoch: 'e1', seq: 2 }, msgId: 'b1', fromUser: 'bob', payload: Buffer.from('yo') } });
      } else if (frame.offlineR) {
        send({ offlineA: { messages: [], hasMore: false } });
      } else if (frame.ping) {
        send({ pong: { nonce: frame.ping.nonce } });
      }
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    sockets,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function waitFor<T>(what: string, register: (done: (value: T) => void) => void, ms = 5_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe('ParleyClient over the ws transport', () => {
  let gateway: Gateway;
  beforeEach(async () => {
    gateway = await startGateway();
  });
  afterEach(async () => {
    for (const socket of gateway.sockets) socket.terminate();
    await gateway.stop();
  });

  it('connects, sends, receives and closes over a real socket', async () => {
    const client = new ParleyClient({ url: gateway.url, token: 'good' });
    const received = waitFor<string>('msg:N', (done) => client.on('message', (m) => done(Buffer.from(m.payload).toString())));
    const acked = waitFor<string>('ack:N', (done) => client.on('ack', (a) => done(a.status)));
    const welcome = await client.connect();
    expect(welcome.userId).toBe('alice');
    const receipt = await client.send('bob', Buffer.from('hi'));
    expect(receipt).toMatchObject({ conversation: 'd:alice:bob', epoch: 'e1', seq: 1 });
    expect(await acked).toBe('DELIVERED');
    expect(await received).toBe('yo');
    await client.close();
    expect(client.state).toBe('disconnected');
  });

  it('reports a refused upgrade with its HTTP status and body as the close reason', async () => {
    const transport = new NodeWsTransport();
    const closed = waitFor<[number, string]>('close', (done) =>
      transport.open(`${gateway.url}?token=bad`, {
        onOpen: () => undefined,
        onMessage: () => undefined,
        onClose: (code, reason) => done([code, reason]),
      }),
    );
    const [code, reason] = await closed;
    expect(code).toBe(1006);
    expect(reason).toBe('HTTP 401: {"code":2002,"message":"bad token"}');
  });

  it('reports a rate-limited upgrade with its code and Retry-After', async () => {
    const transport = new NodeWsTransport();
    const refusal = await waitFor<HttpRefusal | undefined>('close', (done) =>
      transport.open(`${gateway.url}?token=busy`, {
        onOpen: () => undefined,
        onMessage: () => undefined,
        onClose: (_code, _reason, refused) => done(refused),
      }),
    );
    expect(refusal).toEqual({ status: 429, code: 2007, retryAfterMs: 4_000 });
  });

  it('reports a link that never opens (nothing listening)', async () => {
    const url = gateway.url;
    await gateway.stop();
    const transport = new NodeWsTransport();
    const [code, reason] = await waitFor<[number, string]>('close', (done) =>
      transport.open(`${url}?token=good`, { onOpen: () => undefined, onMessage: () => undefined, onClose: (c, r) => done([c, r]) }),
    );
    expect(code).toBe(1006);
    expect(reason).toMatch(/ECONNREFUSED/);
    gateway = await startGateway(); // for afterEach
  });
});
