// The manifests on a real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler; kwok standing in for the kubelet of one node): the prod overlay passes the API
// server's strict server-side validation, the dev overlay is applied and rolls out, the real
// services run on the pod IPs kwok assigned with the environment the manifests give them, and a
// Prometheus configured from the shipped ServiceMonitors discovers them through the API
// (EndpointSlices) and scrapes each one; the shipped alert rules and dashboard queries run
// against what it scraped.
//
// Not proven here: no kubelet runs containers or probes (kwok marks pods running and ready; the
// test runs each service as a process and checks its probes itself); the image is proven by
// image.test.ts.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { parse as parseYaml } from 'yaml';
import { signToken } from '@parley/auth';
import { ParleyClient } from '@parley/client';
import { asUserId } from '@parley/protocol';
import { startKafkaBroker, startRedisServer, waitFor, type KafkaBrokerHandle, type RedisServerHandle } from '@parley/testkit';
import {
  answersOk,
  dashboardQueries,
  fastTools,
  kustomizeBuild,
  loadDashboard,
  objectsOfKind,
  repoPath,
  runCommand,
  withVariables,
  type K8sObject,
} from '../../src';
import { controlPlaneTools, type ControlPlaneTools } from '../../src/control-plane-tools';
import { NODE_NAME, POD_CIDR, startControlPlane, type ControlPlane } from '../../src/control-plane';
import { startDaemon, stopAll, type Daemon } from '../../src/daemon';
import { containerEnv, type PodLike } from '../../src/pod-env';
import { metricNameOf, selectorText, startPrometheus, vectorSelectors, type PrometheusHandle } from '../../src/prometheus';
import { scrapeConfigsYaml, type ServiceMonitor } from '../../src/service-monitor-scrape';

jest.setTimeout(10 * 60_000);

const NAMESPACE = 'parley-dev';
const SERVICES = ['gateway', 'sequencer', 'delivery', 'api'] as const;
const RULES_FILE = 'deploy/prometheus/parley-rules.yml';
const MAIN: Record<string, string> = {
  gateway: 'services/gateway/dist/main.js',
  sequencer: 'services/sequencer/dist/main.js',
  delivery: 'services/delivery/dist/main.js',
  api: 'services/api/dist/main.js',
};

let tools: ControlPlaneTools;
let cp: ControlPlane | undefined;
let kafka: KafkaBrokerHandle | undefined;
let redis: RedisServerHandle | undefined;
let prometheus: PrometheusHandle | undefined;
const services: Daemon[] = [];
const clients: ParleyClient[] = [];

/** The running services, by component, once the rollout test started them: `port` is the
 * first container port (the gateway's clients, the API's requests), `metricsPort` the one its
 * ServiceMonitor scrapes. */
const running = new Map<string, { pod: PodLike; ip: string; port: number; metricsPort: number; env: Record<string, string> }>();

/** The webhook endpoint the server API calls: the bodies it received. */
const webhookBodies: Array<{ id: string; type: string; data: Record<string, unknown> }> = [];
let webhookReceiver: http.Server | undefined;

beforeAll(async () => {
  let t = Date.now();
  tools = await controlPlaneTools();
  process.stdout.write(`control-plane tools ready in ${Math.round((Date.now() - t) / 1000)} s\n`);
  t = Date.now();
  cp = await startControlPlane(tools);
  process.stdout.write(`control plane up (etcd, kube-apiserver, controller-manager, scheduler, kwok node Ready) in ${Math.round((Date.now() - t) / 1000)} s\n`);
}, 90 * 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await stopAll(services);
  await prometheus?.stop();
  await new Promise((resolve) => (webhookReceiver ? webhookReceiver.close(resolve) : resolve(undefined)));
  await Promise.all([kafka?.stop(), redis?.stop()]);
  await cp?.stop();
}, 5 * 60_000);

function controlPlane(): ControlPlane {
  if (!cp) throw new Error('the control plane did not start');
  return cp;
}

async function getJson<T>(args: string[]): Promise<T> {
  return JSON.parse((await controlPlane().kubectl([...args, '-o', 'json'])).stdout) as T;
}

test('prod overlay: the API server accepts every object with strict validation (server-side dry run)', async () => {
  const { kustomize, prometheusOperatorCrds } = fastTools();
  const kubectl = controlPlane().kubectl;
  await kubectl(['apply', '--server-side', '-f', prometheusOperatorCrds]);
  await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);

  const prod = kustomizeBuild(kustomize, 'k8s/overlays/prod');
  // A dry run cannot create the namespace the other objects go into: create it for real.
  for (const ns of objectsOfKind(prod.objects, 'Namespace')) await kubectl(['create', 'namespace', ns.metadata.name, '--save-config']);
  const dry = await kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', '-'], { input: prod.yaml });
  const accepted = dry.stdout.split('\n').filter((line) => line.endsWith('(server dry run)'));
  expect(accepted).toHaveLength(prod.objects.length);
  for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceMonitor', 'PrometheusRule']) {
    expect(objectsOfKind(prod.objects, kind).length).toBeGreaterThan(0);
  }
});

test('dev overlay: applied with strict validation, every Deployment and StatefulSet rolls out on the kwok node', async () => {
  const { kustomize } = fastTools();
  const kubectl = controlPlane().kubectl;
  const dev = kustomizeBuild(kustomize, 'k8s/overlays/dev');
  await kubectl(['apply', '--validate=strict', '-f', '-'], { input: dev.yaml });
  const workloads = [...objectsOfKind(dev.objects, 'Deployment'), ...objectsOfKind(dev.objects, 'StatefulSet')];
  expect(workloads.map((w) => w.metadata.name)).toEqual(expect.arrayContaining(SERVICES.map((s) => `parley-${s}`)));
  for (const w of workloads) {
    await kubectl(['rollout', 'status', '-n', NAMESPACE, `${w.kind.toLowerCase()}/${w.metadata.name}`, '--timeout=300s'], { timeoutMs: 320_000 });
  }
  const pods = await getJson<{ items: PodLike[] }>(['get', 'pods', '-n', NAMESPACE]);
  expect(pods.items.length).toBe(workloads.length);
  const prefix = POD_CIDR.split('.').slice(0, 3).join('.') + '.';
  for (const pod of pods.items) {
    expect(pod.spec.nodeName).toBe(NODE_NAME);
    expect(pod.status.podIP?.startsWith(prefix)).toBe(true);
  }
});

test('the real services run on their pod IPs with the environment the manifests give them, and pass their probes', async () => {
  [kafka, redis] = await Promise.all([startKafkaBroker(), startRedisServer()]);
  webhookReceiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      webhookBodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof webhookBodies)[number]);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => webhookReceiver!.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(webhookReceiver.address() as AddressInfo).port}/parley`;
  const configMaps = await getJson<{ items: K8sObject[] & { data?: Record<string, string> }[] }>(['get', 'configmaps', '-n', NAMESPACE]);
  const secrets = await getJson<{ items: K8sObject[] & { data?: Record<string, string> }[] }>(['get', 'secrets', '-n', NAMESPACE]);
  const sources = {
    configMaps: new Map(configMaps.items.map((c) => [c.metadata.name, (c as { data?: Record<string, string> }).data ?? {}])),
    secrets: new Map(secrets.items.map((s) => [s.metadata.name, (s as { data?: Record<string, string> }).data ?? {}])),
  };
  const pods = await getJson<{ items: PodLike[] }>(['get', 'pods', '-n', NAMESPACE, '-l', 'app.kubernetes.io/name=parley']);
  expect(pods.items.map((p) => p.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual([...SERVICES].sort());

  for (const pod of pods.items) {
    const container = pod.spec.containers[0]!;
    const service = container.args?.[0] ?? '';
    expect(Object.keys(MAIN)).toContain(service);
    const ip = pod.status.podIP!;
    const env: Record<string, string> = {
      ...containerEnv(pod, container, sources),
      // The dev overlay's Kafka and Redis pods have no process behind them (no kubelet): the
      // services use a Kafka and a Redis started by this test instead.
      PARLEY_KAFKA_BROKERS: kafka.brokers.join(','),
      PARLEY_REDIS_URL: redis.url,
      // The dev overlay names no webhook endpoint (PARLEY_WEBHOOKS is an optional key of the
      // Secret parley-api): the server API gets one, this test's receiver, so a callback and
      // the webhook series the alerts read are real.
      ...(service === 'api' ? { PARLEY_WEBHOOKS: JSON.stringify([{ name: 'k8s-test', url: webhookUrl, secret: 'a-webhook-secret-for-the-test' }]) } : {}),
    };
    // A pod's 0.0.0.0 is its own IP: the gateway listens there (the preload does the same for
    // the admin servers of sequencer and delivery).
    if (env.PARLEY_GATEWAY_HOST === '0.0.0.0') env.PARLEY_GATEWAY_HOST = ip;
    const daemon = startDaemon({
      name: `${service} (${pod.metadata.name}, ${ip})`,
      command: process.execPath,
      args: ['-r', repoPath('packages/deploy-check/dist/pod-network.js'), repoPath(MAIN[service]!)],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, POD_IP: ip, ...env },
      logFile: path.join(controlPlane().dir, `${pod.metadata.name}.log`),
    });
    services.push(daemon);
    const port = (name: string | number) => (typeof name === 'number' ? name : container.ports!.find((p) => p.name === name)!.containerPort);
    const probes = (container as { readinessProbe?: { httpGet: { path: string; port: string | number } }; livenessProbe?: { httpGet: { path: string; port: string | number } } });
    for (const probe of [probes.livenessProbe, probes.readinessProbe]) {
      expect(probe?.httpGet).toBeDefined();
      const url = `http://${ip}:${port(probe!.httpGet.port)}${probe!.httpGet.path}`;
      await daemon.waitUntil(() => answersOk(url), `${url} answers 200`, 180_000);
    }
    const metrics = container.ports!.find((p) => p.name === 'metrics') ?? container.ports![0]!;
    running.set(service, { pod, ip, port: port(container.ports![0]!.name ?? container.ports![0]!.containerPort), metricsPort: metrics.containerPort, env });
  }
});

test('Prometheus, configured from the shipped ServiceMonitors, discovers every service through EndpointSlices and scrapes it (up == 1)', async () => {
  expect(running.size).toBe(SERVICES.length);
  const { kustomize } = fastTools();
  const monitors = objectsOfKind<ServiceMonitor>(kustomizeBuild(kustomize, 'k8s/overlays/prod').objects, 'ServiceMonitor');
  expect(monitors).toHaveLength(SERVICES.length);
  const c = controlPlane();
  const config = [
    'global: { scrape_interval: 2s, evaluation_interval: 2s }',
    `rule_files: [${JSON.stringify(repoPath(RULES_FILE))}]`,
    'scrape_configs:',
    scrapeConfigsYaml(monitors, { apiServer: c.api.server, tokenFile: c.tokenFile, namespace: NAMESPACE, interval: '2s' }),
    '',
  ].join('\n');
  prometheus = await startPrometheus(tools.prometheusBin, path.join(c.dir, 'prometheus'), config);
  const prom = prometheus;

  await prom.daemon.waitUntil(async () => {
    const up = await prom.query('up == 1');
    return SERVICES.every((s) => up.some((u) => u.metric.job === `parley-${s}`));
  }, 'up == 1 for every service', 180_000);

  const up = await prom.query('up');
  for (const s of SERVICES) {
    const targets = up.filter((u) => u.metric.job === `parley-${s}`);
    const { pod, ip, metricsPort } = running.get(s)!;
    // One target per service: the pod kwok runs, at the IP it assigned, where our process listens.
    expect(targets.map((t) => ({ instance: t.metric.instance, pod: t.metric.pod, namespace: t.metric.namespace, service: t.metric.service, up: t.value[1] }))).toEqual([
      { instance: `${ip}:${metricsPort}`, pod: pod.metadata.name, namespace: NAMESPACE, service: `parley-${s}`, up: '1' },
    ]);
  }
});

test('a parley metric scraped through discovery moves when messages go through the gateway', async () => {
  const prom = prometheusHandle();
  const gateway = running.get('gateway')!;
  const secret = gateway.env.PARLEY_JWT_SECRET!;
  const count = async (expr: string) => Number((await prom.query(expr))[0]?.value[1] ?? 0);
  const before = await count('sum(parley_sequencer_messages_total{job="parley-sequencer"})');

  const url = `ws://${gateway.ip}:${gateway.port}/ws`;
  const connect = async (user: string) => {
    const client = new ParleyClient({ url, getToken: () => signToken(secret, asUserId(user), 3600), ackTimeoutMs: 60_000 });
    clients.push(client);
    await client.connect();
    return client;
  };
  const [alice, bob] = [await connect('alice'), await connect('bob')];
  const received: string[] = [];
  bob.on('message', (m) => received.push(Buffer.from(m.payload).toString()));
  const sent = Array.from({ length: 5 }, (_, i) => `hello ${i}`);
  for (const text of sent) await alice.send('bob', Buffer.from(text));
  await waitFor(() => received.length >= sent.length, { timeoutMs: 60_000, what: 'bob to receive 5 messages' });
  expect(received).toEqual(sent);

  await waitFor(async () => (await count('sum(parley_sequencer_messages_total{job="parley-sequencer"})')) >= before + sent.length, {
    timeoutMs: 60_000,
    intervalMs: 1000,
    what: 'Prometheus to scrape 5 more sequenced messages',
  });
  // The end-to-end latency the dashboard and the alerts read, measured by the gateway.
  await waitFor(async () => (await count('sum(parley_e2e_ack_latency_seconds_count)')) >= sent.length, { timeoutMs: 60_000, intervalMs: 1000, what: 'send -> ack:N latency samples' });
});

test('the server API on its pod IP: a send with the dev overlay\'s key reaches bob through the gateway, its webhook gets message.stored, Prometheus scrapes both', async () => {
  const prom = prometheusHandle();
  const api = running.get('api')!;
  const bob = clients.at(-1)!; // bob, connected by the test above (alice first)
  const received: string[] = [];
  bob.on('message', (m) => received.push(Buffer.from(m.payload).toString()));
  // The key of the dev overlay's Secret parley-api, as the pod's environment got it.
  const key = api.env.PARLEY_API_KEYS!;
  expect(key.length).toBeGreaterThanOrEqual(24);

  const refused = await fetch(`http://${api.ip}:${api.port}/v1/messages`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(refused.status).toBe(401);
  const answer = await fetch(`http://${api.ip}:${api.port}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ msgId: 'k8s-api-1', from: 'alice', to: 'bob', text: 'from the server API' }),
  });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ msgId: 'k8s-api-1', from: 'alice', conversation: 'd:alice:bob' });
  await waitFor(() => received.includes('from the server API'), { timeoutMs: 60_000, what: 'bob to receive the server API send' });
  await waitFor(() => webhookBodies.some((b) => b.type === 'message.stored' && b.data.msgId === 'k8s-api-1'), { timeoutMs: 60_000, what: 'the webhook to get message.stored' });

  const count = async (expr: string) => Number((await prom.query(expr))[0]?.value[1] ?? 0);
  for (const [expr, what] of [
    ['sum(parley_api_requests_total{job="parley-api", status="200"})', 'the accepted send'],
    ['sum(parley_api_requests_total{job="parley-api", status="401"})', 'the refused one'],
    ['sum(parley_webhook_sent_total{job="parley-api", webhook="k8s-test"})', 'the webhook callback'],
  ] as const) {
    await waitFor(async () => (await count(expr)) >= 1, { timeoutMs: 60_000, intervalMs: 1000, what: `Prometheus to scrape ${what} (${expr})` });
  }
});

test('the events the error panels and alerts count happen for real and are scraped: a refused upgrade, a closed connection', async () => {
  const prom = prometheusHandle();
  const gateway = running.get('gateway')!;
  const count = async (expr: string) => Number((await prom.query(expr))[0]?.value[1] ?? 0);

  // An upgrade with a token that does not verify: refused (HTTP 401), counted by the gateway.
  const status = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`ws://${gateway.ip}:${gateway.port}/ws?token=not-a-token`);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the gateway accepted a bad token')));
    ws.on('error', () => undefined);
  });
  expect(status).toBe(401);

  // A client going away: its close is counted by code.
  const leaving = clients.pop()!;
  await leaving.close();

  for (const [expr, what] of [
    ['sum(parley_gateway_rejected_upgrades_total)', 'a refused upgrade'],
    ['sum(parley_gateway_closes_total)', 'a closed connection'],
  ] as const) {
    await waitFor(async () => (await count(expr)) >= 1, { timeoutMs: 90_000, intervalMs: 1000, what: `Prometheus to scrape ${what} (${expr})` });
  }
});

function prometheusHandle(): PrometheusHandle {
  if (!prometheus) throw new Error('Prometheus did not start');
  return prometheus;
}

interface RuleGroup {
  name: string;
  rules: { alert?: string; record?: string; expr: string }[];
}

/**
 * Series that cannot exist yet in this short run, each with the reason. A query reading only
 * these may return nothing; any other selector must match scraped series.
 */
const CANNOT_EXIST_YET: Record<string, string> = {
  // None today: every counter the rules and the dashboard read is exported from start-up (the
  // labelled ones with their label sets), or is made to count by the tests above.
};

test('every alert rule and dashboard query parses, evaluates without error, and reads series Prometheus scraped', async () => {
  const prom = prometheusHandle();
  const groups = (parseYaml(fs.readFileSync(repoPath(RULES_FILE), 'utf8')) as { groups: RuleGroup[] }).groups;
  const dashboard = loadDashboard();
  const expressions = [
    ...groups.flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr, mustReturnData: false }))),
    ...dashboardQueries(dashboard).map((q) => ({ where: `panel "${q.panel}" ${q.refId}`, expr: withVariables(q.expr, dashboard), mustReturnData: true })),
  ];
  expect(expressions.length).toBeGreaterThan(20);

  // Give the rate()/delta() windows a few scrapes of the traffic above.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const problems: string[] = [];
  const explained = new Map<string, string>();
  for (const { where, expr, mustReturnData } of expressions) {
    const tree = await prom.parse(expr).catch((err: Error) => {
      problems.push(`${where}: does not parse: ${err.message}`);
      return undefined;
    });
    if (!tree) continue;
    const missing: string[] = [];
    for (const selector of vectorSelectors(tree)) {
      const series = await prom.query(`count(last_over_time(${selectorText(selector)}[5m]))`);
      if (series.length > 0) continue;
      const name = metricNameOf(selector);
      if (CANNOT_EXIST_YET[name]) explained.set(name, CANNOT_EXIST_YET[name]!);
      else missing.push(selectorText(selector));
    }
    if (missing.length > 0) problems.push(`${where}: no scraped series for ${missing.join(', ')}`);
    const result = await prom.query(expr).catch((err: Error) => {
      problems.push(`${where}: evaluation failed: ${err.message}`);
      return undefined;
    });
    const onlyExplained = vectorSelectors(tree).every((s) => explained.has(metricNameOf(s)));
    if (result && mustReturnData && result.length === 0 && !onlyExplained) problems.push(`${where}: returned no data: ${expr}`);
  }
  for (const [name, reason] of explained) process.stdout.write(`no series yet for ${name}: ${reason}\n`);
  expect(problems).toEqual([]);

  // The rules Prometheus loaded evaluate without errors against the scraped data.
  const res = await fetch(`${prom.url}/api/v1/rules`);
  const loaded = ((await res.json()) as { data: { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] } }).data.groups;
  expect(loaded.map((g) => g.name).sort()).toEqual(groups.map((g) => g.name).sort());
  const unhealthy = loaded.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`));
  expect(unhealthy).toEqual([]);
});

test('promtool (of the same Prometheus build) checks the alert rules and runs their unit tests', async () => {
  const promtool = path.join(tools.prometheusBin, 'promtool');
  const check = await runCommand(promtool, ['check', 'rules', repoPath(RULES_FILE)]);
  expect(check.stdout).toMatch(/SUCCESS: \d+ rules found/);
  const unit = await runCommand(promtool, ['test', 'rules', repoPath('deploy/prometheus/parley-rules-test.yml')]);
  expect(unit.stdout + unit.stderr).toContain('SUCCESS');
});
