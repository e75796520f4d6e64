// Owns a real Kubernetes control plane on this machine, without a kubelet: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, and kwok standing in for the kubelet of one fake node
// (it marks scheduled pods running and ready and gives them IPs from a pod CIDR routed to lo,
// so a process bound to a pod IP answers there). Everything runs on free ports in a temp dir
// and is stopped by stop(), the last started first.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@parley/testkit';
import { runCommand, type CommandResult } from './command';
import type { ControlPlaneTools } from './control-plane-tools';
import { startDaemon, stopAll, type Daemon } from './daemon';
import { httpGet } from './http-probe';
import { apiGet, writeKubeconfig, type ApiAccess } from './kube-api';

export const POD_CIDR = '10.250.0.0/24';
export const NODE_NAME = 'kwok-node-0';

export interface ControlPlane {
  readonly dir: string;
  readonly api: ApiAccess;
  readonly kubeconfig: string;
  /** The bearer token's file (for Prometheus' Kubernetes service discovery). */
  readonly tokenFile: string;
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number; check?: boolean }): Promise<CommandResult>;
  /** Stops every process and removes the temp dir. Idempotent, never throws. */
  stop(): Promise<void>;
}

/** `ip route add local <cidr> dev lo` unless the route is there: pod IPs reach this machine. */
export function routePodCidrToLoopback(cidr = POD_CIDR): void {
  const table = execFileSync('ip', ['route', 'show', 'table', 'local', cidr], { encoding: 'utf8' });
  if (!table.includes(cidr.split('/')[0])) execFileSync('ip', ['route', 'add', 'local', cidr, 'dev', 'lo']);
}

/** A non-loopback IPv4 address of this machine (the API server must advertise one). */
function hostAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('no non-loopback IPv4 address on this machine');
}

export async function startControlPlane(tools: ControlPlaneTools): Promise<ControlPlane> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-control-plane-'));
  const daemons: Daemon[] = [];
  const bin = (name: string) => path.join(tools.k8sBin, name);
  const log = (name: string) => path.join(dir, `${name}.log`);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopAll(daemons);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    routePodCidrToLoopback();

    // etcd
    const [etcdClient, etcdPeer] = [await freePort(), await freePort()];
    const etcd = startDaemon({
      name: 'etcd',
      command: tools.etcd,
      logFile: log('etcd'),
      args: [
        '--name=test', `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=test=http://127.0.0.1:${etcdPeer}`, '--logger=zap', '--log-level=warn',
      ],
    });
    daemons.push(etcd);
    await etcd.waitUntil(async () => (await httpGet(`http://127.0.0.1:${etcdClient}/health`).catch(() => ({ body: '' }))).body.includes('true'), 'health');

    // kube-apiserver: a static admin token (group system:masters), service-account keys made here.
    const token = randomBytes(24).toString('hex');
    const tokenFile = path.join(dir, 'admin.token');
    fs.writeFileSync(tokenFile, token, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},admin,admin,"system:masters"\n`, { mode: 0o600 });
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync(path.join(dir, 'sa.key'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'sa.pub'), keys.publicKey.export({ type: 'spki', format: 'pem' }));
    const apiPort = await freePort();
    const api: ApiAccess = { server: `https://127.0.0.1:${apiPort}`, token };
    const apiserver = startDaemon({
      name: 'kube-apiserver',
      command: bin('kube-apiserver'),
      logFile: log('kube-apiserver'),
      args: [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        '--bind-address=127.0.0.1', `--secure-port=${apiPort}`, `--advertise-address=${hostAddress()}`,
        // Nothing reaches the API server through the in-cluster `kubernetes` Service here.
        '--endpoint-reconciler-type=none',
        `--cert-dir=${path.join(dir, 'apiserver-certs')}`,
        `--token-auth-file=${path.join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${path.join(dir, 'sa.pub')}`, `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/16', '--profiling=false', '--v=1',
      ],
    });
    daemons.push(apiserver);
    await apiserver.waitUntil(async () => (await apiGet(api, '/readyz').catch(() => ({ status: 0 }))).status === 200, '/readyz', 240_000);

    const kubeconfig = path.join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, api);
    const kubectl: ControlPlane['kubectl'] = (args, opts = {}) =>
      runCommand(bin('kubectl'), [`--kubeconfig=${kubeconfig}`, ...args], { input: opts.input, timeoutMs: opts.timeoutMs ?? 120_000, check: opts.check });

    // Controllers (Deployments -> ReplicaSets -> Pods, EndpointSlices, namespaces, service
    // accounts, ...) and the scheduler.
    const kcm = startDaemon({
      name: 'kube-controller-manager',
      command: bin('kube-controller-manager'),
      logFile: log('kube-controller-manager'),
      args: [
        `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
        '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${await freePort()}`,
        `--service-account-private-key-file=${path.join(dir, 'sa.key')}`, '--use-service-account-credentials=false',
        `--cert-dir=${path.join(dir, 'kcm-certs')}`, '--v=1',
      ],
    });
    daemons.push(kcm);
    const scheduler = startDaemon({
      name: 'kube-scheduler',
      command: bin('kube-scheduler'),
      logFile: log('kube-scheduler'),
      args: [
        `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
        '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${await freePort()}`,
        `--cert-dir=${path.join(dir, 'scheduler-certs')}`, '--v=1',
      ],
    });
    daemons.push(scheduler);

    // kwok: the node's and pods' life cycle (fast stages) and pod IPs from POD_CIDR.
    const stages = fs.readdirSync(tools.kwokStages).filter((f) => f.endsWith('.yaml')).map((f) => `--config=${path.join(tools.kwokStages, f)}`);
    const kwok = startDaemon({
      name: 'kwok',
      command: path.join(tools.kwokBin, 'kwok'),
      logFile: log('kwok'),
      args: [
        `--kubeconfig=${kubeconfig}`, '--manage-all-nodes=true', `--cidr=${POD_CIDR}`, `--node-ip=${hostAddress()}`,
        `--server-address=127.0.0.1:${await freePort()}`, ...stages,
      ],
    });
    daemons.push(kwok);

    await kubectl(['apply', '-f', '-'], { input: nodeManifest() });
    await kwok.waitUntil(async () => {
      const r = await kubectl(['get', 'node', NODE_NAME, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'], { check: false });
      return r.stdout.trim() === 'True';
    }, `node ${NODE_NAME} Ready`);
    // The default ServiceAccount of a namespace comes from the controller manager: wait for it
    // once, so the first applied workload is not refused.
    await kcm.waitUntil(async () => (await kubectl(['get', 'serviceaccount', 'default', '-n', 'default'], { check: false })).code === 0, 'default ServiceAccount');
    for (const d of [scheduler, kwok]) if (!d.running) throw new Error(`${d.name} exited:\n${d.tail()}`);

    return { dir, api, kubeconfig, tokenFile, kubectl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function nodeManifest(): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${NODE_NAME}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: ${NODE_NAME}
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/zone: zone-a
    type: kwok
status:
  allocatable: { cpu: "32", memory: 256Gi, pods: "110" }
  capacity: { cpu: "32", memory: 256Gi, pods: "110" }
`;
}
