// Webhook callbacks of the server API on the real Kafka broker and Redis server: a receiver
// run here verifies every signature and gets `message.stored` and `message.offline` (with the
// unread count) for each message, in the conversation's order, and still gets every event
// after it was down for 10 s.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createRegistry } from '@parley/observability';
import { SystemClock } from '@parley/ports';
import { waitFor } from '@parley/testkit';
import { loadApiConfig, ServerApi, verifyWebhook } from '@parley/api';
import { payload, realEnv, useServer } from './harness';

const SECRET = 'webhook-test-secret-0123456789';

interface Received {
  id: string;
  type: string;
  data: { position: { seq: number }; user?: string; unread?: number; msgId: string };
}

class Receiver {
  readonly events: Received[] = [];
  badSignatures = 0;
  private server: http.Server | undefined;
  port = 0;

  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const ok = verifyWebhook(SECRET, String(req.headers['parley-signature'] ?? ''), Number(req.headers['parley-timestamp']), body, Math.floor(Date.now() / 1000));
        if (!ok) {
          this.badSignatures += 1;
          res.writeHead(401).end();
          return;
        }
        this.events.push(JSON.parse(body) as Received);
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

  /** Each event once (delivery is at least once), in first-arrival order. */
  unique(): Received[] {
    const seen = new Set<string>();
    return this.events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  }
}

describe('server API webhooks on real Kafka and Redis', () => {
  const env = useServer('webhooks', { PARLEY_ACK_TIMEOUT_MS: '1000' });
  const receiver = new Receiver();
  let api: ServerApi;

  beforeAll(async () => {
    await receiver.start();
    const server = env.server;
    const config = loadApiConfig({
      ...realEnv('webhooks'),
      PARLEY_TOPIC_PREFIX: server.config.PARLEY_TOPIC_PREFIX,
      PARLEY_REDIS_PREFIX: server.config.PARLEY_REDIS_PREFIX,
      PARLEY_API_KEYS: 'webhook-test-api-key-0123456789',
      PARLEY_API_PORT: '0',
      PARLEY_WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/hook`,
      PARLEY_WEBHOOK_SECRET: SECRET,
      PARLEY_WEBHOOK_TIMEOUT_MS: '2000',
      PARLEY_WEBHOOK_MAX_ATTEMPTS: '40',
    });
    api = new ServerApi(config, { infrastructure: server.infrastructure, registry: createRegistry(), logger: createLogger('api', 'warn'), clock: new SystemClock() });
    await api.start();
  });
  afterAll(async () => {
    await api?.stop();
    await receiver.stop();
  });

  const expectedFor = (seqs: number[]) =>
    seqs.flatMap((seq) => [
      { type: 'message.stored', seq },
      { type: 'message.offline', seq, user: 'hook-bob', unread: seq },
    ]);
  const seen = () => receiver.unique().map((e) => ({ type: e.type, seq: e.data.position.seq, ...(e.data.user ? { user: e.data.user, unread: e.data.unread } : {}) }));

  it('signs every callback and sends stored and offline events in order, and all of them after the receiver was down for 10 s', async () => {
    const alice = await env.client('hook-alice');
    for (let i = 1; i <= 3; i += 1) await alice.client.send('hook-bob', payload(`m${i}`));
    await waitFor(() => receiver.unique().length >= 6, { timeoutMs: 60_000, what: 'six webhook events' });
    expect(seen()).toEqual(expectedFor([1, 2, 3]));

    await receiver.stop();
    for (let i = 4; i <= 6; i += 1) await alice.client.send('hook-bob', payload(`m${i}`));
    await new Promise((resolve) => setTimeout(resolve, 10_000)); // the receiver's outage
    await receiver.start(receiver.port);
    await waitFor(() => receiver.unique().length >= 12, { timeoutMs: 90_000, what: 'the events sent while the receiver was down' });
    expect(seen()).toEqual(expectedFor([1, 2, 3, 4, 5, 6]));
    expect(receiver.badSignatures).toBe(0);
    expect(receiver.unique()[0]!.id).toMatch(/^d:hook-alice:hook-bob\/[A-Za-z0-9_-]+\/1$/);
  });
});
