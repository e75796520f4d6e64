// A gateway process told to stop (SIGTERM, as Kubernetes does in a rolling update): /readyz
// fails first while its connections stay open, then they close with 4007 DRAINING; a message
// it received just before the signal still reaches the sequencer and its receiver (the
// uplink is flushed); its presence entries are gone; it exits by itself with code 0.
import http from 'node:http';
import { join } from 'node:path';
import { asUserId, CloseCode } from '@parley/protocol';
import { SAME_SIGNAL_WINDOW_MS } from '@parley/runtime';
import { freePort, NodeProcessHandle, spawnNodeProcess, waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { expectExactlyOnceInOrder, RawConnection, realEnv, RecordingClient, startServer, tokenFor, wsUrl } from './harness';

const GATEWAY_MAIN = join(__dirname, '../../../gateway/dist/main.js');
const DRAIN_DELAY_MS = 1_500;
const DRAIN_WINDOW_MS = 1_000;

/** fetch without keep-alive: pooled sockets would outlive the gateway and hold jest open. */
const request = (url: string, init: RequestInit = {}): Promise<Response> =>
  fetch(url, { ...init, headers: { connection: 'close', ...(init.headers as Record<string, string> | undefined) } });

function readyz(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/readyz' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('gateway drain on SIGTERM', () => {
  let core: ParleyServer;
  let gateway: NodeProcessHandle | undefined;
  let bob: RecordingClient | undefined;

  afterAll(async () => {
    await bob?.close();
    await gateway?.stop();
    await core?.stop();
  });

  it('fails /readyz first, closes its sockets with 4007, flushes what it received and removes its presence', async () => {
    const env = realEnv('gwdrain');
    // Sequencer, delivery and a second gateway in this process; the draining gateway as its own process.
    core = await startServer({ ...env, PARLEY_ROLES: 'gateway,sequencer,delivery', PARLEY_GATEWAY_ID: 'gw-staying' });
    const port = await freePort();
    const { PARLEY_ROLES: _roles, ...gatewayEnv } = env;
    gateway = spawnNodeProcess(GATEWAY_MAIN, [], {
      ...gatewayEnv,
      PARLEY_GATEWAY_ID: 'gw-draining',
      PARLEY_GATEWAY_PORT: String(port),
      PARLEY_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      PARLEY_DRAIN_WINDOW_MS: String(DRAIN_WINDOW_MS),
      PARLEY_LOG_LEVEL: 'info',
    });
    await gateway.waitForLine(/gateway listening/, 60_000);
    expect(await readyz(port)).toBe(200);

    bob = await new RecordingClient(core.port, 'bob').connect();
    const alice = await RawConnection.open(`${wsUrl(port, 'alice')}&device=alice-phone`);
    const carol = await RawConnection.open(wsUrl(port, 'carol'));
    expect((await core.infrastructure.presence.lookup([asUserId('alice')])).get(asUserId('alice'))).toHaveLength(1);
    // A long-poll session: its held recv is answered with the close code, and so is the next one.
    const base = `http://127.0.0.1:${port}`;
    const opened = await request(`${base}/lp/open?token=${tokenFor('dave')}`, { method: 'POST' });
    expect(opened.status).toBe(200);
    const session = opened.headers.get('x-parley-session') ?? '';
    await opened.arrayBuffer();

    // A raw connection never resends: what bob gets must be the draining gateway's own copy.
    alice.send({ msgR: { msgId: 'just-before', toUser: 'bob', clientSeq: 1, payload: Buffer.from('sent just before SIGTERM') } });
    gateway.kill('SIGTERM');
    const held = request(`${base}/lp/recv?session=${session}&ack=0&hold=25000`);

    await waitFor(async () => (await readyz(port)) === 503, { timeoutMs: 5_000, what: '/readyz to fail' });
    // Readiness fails while the connections are still open (the load balancer stops first).
    expect(alice.closeCode).toBeUndefined();
    expect(carol.closeCode).toBeUndefined();

    expect(await alice.closed(30_000)).toBe(CloseCode.DRAINING);
    expect(await carol.closed(30_000)).toBe(CloseCode.DRAINING);
    const heldAnswer = await held;
    expect({ status: heldAnswer.status, body: (await heldAnswer.json()) as unknown }).toMatchObject({ status: 410, body: { closeCode: CloseCode.DRAINING } });
    const next = await request(`${base}/lp/recv?session=${session}&ack=0&hold=0`).catch(() => undefined);
    // Answered 410 4007 too while the gateway is still up (not 404: the client would take it for a lost link).
    if (next) expect({ status: next.status, body: (await next.json()) as unknown }).toMatchObject({ status: 410, body: { closeCode: CloseCode.DRAINING } });

    await waitFor(() => bob!.messages.length >= 1, { timeoutMs: 30_000, what: 'bob to get the message' });
    expectExactlyOnceInOrder(bob.texts(), ['sent just before SIGTERM']);
    expect(bob.messages[0]!.position.seq).toBe(1);

    expect(await gateway.exited).toBe(0);
    gateway = undefined;
    const presence = await core.infrastructure.presence.lookup([asUserId('alice'), asUserId('carol')]);
    expect(presence.get(asUserId('alice'))).toBeUndefined();
    expect(presence.get(asUserId('carol'))).toBeUndefined();
  }, 120_000);

  it('stops at once on a second SIGTERM during the drain', async () => {
    const env = realEnv('gwdrain2');
    const port = await freePort();
    const { PARLEY_ROLES: _roles, ...gatewayEnv } = env;
    const patient = spawnNodeProcess(GATEWAY_MAIN, [], {
      ...gatewayEnv,
      PARLEY_GATEWAY_PORT: String(port),
      // A drain that would take minutes: only the second signal can end it soon.
      PARLEY_DRAIN_DELAY_MS: '120000',
      PARLEY_DRAIN_WINDOW_MS: '120000',
      PARLEY_LOG_LEVEL: 'info',
    });
    try {
      await patient.waitForLine(/gateway listening/, 60_000);
      const alice = await RawConnection.open(wsUrl(port, 'alice'));
      patient.kill('SIGTERM');
      await waitFor(async () => (await readyz(port)) === 503, { timeoutMs: 5_000, what: '/readyz to fail' });
      expect(alice.closeCode).toBeUndefined(); // still within the drain delay
      // The same signal within SAME_SIGNAL_WINDOW_MS is the same stop request (a terminal's ^C
      // reaches a process twice): only a later one means "stop now".
      await new Promise((resolve) => setTimeout(resolve, SAME_SIGNAL_WINDOW_MS + 500));
      patient.kill('SIGTERM');
      expect(await patient.exited).toBe(130);
      await alice.closed(10_000);
    } finally {
      await patient.stop();
    }
  }, 120_000);
});
