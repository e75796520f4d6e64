// `npm run start:distributed` stops like a well-behaved server: a SIGTERM to the npm process
// stops the services, the Kafka JVM and redis-server, frees every port within 10 s and says
// so; and should the launcher itself be killed with -9, the orphan guard stops them all the
// same (SIGTERM, SIGKILL after ORPHAN_STOP_GRACE_MS).
import WebSocket from 'ws';
import { descendantsOf, expectNpmScriptTreeGone, freePort, ORPHAN_STOP_GRACE_MS, startNpmScriptTree, type NpmScriptTree } from '@parley/testkit';

const STOPPED_WITHIN_MS = 10_000;
/** Starting Kafka, Redis and three services on a busy 2-core machine can take minutes. */
const STARTED_WITHIN_MS = 240_000;
const TEST_TIMEOUT_MS = STARTED_WITHIN_MS + 60_000;

interface Started extends NpmScriptTree {
  readonly gatewayPort: number;
}

async function startDistributed(): Promise<Started> {
  const gatewayPort = await freePort();
  const settings = { PARLEY_GATEWAY_PORT: String(gatewayPort), PARLEY_SEQUENCER_ADMIN_PORT: '0', PARLEY_DELIVERY_ADMIN_PORT: '0' };
  return { ...(await startNpmScriptTree('start:distributed', settings, /stops everything/, STARTED_WITHIN_MS)), gatewayPort };
}

const expectAllGone = expectNpmScriptTreeGone;

/** Resolves once a WebSocket to `url` is open (the gateway accepted its token), rejects on error or close. */
function opens(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => {
      socket.terminate();
      resolve();
    });
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

describe('npm run start:distributed stops everything it started', () => {
  it('on SIGTERM to the npm process, within 10 s, and says so', async () => {
    const started = await startDistributed();
    // The launcher, the orphan guard's watchdog, redis-server, the Kafka JVM and three services;
    // the gateway, two admin ports, Kafka's two listeners and Redis.
    expect(started.processes.length).toBeGreaterThanOrEqual(7);
    expect(started.ports).toContain(started.gatewayPort);
    expect(started.ports.length).toBeGreaterThanOrEqual(6);

    // The demo page and /dev/token, as `npm start` serves them, marked as development only.
    const base = `http://127.0.0.1:${started.gatewayPort}`;
    expect(started.npm.output()).toContain(`demo chat on ${base} (DEVELOPMENT ONLY`);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script[^>]+app\.js/);
    expect((await fetch(`${base}/parley.js`)).status).toBe(200);
    const { token } = (await (await fetch(`${base}/dev/token?user=alice`)).json()) as { token: string };
    await opens(`ws://127.0.0.1:${started.gatewayPort}/ws?token=${encodeURIComponent(token)}`);
    await expect(opens(`ws://127.0.0.1:${started.gatewayPort}/ws?token=not-a-token`)).rejects.toThrow();

    started.npm.kill('SIGTERM');
    await expectAllGone(started, STOPPED_WITHIN_MS);
    await started.npm.exited;
    const output = started.npm.output();
    expect(output).toMatch(/\[parley\] SIGTERM: stopping everything it started/);
    expect(output).toMatch(/\[parley\] every process it started has exited/);
  }, TEST_TIMEOUT_MS);

  it('when the launcher is killed with -9: no orphan', async () => {
    const started = await startDistributed();
    const launcher = started.processes[0]!; // npm's only child: the launcher (npm runs it with exec)
    expect(descendantsOf(started.npm.pid)[0]).toBe(launcher);
    process.kill(launcher, 'SIGKILL');
    await expectAllGone(started, ORPHAN_STOP_GRACE_MS + STOPPED_WITHIN_MS);
  }, TEST_TIMEOUT_MS);
});
