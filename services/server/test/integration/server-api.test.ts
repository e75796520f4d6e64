// The server API on the real Kafka broker and Redis server, next to a parley server: a send
// through the API goes the clients' way (sequencer dedupe and order, delivery to connected
// clients), a retried send answers the same position and is delivered once, and group
// administration, history, conversations and presence read what the clients see; a revoked
// user is disconnected (4008) and cannot come back with an old token.
import { createLogger, createRegistry } from '@parley/observability';
import { SystemClock } from '@parley/ports';
import { waitFor } from '@parley/testkit';
import { loadApiConfig, ServerApi } from '@parley/api';
import WebSocket from 'ws';
import { signToken } from '@parley/auth';
import { asUserId, CloseCode, decodeFrame, ErrorCode } from '@parley/protocol';
import { expectExactlyOnceInOrder, payload, RawConnection, realEnv, TEST_SECRET, useServer } from './harness';

const API_KEY = 'integration-test-api-key-0123456789';

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('the server API on real Kafka and Redis', () => {
  const env = useServer('serverapi', { PARLEY_ACK_TIMEOUT_MS: '1000' });
  let api: ServerApi;

  beforeAll(async () => {
    const server = env.server;
    const config = loadApiConfig({ ...realEnv('serverapi'), PARLEY_TOPIC_PREFIX: server.config.PARLEY_TOPIC_PREFIX, PARLEY_REDIS_PREFIX: server.config.PARLEY_REDIS_PREFIX, PARLEY_API_KEYS: API_KEY, PARLEY_API_PORT: '0', PARLEY_API_MAX_PAGE: '5' });
    api = new ServerApi(config, { infrastructure: server.infrastructure, registry: createRegistry(), logger: createLogger('api', 'warn'), clock: new SystemClock() });
    await api.start();
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function call(method: string, path: string, body?: unknown, key: string | null = API_KEY): Promise<Answer> {
    const res = await fetch(`http://127.0.0.1:${api.port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  }

  it('refuses a request without a valid API key, with the catalogue code', async () => {
    expect(await call('GET', '/v1/presence?users=a', undefined, null)).toMatchObject({ status: 401, body: { error: { code: ErrorCode.TOKEN_MISSING, name: 'TOKEN_MISSING', retryable: false } } });
    expect(await call('GET', '/v1/presence?users=a', undefined, 'not-the-key-but-long-enough-000')).toMatchObject({ status: 401, body: { error: { code: ErrorCode.TOKEN_INVALID } } });
  });

  it("delivers an API send exactly once, in order with a client's own messages to the same conversation", async () => {
    const alice = await env.client('api-alice');
    const bob = await env.client('api-bob');
    const expected: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const viaClient = `client-${i}`;
      await alice.client.send('api-bob', payload(viaClient));
      expected.push(viaClient);
      const viaApi = `api-${i}`;
      const answer = await call('POST', '/v1/messages', { msgId: `api-msg-${i}`, from: 'api-alice', to: 'api-bob', text: viaApi });
      expect(answer).toMatchObject({ status: 200, body: { conversation: 'd:api-alice:api-bob', from: 'api-alice', msgId: `api-msg-${i}` } });
      expected.push(viaApi);
    }
    await waitFor(() => bob.messages.length >= 20, { timeoutMs: 60_000, what: 'bob to get 20 messages' });
    expectExactlyOnceInOrder(bob.texts(), expected);
    const seqs = bob.messages.map((m) => m.position.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(bob.messages.filter((m) => m.msgId.startsWith('api-msg-')).every((m) => m.fromUser === 'api-alice')).toBe(true);
  });

  it('answers a retried send with the same position and delivers it once', async () => {
    const carol = await env.client('api-carol');
    const send = { msgId: 'retried-1', to: 'api-carol', text: 'once' };
    const first = await call('POST', '/v1/messages', send);
    const again = await call('POST', '/v1/messages', send);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.position).toEqual(first.body.position);
    expect(first.body).toMatchObject({ from: 'system', conversation: 'd:api-carol:system' });
    // A later message settles when it is delivered: the retry had every chance to show up twice by then.
    const later = await call('POST', '/v1/messages', { msgId: 'retried-2', to: 'api-carol', text: 'after' });
    expect(later.body.position).toEqual({ epoch: first.body.position.epoch, seq: first.body.position.seq + 1 });
    await waitFor(() => carol.texts().includes('after'), { timeoutMs: 30_000, what: 'carol to get the later message' });
    expect(carol.texts()).toEqual(['once', 'after']);
    expect(carol.messages[0]).toMatchObject({ fromUser: 'system', position: first.body.position });
  });

  it('administers a group the way clients do, and reads history, conversations and presence', async () => {
    const dana = await env.client('api-dana');
    const created = await call('POST', '/v1/groups', { requestId: 'mk-1', actAs: 'api-erin', groupId: 'api-team', members: ['api-dana'] });
    expect(created).toEqual({ status: 200, body: { conversation: 'g:api-team', members: ['api-dana', 'api-erin'] } });
    expect((await call('POST', '/v1/groups', { requestId: 'mk-2', actAs: 'api-erin', groupId: 'api-team', members: ['api-finn'] })).body.error.code).toBe(ErrorCode.GROUP_EXISTS);
    const changed = await call('POST', '/v1/groups/api-team/members', { requestId: 'ch-1', actAs: 'api-erin', add: ['api-finn'] });
    expect(changed.body.members).toEqual(['api-dana', 'api-erin', 'api-finn']);
    expect((await call('POST', '/v1/groups/api-team/members', { requestId: 'ch-2', actAs: 'api-stranger', add: ['api-gus'] })).body.error.code).toBe(ErrorCode.NOT_A_MEMBER);
    expect((await call('GET', '/v1/groups/api-team')).body.members).toEqual(['api-dana', 'api-erin', 'api-finn']);

    const texts = Array.from({ length: 7 }, (_, i) => `team-${i}`);
    for (const [i, text] of texts.entries()) {
      expect((await call('POST', '/v1/messages', { msgId: `team-${i}`, from: 'api-erin', conversation: 'g:api-team', text })).status).toBe(200);
    }
    expect((await call('POST', '/v1/messages', { msgId: 'x', from: 'api-stranger', conversation: 'g:api-team', text: 'no' })).body.error.code).toBe(ErrorCode.NOT_A_MEMBER);
    await waitFor(() => dana.messages.length >= 7, { timeoutMs: 30_000, what: 'dana to get the group messages' });
    expectExactlyOnceInOrder(dana.texts(), texts);

    // History in bounded pages (PARLEY_API_MAX_PAGE = 5).
    expect((await call('GET', '/v1/conversations/g:api-team/messages?limit=50')).body.error).toMatchObject({ code: ErrorCode.INVALID_FIELD, message: expect.stringMatching(/limit/) });
    const page1 = await call('GET', '/v1/conversations/g:api-team/messages');
    expect(page1.body).toMatchObject({ latestSeq: 7, truncated: false, nextAfter: 5 });
    const page2 = await call('GET', `/v1/conversations/g:api-team/messages?after=${page1.body.nextAfter}`);
    expect(page2.body.nextAfter).toBeUndefined();
    const history = [...page1.body.messages, ...page2.body.messages];
    expect(history.map((m: { payload: string }) => Buffer.from(m.payload, 'base64').toString())).toEqual(texts);
    expect(history.map((m: { position: { seq: number } }) => m.position.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    // finn never connected: everything is unread for him.
    await waitFor(async () => (await call('GET', '/v1/users/api-finn/conversations')).body.conversations?.length === 1, { timeoutMs: 30_000, what: "the group in finn's conversations" });
    expect((await call('GET', '/v1/users/api-finn/conversations')).body.conversations[0]).toMatchObject({ conversation: 'g:api-team', latest: { seq: 7 }, read: { seq: 0 }, unread: 7 });

    const presence = await call('GET', '/v1/presence?users=api-dana,api-finn');
    expect(presence.body.users['api-finn']).toEqual({ online: false, connections: [] });
    expect(presence.body.users['api-dana'].online).toBe(true);
    expect(presence.body.users['api-dana'].connections).toHaveLength(1);
    expect(presence.body.users['api-dana'].connections[0].gateway).toBe(env.server.config.PARLEY_GATEWAY_ID);
  });

  it('revokes a user: open connections close with 4008, an old token is closed before welcome, a new token works', async () => {
    const wsUrl = (token: string) => `ws://127.0.0.1:${env.server.port}/ws?token=${token}`;
    const oldToken = signToken(TEST_SECRET, asUserId('api-mallory'), 3600);
    const issuedMs = Date.now();
    const first = await RawConnection.open(wsUrl(oldToken));
    const second = await RawConnection.open(wsUrl(oldToken));
    const bystander = await RawConnection.open(wsUrl(signToken(TEST_SECRET, asUserId('api-victor'), 3600)));
    // Tokens count whole seconds: the revocation (now) must fall in a later second than the old token.
    await waitFor(() => Math.floor(Date.now() / 1000) > Math.floor(issuedMs / 1000), { timeoutMs: 5_000, what: 'the next second' });
    const revoked = await call('POST', '/v1/users/api-mallory/revoke', {});
    expect(revoked).toMatchObject({ status: 200, body: { user: 'api-mallory', gateways: 1 } });
    expect(revoked.body.revokedBefore).toBeGreaterThan(Math.floor(issuedMs / 1000));
    expect(await first.closed()).toBe(CloseCode.REVOKED);
    expect(await second.closed()).toBe(CloseCode.REVOKED);

    // The old token again: closed 4008 before any welcome.
    const again = new WebSocket(wsUrl(oldToken));
    const frames: string[] = [];
    again.on('message', (data: Buffer) => frames.push(decodeFrame(new Uint8Array(data)).packet ?? ''));
    const code = await new Promise<number>((resolve, reject) => {
      again.once('close', (c) => resolve(c));
      again.once('error', reject);
    });
    expect(code).toBe(CloseCode.REVOKED);
    expect(frames).toEqual([]);

    // A token issued from the revocation's second on is welcomed; the bystander never noticed.
    const fresh = await RawConnection.open(wsUrl(signToken(TEST_SECRET, asUserId('api-mallory'), 3600)));
    fresh.send({ ping: { nonce: 1 } });
    await fresh.next('pong');
    expect(fresh.closeCode).toBeUndefined();
    expect(bystander.closeCode).toBeUndefined();
    fresh.close();
    bystander.close();
  });
});
