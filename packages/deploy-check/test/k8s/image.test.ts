// The container image, proven with podman: the real Dockerfile is built unchanged on a local
// stand-in for node:20-bookworm-slim (no base image can be pulled here), and every service it
// runs serves /healthz and /metrics as a non-root user with a read-only root filesystem, no
// capabilities and no tmpfs at all, then stops on SIGTERM by itself (exit code 0, not the 137
// of the runtime's SIGKILL).
import fs from 'node:fs';
import net from 'node:net';
import { freePort, startKafkaBroker, startRedisServer, waitFor, type KafkaBrokerHandle, type RedisServerHandle } from '@parley/testkit';
import { answersOk, buildImage, dockerfileBaseImages, httpGet, makeLocalBaseImage, podman, removeContainers, runContainer, type PodmanContainer } from '../../src';

jest.setTimeout(10 * 60_000);

const IMAGE = 'localhost/parley:deploy-check';
// What Kubernetes' readOnlyRootFilesystem + drop ALL give a container: no writable path at all
// (podman would otherwise mount tmpfs on /tmp, /var/tmp and /run), no capabilities.
const HARDENED = ['--network', 'host', '--read-only', '--read-only-tmpfs=false', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
const JWT_SECRET = 'image-test-secret-0123456789';

let kafka: KafkaBrokerHandle | undefined;
let redis: RedisServerHandle | undefined;

beforeAll(async () => {
  const tag = await makeLocalBaseImage();
  expect(dockerfileBaseImages().map((b) => `docker.io/library/${b}`)).toEqual([tag]);
  const build = await buildImage(IMAGE);
  process.stdout.write(`podman build: ${Math.round(build.ms / 1000)} s\n`);
  [kafka, redis] = await Promise.all([startKafkaBroker(), startRedisServer()]);
}, 60 * 60_000);

afterEach(async () => {
  await removeContainers();
});

afterAll(async () => {
  await removeContainers();
  await Promise.all([kafka?.stop(), redis?.stop()]);
});

async function processUid(container: PodmanContainer): Promise<number> {
  const status = fs.readFileSync(`/proc/${await container.hostPid()}/status`, 'utf8');
  const uid = /^Uid:\s+(\d+)/m.exec(status);
  if (!uid) throw new Error('no Uid line in /proc/<pid>/status');
  return Number(uid[1]);
}

async function waitHealthy(container: PodmanContainer, url: string): Promise<void> {
  await waitFor(async () => {
    if (!(await container.running())) throw new Error(`container exited:\n${await container.logs()}`);
    return answersOk(url);
  }, { timeoutMs: 120_000, intervalMs: 250, what: `${url} to answer 200` });
}

/** The checks every service must pass in the hardened container, then a SIGTERM stop. */
async function provesService(container: PodmanContainer, base: string, metric: string): Promise<void> {
  await waitHealthy(container, `${base}/healthz`);
  await waitFor(() => answersOk(`${base}/readyz`), { timeoutMs: 60_000, what: `${base}/readyz` });
  const metrics = await httpGet(`${base}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.body).toContain(`# TYPE ${metric} `);

  expect(await processUid(container)).not.toBe(0);
  expect(await container.inspect<boolean>('.HostConfig.ReadonlyRootfs')).toBe(true);
  // Nothing in the image can write to its root filesystem, not even where the code lives.
  const write = await container.exec(['node', '-e', "require('fs').writeFileSync('/app/probe', 'x')"]);
  expect(write.code).not.toBe(0);
  expect(write.stderr).toMatch(/EROFS|EACCES/);

  const stop = await container.stop(30);
  process.stdout.write(`podman stop: ${stop.ms} ms, exit code ${stop.exitCode}\n`);
  // 0: the service's own SIGTERM handling finished; a SIGKILL after the grace would be 137.
  expect(stop.exitCode).toBe(0);
}

test('the image runs as uid 1000 with node 20 on Debian 12 and no build tooling', async () => {
  expect(await podman(['image', 'inspect', '--format', '{{.Config.User}}', IMAGE]).then((r) => r.stdout.trim())).toBe('1000:1000');
  const probe = await podman(['run', '--rm', ...HARDENED, '--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096', '--entrypoint', 'node', IMAGE, '-e', `
    const fs = require('fs');
    const has = (m) => { try { require.resolve(m, { paths: ['/app'] }); return true; } catch { return false; } };
    console.log(JSON.stringify({
      node: process.versions.node.split('.')[0],
      debian: fs.readFileSync('/etc/debian_version', 'utf8').trim().split('.')[0],
      uid: process.getuid(),
      npm: fs.existsSync('/usr/local/bin/npm'),
      runtime: ['uWebSockets.js', 'kafkajs', 'ioredis', 'prom-client'].every(has),
      dev: ['typescript', 'jest', 'turbo', '@swc/core', 'protobufjs-cli', 'playwright-core'].filter(has),
    }));`]);
  expect(JSON.parse(probe.stdout)).toEqual({ node: '20', debian: '12', uid: 1000, npm: false, runtime: true, dev: [] });
});

test('an unknown service name is refused with the list of services', async () => {
  const r = await podman(['run', '--rm', ...HARDENED, '--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096', IMAGE, 'web'], 60_000, false);
  expect(r.code).toBe(64);
  expect(r.stderr).toContain('run one of: server, gateway, sequencer, delivery, api');
});

test('server (all-in-one): /healthz and /metrics as non-root on a read-only root, stops on SIGTERM', async () => {
  const port = await freePort();
  const c = await runContainer({ image: IMAGE, args: ['server'], flags: HARDENED, env: { PARLEY_GATEWAY_PORT: String(port) } });
  await provesService(c, `http://127.0.0.1:${port}`, 'parley_gateway_connections');
});

test('gateway on real Kafka and Redis: /healthz and /metrics as non-root on a read-only root, stops on SIGTERM', async () => {
  const port = await freePort();
  const c = await runContainer({
    image: IMAGE,
    args: ['gateway'],
    flags: HARDENED,
    env: { ...busEnv('gw'), PARLEY_JWT_SECRET: JWT_SECRET, PARLEY_GATEWAY_ID: 'image-gw', PARLEY_GATEWAY_HOST: '127.0.0.1', PARLEY_GATEWAY_PORT: String(port) },
  });
  await provesService(c, `http://127.0.0.1:${port}`, 'parley_gateway_connections');
});

test('sequencer on real Kafka and Redis: /healthz and /metrics as non-root on a read-only root, stops on SIGTERM', async () => {
  const port = await freePort();
  const c = await runContainer({ image: IMAGE, args: ['sequencer'], flags: HARDENED, env: { ...busEnv('seq'), PARLEY_SEQUENCER_ADMIN_PORT: String(port) } });
  await provesService(c, `http://127.0.0.1:${port}`, 'parley_sequencer_messages_total');
});

test('delivery on real Kafka and Redis: /healthz and /metrics as non-root on a read-only root, stops on SIGTERM', async () => {
  const port = await freePort();
  const c = await runContainer({ image: IMAGE, args: ['delivery'], flags: HARDENED, env: { ...busEnv('dlv'), PARLEY_DELIVERY_ADMIN_PORT: String(port) } });
  await provesService(c, `http://127.0.0.1:${port}`, 'parley_delivery_outcomes_total');
});

test('server API on real Kafka and Redis: /healthz and /metrics as non-root on a read-only root, stops on SIGTERM', async () => {
  const port = await freePort();
  const c = await runContainer({
    image: IMAGE,
    args: ['api'],
    flags: HARDENED,
    env: { ...busEnv('api'), PARLEY_API_KEYS: 'an-api-key-for-the-image-test', PARLEY_API_PORT: String(await freePort()), PARLEY_API_ADMIN_PORT: String(port) },
  });
  await provesService(c, `http://127.0.0.1:${port}`, 'parley_api_requests_total');
});

test('a service still starting (its Kafka does not answer) ends at once on SIGTERM', async () => {
  // A listener that accepts connections and never answers: the service stays in its start-up.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => sockets.add(s.on('error', () => {})));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as net.AddressInfo).port;
  try {
    const c = await runContainer({
      image: IMAGE,
      args: ['sequencer'],
      flags: HARDENED,
      env: { ...busEnv('silent'), PARLEY_KAFKA_BROKERS: `127.0.0.1:${port}`, PARLEY_SEQUENCER_ADMIN_PORT: String(await freePort()) },
    });
    await waitFor(() => sockets.size > 0, { timeoutMs: 60_000, what: 'the sequencer to connect to the silent broker' });
    expect(await c.running()).toBe(true);
    const stop = await c.stop(30);
    // 143 = 128 + SIGTERM: the image's entry point ended the start-up (a SIGKILL would be 137).
    expect(stop.exitCode).toBe(143);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

function busEnv(name: string): Record<string, string> {
  if (!kafka || !redis) throw new Error('Kafka and Redis are not running');
  const unique = `${name}${Date.now().toString(36)}`;
  return {
    PARLEY_KAFKA_BROKERS: kafka.brokers.join(','),
    PARLEY_REDIS_URL: redis.url,
    PARLEY_TOPIC_PREFIX: `image-${unique}`,
    PARLEY_REDIS_PREFIX: `image:${unique}:`,
    PARLEY_TOPIC_PARTITIONS: '2',
  };
}
