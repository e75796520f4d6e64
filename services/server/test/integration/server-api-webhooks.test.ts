// Webhooks of the server API on the real Kafka broker and Redis server. Receivers run here
// verify every signature and timestamp. One endpoint taking every event gets each type
// exactly as docs/SERVER-API.md documents it, in order per conversation (per user for
// connection events), from the client path and the API alike; an endpoint filtered to
// message.offline gets only those; an endpoint that always fails holds back nobody else;
// and a receiver down for 10 s still gets every event once it is back.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createRegistry } from '@parley/observability';
import { SystemClock } from '@parley/ports';
import { waitFor } from '@parley/testkit';
import { loadApiConfig, ServerApi, verifyWebhook } from '@parley/api';
import { payload, realEnv, useServer } from './harness';

const API_KEY = 'webhook-test-api-key-0123456789';
const SECRETS = { all: 'webhook-secret-all-0123456789', push: 'webhook-secret-push-012345678', broken: 'webhook-secret-broken-0123456' };

interface Received {
  id: string;
  type: string;
  data: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A webhook receiver: verifies each callback's signature and timestamp, answers 204 (or 503 while failing). */
class Receiver {
  readonly events: Received[] = [];
  readonly refused: string[] = [];
  badSignatures = 0;
  failing = false;
  private server: http.Server | undefined;
  port = 0;

  constructor(private readonly secret: string) {}

  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const ok = verifyWebhook(this.secret, String(req.headers['parley-signature'] ?? ''), Number(req.headers['parley-timestamp']), body, Math.floor(Date.now() / 1000));
        if (!ok) {
          this.badSignatures += 1;
          res.writeHead(401).end();
          return;
        }
        const event = JSON.parse(body) as Received;
        if (req.headers['parley-event-id'] !== event.id) this.badSignatures += 1;
        if (this.failing) {
          this.refused.push(event.id);
          res.writeHead(503).end();
          return;
        }
        this.events.push(event);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Each event once (delivery is at least once), in first-arrival order, without the warm-up's. */
  unique(): Received[] {
    const seen = new Set<string>();
    return this.events.filter((e) => !e.id.includes('hook-warm') && (seen.has(e.id) ? false : (seen.add(e.id), true)));
  }

  /** The events whose ordering key is `key` (a conversation, or a user for connection events). */
  of(key: string): Received[] {
    return this.unique().filter((e) => (e.type.startsWith('user.') ? e.data.user : e.data.conversation) === key);
  }
}

describe('server API webhooks on real Kafka and Redis', () => {
  const all = new Receiver(SECRETS.all);
  const push = new Receiver(SECRETS.push);
  const broken = new Receiver(SECRETS.broken);
  let api: ServerApi | undefined;
  // Declared before the server's hooks, so it runs first: the API (whose broken endpoint is
  // waiting to retry) stops before the server closes the bus they share.
  afterAll(async () => {
    await api?.stop();
    await Promise.all([all.stop(), push.stop(), broken.stop()]);
  });
  const env = useServer('webhooks', { PARLEY_ACK_TIMEOUT_MS: '1000', PARLEY_APP_EVENTS: 'true' });
  const callApi = async (path: string, body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${api!.port}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return res.json() as Promise<Record<string, unknown>>;
  };

  beforeAll(async () => {
    broken.failing = true;
    await Promise.all([all.start(), push.start(), broken.start()]);
    const server = env.server;
    const endpoint = (name: keyof typeof SECRETS, receiver: Receiver, events?: string[]) => ({ name, url: `http://127.0.0.1:${receiver.port}/hook`, secret: SECRETS[name], ...(events ? { events } : {}) });
    const config = loadApiConfig({
      ...realEnv('webhooks'),
      PARLEY_TOPIC_PREFIX: server.config.PARLEY_TOPIC_PREFIX,
      PARLEY_REDIS_PREFIX: server.config.PARLEY_REDIS_PREFIX,
      PARLEY_API_KEYS: API_KEY,
      PARLEY_API_PORT: '0',
      PARLEY_WEBHOOKS: JSON.stringify([endpoint('all', all), endpoint('push', push, ['message.offline']), endpoint('broken', broken)]),
      PARLEY_WEBHOOK_TIMEOUT_MS: '2000',
      // Short waits between retries here; the defaults retry for an hour.
      PARLEY_WEBHOOK_RETRY_BASE_MS: '100',
      PARLEY_WEBHOOK_RETRY_MAX_MS: '1000',
    });
    api = new ServerApi(config, { infrastructure: server.infrastructure, registry: createRegistry(), logger: createLogger('api', 'warn'), clock: new SystemClock() });
    await api.start();
    // A new endpoint starts at the end of the topic once its consumer has joined: messages to an
    // offline user until every endpoint has seen one.
    let n = 0;
    await waitFor(
      async () => {
        await callApi('/v1/messages', { msgId: `warm-${(n += 1)}`, to: 'hook-warm', text: 'warm-up' });
        return all.events.length > 0 && push.events.length > 0 && broken.refused.length > 0;
      },
      { timeoutMs: 60_000, intervalMs: 300, what: 'every webhook endpoint to get its first event' },
    );
  });

  it('sends every event type exactly as documented, in order per conversation and per user, each endpoint only its own', async () => {
    const direct = 'd:hook-alice:hook-bob';
    const alice = await env.client('hook-alice');
    await alice.client.send('hook-bob', payload('m1'));
    await alice.client.send('hook-bob', payload('m2'));
    // bob connects only once the offline events are out: "offline" is read when the webhook handles the message.
    await waitFor(() => all.of(direct).length >= 4, { timeoutMs: 60_000, what: 'stored and offline events of m1 and m2' });
    const bob = await env.client('hook-bob');
    await waitFor(() => bob.messages.length === 2, { timeoutMs: 30_000, what: 'bob to get m1 and m2' });
    await alice.client.createGroup('hookteam', ['hook-bob']);
    await callApi('/v1/groups/hookteam/members', { requestId: 'add-carol', actAs: 'hook-alice', add: ['hook-carol'] });
    await alice.client.send('hook-bob', payload('m3'));
    await waitFor(() => all.of(direct).some((e) => e.type === 'message.delivered' && e.data.position.seq === 3), { timeoutMs: 60_000, what: 'm3 delivered' });
    await bob.close();
    await waitFor(() => all.of('hook-bob').length >= 2 && all.of('g:hookteam').length >= 2, { timeoutMs: 60_000, what: "bob's disconnected event and both group events" });

    const brief = (e: Received) => [e.type, e.data.position?.seq ?? e.data.version ?? '', e.data.user ?? e.data.to ?? ''];
    expect(all.of(direct).map(brief)).toEqual([
      ['message.stored', 1, ''],
      ['message.offline', 1, 'hook-bob'],
      ['message.stored', 2, ''],
      ['message.offline', 2, 'hook-bob'],
      ['message.delivered', 1, 'hook-bob'],
      ['message.delivered', 2, 'hook-bob'],
      ['message.stored', 3, ''],
      ['message.delivered', 3, 'hook-bob'],
    ]);
    const [stored1, offline1, , , delivered1] = all.of(direct);
    const position1 = { epoch: expect.stringMatching(/^[A-Za-z0-9_-]+$/), seq: 1 };
    const message1 = { conversation: direct, position: position1, msgId: expect.any(String), from: 'hook-alice', serverTimeMs: expect.any(Number), payload: Buffer.from('m1').toString('base64') };
    expect(stored1).toEqual({ id: `${direct}/${stored1!.data.position.epoch}/1`, type: 'message.stored', data: message1 });
    expect(offline1).toEqual({ id: `${stored1!.id}/offline/hook-bob`, type: 'message.offline', data: { ...message1, user: 'hook-bob', unread: 1 } });
    expect(delivered1).toEqual({
      id: `${stored1!.id}/delivered/hook-bob`,
      type: 'message.delivered',
      data: { conversation: direct, position: position1, msgId: stored1!.data.msgId, from: 'hook-alice', to: 'hook-bob', atMs: expect.any(Number) },
    });
    expect(all.of('g:hookteam')).toEqual([
      { id: 'g:hookteam/group/1', type: 'group.changed', data: { conversation: 'g:hookteam', version: 1, created: true, by: 'hook-alice', members: ['hook-alice', 'hook-bob'], added: ['hook-alice', 'hook-bob'], removed: [], atMs: expect.any(Number) } },
      { id: 'g:hookteam/group/2', type: 'group.changed', data: { conversation: 'g:hookteam', version: 2, created: false, by: 'hook-alice', members: ['hook-alice', 'hook-bob', 'hook-carol'], added: ['hook-carol'], removed: [], atMs: expect.any(Number) } },
    ]);
    const [connected, disconnected] = all.of('hook-bob');
    const connection = { user: 'hook-bob', gatewayId: env.server.config.PARLEY_GATEWAY_ID, connectionId: expect.any(String), device: expect.any(String), atMs: expect.any(Number) };
    expect(connected).toEqual({ id: `hook-bob/connected/${connected!.data.connectionId}`, type: 'user.connected', data: connection });
    expect(disconnected).toEqual({ id: `hook-bob/disconnected/${connected!.data.connectionId}`, type: 'user.disconnected', data: { ...connection, connectionId: connected!.data.connectionId } });
    expect(all.of('hook-alice').map((e) => e.type)).toEqual(['user.connected']);

    // The push endpoint got only offline events; the broken one is still retrying its first event.
    expect(push.unique().map((e) => [e.type, e.data.position.seq])).toEqual([['message.offline', 1], ['message.offline', 2]]);
    expect(new Set(broken.refused).size).toBe(1);
    expect(broken.refused.length).toBeGreaterThan(1);
    expect(broken.events).toEqual([]);
    expect(all.badSignatures + push.badSignatures + broken.badSignatures).toBe(0);
  });

  it('gets every event after the receiver was down for 10 s, while the other endpoint gets its own at once', async () => {
    const direct = 'd:hook-alice:hook-dave';
    const alice = await env.client('hook-alice');
    await all.stop();
    for (let i = 1; i <= 3; i += 1) await alice.client.send('hook-dave', payload(`d${i}`));
    // The endpoint filtered to offline events does not wait for the one that is down.
    await waitFor(() => push.of(direct).length === 3, { timeoutMs: 60_000, what: 'the push endpoint to get the offline events during the outage' });
    expect(all.of(direct)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 10_000)); // the rest of the receiver's outage
    await all.start(all.port);
    await waitFor(() => all.of(direct).length >= 6, { timeoutMs: 90_000, what: 'the events sent while the receiver was down' });
    expect(all.of(direct).map((e) => [e.type, e.data.position.seq])).toEqual([
      ['message.stored', 1],
      ['message.offline', 1],
      ['message.stored', 2],
      ['message.offline', 2],
      ['message.stored', 3],
      ['message.offline', 3],
    ]);
    expect(push.of(direct).map((e) => e.data.unread)).toEqual([1, 2, 3]);
    expect(all.badSignatures + push.badSignatures).toBe(0);
  });
});
