// The HTTP fallback (docs/PROTOCOL.md, "HTTP fallback: long-polling and short polling"),
// spoken by hand with fetch against a full parley on real Kafka and Redis: a long-poll
// session is a connection like a WebSocket (welcome after presence, msg:R → msg:A,
// msg:N → ack:R → ack:N), a lost recv answer comes again, a held recv returns as soon as a
// frame arrives, and a session nobody polls is closed and leaves presence.
import {
  AckStatus,
  asUserId,
  decodeDelimited,
  decodeFrame,
  encodeDelimited,
  encodeFrame,
  ErrorCode,
  Frame,
  FrameInit,
  FRAMES_CONTENT_TYPE,
} from '@parley/protocol';
import { waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { RawConnection, realEnv, startServer, tokenFor, wsUrl } from './harness';

type Packet = NonNullable<Frame['packet']>;

/** fetch without keep-alive: pooled sockets would outlive the servers and hold jest open for seconds. */
const request = (url: string, init: RequestInit = {}): Promise<Response> =>
  fetch(url, { ...init, headers: { connection: 'close', ...(init.headers as Record<string, string> | undefined) } });

interface RecvAnswer {
  readonly status: number;
  /** X-Parley-Batch; 0 when the answer is not numbered (empty). */
  readonly batch: number;
  readonly body: Buffer;
  readonly frames: Frame[];
}

/** A hand-driven long-poll session that records every frame it receives. */
class LongPollConnection {
  readonly frames: Frame[] = [];
  /** The last batch received: the next recv acknowledges it. */
  ack = 0;

  private constructor(
    private readonly base: string,
    readonly session: string,
    readonly welcome: Frame,
  ) {}

  static async open(port: number, user: string): Promise<LongPollConnection> {
    const base = `http://127.0.0.1:${port}`;
    const res = await request(`${base}/lp/open?token=${tokenFor(user)}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(FRAMES_CONTENT_TYPE);
    const session = res.headers.get('x-parley-session') ?? '';
    const frames = decodeDelimited(new Uint8Array(await res.arrayBuffer())).map((f) => decodeFrame(f));
    expect(frames.map((f) => f.packet)).toEqual(['welcome']);
    return new LongPollConnection(base, session, frames[0]!);
  }

  /** Posts frames in one body; returns the HTTP status. */
  async send(...frames: FrameInit[]): Promise<number> {
    const res = await request(`${this.base}/lp/send?session=${this.session}`, {
      method: 'POST',
      headers: { 'content-type': FRAMES_CONTENT_TYPE },
      body: encodeDelimited(frames.map((f) => encodeFrame(f))),
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** One recv; a numbered answer is recorded and acknowledged by the next recv. */
  async recv(holdMs: number, ack = this.ack): Promise<RecvAnswer> {
    const res = await request(`${this.base}/lp/recv?session=${this.session}&ack=${ack}&hold=${holdMs}`);
    const body = Buffer.from(await res.arrayBuffer());
    const batch = Number(res.headers.get('x-parley-batch') ?? '0');
    const frames = res.status === 200 ? decodeDelimited(body).map((f) => decodeFrame(f)) : [];
    if (res.status === 200 && batch > this.ack) {
      this.ack = batch;
      this.frames.push(...frames);
    }
    return { status: res.status, batch, body, frames };
  }

  /** Long-polls until a frame of `packet` kind matching `where` has been received. */
  async next(packet: Packet, where: (f: Frame) => boolean = () => true, timeoutMs = 15_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find((f) => f.packet === packet && where(f));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${packet} frame within ${timeoutMs} ms; got ${this.frames.map((f) => f.packet).join(', ')}`);
      const answer = await this.recv(1_000);
      if (answer.status !== 200) throw new Error(`recv answered ${answer.status}: ${answer.body.toString()}`);
    }
  }

  async close(): Promise<number> {
    const res = await request(`${this.base}/lp/close?session=${this.session}`, { method: 'POST' });
    await res.arrayBuffer();
    return res.status;
  }
}

const online = async (server: ParleyServer, user: string): Promise<number> =>
  (await server.infrastructure.presence.lookup([asUserId(user)])).get(asUserId(user))?.length ?? 0;

/** The sum of metric `name` over its lines carrying every one of `labels`. */
const metric = async (server: ParleyServer, name: string, ...labels: string[]): Promise<number> => {
  const text = await server.registry.metrics();
  const lines = text.split('\n').filter((l) => l.startsWith(name) && labels.every((label) => l.includes(label)));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
};

describe('long-polling on real Kafka and Redis', () => {
  let server: ParleyServer;
  let base: string;
  const sessions: LongPollConnection[] = [];
  const sockets: RawConnection[] = [];
  const openSession = async (user: string) => {
    const session = await LongPollConnection.open(server.port, user);
    sessions.push(session);
    return session;
  };
  const openSocket = async (user: string) => {
    const socket = await RawConnection.open(wsUrl(server.port, user));
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startServer(realEnv('longpoll'));
    base = `http://127.0.0.1:${server.port}`;
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a long-poll sender and a WebSocket receiver: msg:R over send, msg:A and ack:N over recv', async () => {
    const alice = await openSession('lp-alice1');
    expect(alice.welcome.welcome).toMatchObject({ userId: 'lp-alice1', heartbeatIntervalMs: 25_000 });
    expect(alice.session).toMatch(/^[A-Za-z0-9_-]{22}$/); // 128 random bits, base64url
    expect(await online(server, 'lp-alice1')).toBe(1); // registered before welcome
    const bob = await openSocket('lp-bob1');

    expect(await alice.send({ msgR: { msgId: 'lp-m1', toUser: 'lp-bob1', payload: Buffer.from('over http'), clientSeq: 1 } })).toBe(204);
    const msgA = await alice.next('msgA');
    expect(msgA.msgA).toMatchObject({ msgId: 'lp-m1', conversation: 'd:lp-alice1:lp-bob1' });

    const msgN = await bob.next('msgN');
    expect(msgN.msgN).toMatchObject({ msgId: 'lp-m1', fromUser: 'lp-alice1' });
    expect(Buffer.from(msgN.msgN!.payload!).toString()).toBe('over http');
    bob.send({ ackR: { conversation: msgN.msgN!.conversation, position: msgN.msgN!.position } });

    const ackN = await alice.next('ackN');
    expect(ackN.ackN).toMatchObject({ msgId: 'lp-m1', status: AckStatus.ACK_STATUS_DELIVERED });
    expect(await metric(server, 'parley_gateway_connections', 'transport="long_poll"')).toBeGreaterThanOrEqual(1);
  });

  it('a WebSocket sender and a long-poll receiver: msg:N over recv, ack:R over send, ack:N to the sender', async () => {
    const alice = await openSocket('lp-alice2');
    const bob = await openSession('lp-bob2');
    alice.send({ msgR: { msgId: 'lp-m2', toUser: 'lp-bob2', payload: Buffer.from('to a poller') } });
    const msgN = await bob.next('msgN');
    expect(msgN.msgN).toMatchObject({ msgId: 'lp-m2', fromUser: 'lp-alice2' });
    expect(Buffer.from(msgN.msgN!.payload!).toString()).toBe('to a poller');
    expect(await bob.send({ ackR: { conversation: msgN.msgN!.conversation, position: msgN.msgN!.position } })).toBe(204);
    expect((await alice.next('ackN')).ackN).toMatchObject({ msgId: 'lp-m2', status: AckStatus.ACK_STATUS_DELIVERED });
  });

  it('both on long-poll, and a lost recv answer comes again: re-requested with the old ack, the same batch', async () => {
    const alice = await openSession('lp-alice3');
    const bob = await openSession('lp-bob3');
    expect(await alice.send({ msgR: { msgId: 'lp-m3', toUser: 'lp-bob3', payload: Buffer.from('once') } })).toBe(204);

    // bob's first answer with the msg:N is "lost": he asks again with his old ack.
    let first: RecvAnswer;
    do first = await bob.recv(5_000);
    while (!first.frames.some((f) => f.packet === 'msgN'));
    const resentBefore = await metric(server, 'parley_gateway_long_poll_batches_resent_total');
    const again = await bob.recv(5_000, first.batch - 1);
    expect(again.status).toBe(200);
    expect(again.batch).toBe(first.batch);
    expect(again.body.equals(first.body)).toBe(true);
    expect(await metric(server, 'parley_gateway_long_poll_batches_resent_total')).toBe(resentBefore + 1);

    const msgN = first.frames.find((f) => f.packet === 'msgN')!;
    expect(await bob.send({ ackR: { conversation: msgN.msgN!.conversation, position: msgN.msgN!.position } })).toBe(204);
    expect((await alice.next('msgA')).msgA).toMatchObject({ msgId: 'lp-m3' });
    expect((await alice.next('ackN')).ackN).toMatchObject({ msgId: 'lp-m3', status: AckStatus.ACK_STATUS_DELIVERED });
    // Acknowledged, the batch is gone: bob's next answer is a new one or empty, never batch `first` again.
    const after = await bob.recv(0);
    expect(after.batch === 0 || after.batch === first.batch + 1).toBe(true);
  });

  it('a held recv returns as soon as a frame arrives, well before its hold', async () => {
    const alice = await openSocket('lp-alice4');
    const bob = await openSession('lp-bob4');
    expect((await bob.recv(0)).batch).toBe(0); // nothing waiting
    const holdsBefore = await metric(server, 'parley_gateway_long_poll_recv_holds_total');
    const started = Date.now();
    const held = bob.recv(20_000);
    await waitFor(async () => (await metric(server, 'parley_gateway_long_poll_recv_holds_total')) > holdsBefore, {
      timeoutMs: 5_000,
      what: 'the recv to be held',
    });
    alice.send({ msgR: { msgId: 'lp-m4', toUser: 'lp-bob4', payload: Buffer.from('wake up') } });
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.batch).toBeGreaterThan(0);
    expect(answer.frames.map((f) => f.packet)).toContain('msgN');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('answers pings sent over send with pongs over recv', async () => {
    const carol = await openSession('lp-carol');
    expect(await carol.send({ ping: { nonce: 41 } }, { ping: { nonce: 42 } })).toBe(204);
    await carol.next('pong', (f) => Number(f.pong?.nonce) === 42);
    expect(carol.frames.filter((f) => f.packet === 'pong').map((f) => Number(f.pong?.nonce))).toEqual([41, 42]);
  });

  it('answers 404 for an unknown session on send, recv and close, and 404 once a session is closed', async () => {
    const unknown = 'AAAAAAAAAAAAAAAAAAAAAA';
    const send = await request(`${base}/lp/send?session=${unknown}`, { method: 'POST', body: encodeDelimited([encodeFrame({ ping: { nonce: 1 } })]) });
    expect(send.status).toBe(404);
    expect((await request(`${base}/lp/recv?session=${unknown}&ack=0&hold=0`)).status).toBe(404);
    expect((await request(`${base}/lp/close?session=${unknown}`, { method: 'POST' })).status).toBe(404);

    const dave = await LongPollConnection.open(server.port, 'lp-dave');
    expect(await online(server, 'lp-dave')).toBe(1);
    expect(await dave.close()).toBe(204);
    expect((await dave.recv(0)).status).toBe(404);
    await waitFor(async () => (await online(server, 'lp-dave')) === 0, { timeoutMs: 5_000, what: "dave's presence to be removed" });
  });

  it('refuses a bad or missing token on open with 401 and the JSON error, as the WebSocket upgrade does', async () => {
    const bad = await request(`${base}/lp/open?token=${tokenFor('lp-erin', 'another-secret-0123456789')}`, { method: 'POST' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: ErrorCode.TOKEN_INVALID });
    const missing = await request(`${base}/lp/open`, { method: 'POST' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: ErrorCode.TOKEN_MISSING });
    expect(await metric(server, 'parley_gateway_rejected_upgrades_total', 'transport="long_poll"')).toBeGreaterThanOrEqual(2);
  });

  it('lets a page of an allowed origin read the answers across origins (CORS), preflight included', async () => {
    const origin = 'https://app.example';
    const preflight = await request(`${base}/lp/send?session=x`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const open = await request(`${base}/lp/open?token=${tokenFor('lp-gina')}`, { method: 'POST', headers: { origin } });
    expect(open.status).toBe(200);
    expect(open.headers.get('access-control-allow-origin')).toBe(origin);
    expect(open.headers.get('access-control-expose-headers')).toContain('x-parley-session');
    const session = open.headers.get('x-parley-session');
    await open.arrayBuffer();
    const recv = await request(`${base}/lp/recv?session=${session}&ack=0&hold=0`, { headers: { origin } });
    expect(recv.headers.get('access-control-allow-origin')).toBe(origin);
    expect(recv.headers.get('access-control-expose-headers')).toContain('x-parley-batch');
    await recv.arrayBuffer();
    expect((await request(`${base}/lp/close?session=${session}`, { method: 'POST', headers: { origin } })).status).toBe(204);
  });

  it('refuses a malformed body (400) and an oversized one (413), and reads the next request', async () => {
    const frank = await openSession('lp-frank');
    const garbage = await request(`${base}/lp/send?session=${frank.session}`, { method: 'POST', body: Uint8Array.from([0x05, 0x01]) });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ code: ErrorCode.MALFORMED_FRAME });
    const huge = await request(`${base}/lp/send?session=${frank.session}`, { method: 'POST', body: new Uint8Array(16 * 64 * 1024 + 1) });
    expect(huge.status).toBe(413);
    expect(await frank.send({ ping: { nonce: 7 } })).toBe(204);
    await frank.next('pong');
  });
});

describe('an idle long-poll session (heartbeat 1 s)', () => {
  let server: ParleyServer;

  beforeAll(async () => {
    server = await startServer(realEnv('longpollidle', { PARLEY_HEARTBEAT_INTERVAL_MS: '1000' }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is closed after 2 × heartbeat with no recv outstanding, and its presence removed', async () => {
    const idle = await LongPollConnection.open(server.port, 'lp-idle');
    const kept = await LongPollConnection.open(server.port, 'lp-kept');
    expect(idle.welcome.welcome?.heartbeatIntervalMs).toBe(1_000);
    expect(await online(server, 'lp-idle')).toBe(1);
    const opened = Date.now();
    // lp-kept polls all along (holds of 1.5 s, longer than the 2 s limit in total): it stays.
    let keepPolling = true;
    const polling = (async () => {
      while (keepPolling) expect((await kept.recv(1_500)).status).toBe(200);
    })();
    await waitFor(async () => (await online(server, 'lp-idle')) === 0, { timeoutMs: 10_000, what: "the idle session's presence to be removed" });
    expect(Date.now() - opened).toBeGreaterThanOrEqual(1_900);
    expect((await idle.recv(0)).status).toBe(404);
    expect(await metric(server, 'parley_gateway_closes_total', 'code="4003"', 'transport="long_poll"')).toBe(1);
    expect(await online(server, 'lp-kept')).toBe(1);
    keepPolling = false;
    await polling;
    expect(await kept.close()).toBe(204);
  });
});
