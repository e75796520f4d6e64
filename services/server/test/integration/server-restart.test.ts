// The network is cut (the server stopped, then restarted on the same port) while the
// application keeps sending: after the reconnection every message arrives once, in order.
import { waitFor } from '@parley/testkit';
import { freePort } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { expectExactlyOnceInOrder, payload, realEnv, RecordingClient, startServer } from './harness';

describe('a server restart while the application keeps sending', () => {
  let env: Record<string, string>;
  let server: ParleyServer | undefined;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    env = realEnv('restart', { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '20000', PARLEY_ACK_TIMEOUT_MS: '1000' });
    env.PARLEY_GATEWAY_PORT = String(await freePort());
    server = await startServer(env);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.stop();
  });

  it('delivers everything sent before, during and after the outage once, in order', async () => {
    const port = Number(env.PARLEY_GATEWAY_PORT);
    const alice = new RecordingClient(port, 'alice', { backoff: { minDelayMs: 100, maxDelayMs: 400 } });
    const bob = new RecordingClient(port, 'bob', { backoff: { minDelayMs: 100, maxDelayMs: 400 } });
    clients.push(alice, bob);
    await alice.connect();
    await bob.connect();
    const texts = Array.from({ length: 300 }, (_, i) => `r-${String(i).padStart(3, '0')}`);
    const sends: Array<Promise<unknown>> = texts.slice(0, 100).map((t) => alice.client.send('bob', payload(t)));
    await waitFor(() => bob.messages.length >= 50, { timeoutMs: 20_000, what: 'the conversation to be under way' });

    await server!.stop(); // the network is gone for both clients
    server = undefined;
    await waitFor(() => alice.client.state !== 'connected' && bob.client.state !== 'connected', { timeoutMs: 10_000, what: 'both clients to see the outage' });
    // The application keeps sending while disconnected: these wait in the client's queue.
    sends.push(...texts.slice(100, 200).map((t) => alice.client.send('bob', payload(t))));

    server = await startServer(env); // same port, same Kafka and Redis
    sends.push(...texts.slice(200).map((t) => alice.client.send('bob', payload(t))));
    await Promise.all(sends);
    await waitFor(() => bob.messages.length >= 300, { timeoutMs: 60_000, what: 'bob to receive all 300' });
    expectExactlyOnceInOrder(bob.texts(), texts);
    expect(alice.client.stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(bob.client.stats.reconnects).toBeGreaterThanOrEqual(1);
  });
});
