// parley started on this machine as a bench target: the distributed setup of
// `npm run start:distributed` (gateway, sequencer and delivery as processes, a local Kafka
// broker and redis-server), or `npm start`'s one all-in-one process (in memory, or on a local
// Kafka + Redis). Says which processes to watch and which of them are parley's.
import path from 'node:path';
import { freePort, spawnNodeProcess, startKafkaBroker, startRedisServer, type NodeProcessHandle } from '@parley/testkit';
import { LocalCluster } from '../chaos/local-cluster';
import type { WatchedProcess } from './proc-cpu';

/** What runs: the three services with Kafka + Redis, or `npm start`'s all-in-one process (in memory, or on Kafka + Redis). */
export type CostTarget = 'distributed' | 'embedded' | 'all-in-one-kafka';
export const COST_TARGETS: readonly CostTarget[] = ['distributed', 'embedded', 'all-in-one-kafka'];

/** The token secret of every target (the load tester signs with it). */
export const TARGET_SECRET = 'parley-bench-target-secret-0123456789';

export interface TargetOptions {
  /** Extra node flags for parley's processes (e.g. --cpu-prof --cpu-prof-dir=DIR). */
  readonly execArgv?: readonly string[];
  /** PARLEY_* settings for the gateway (all-in-one: for the process). */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  /** PARLEY_* settings every service reads (e.g. PARLEY_TOPIC_PARTITIONS). */
  readonly sharedEnv?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

/** Starts `target`; resolves once it serves. */
export function startTarget(target: CostTarget, options: TargetOptions = {}): Promise<Running> {
  return target === 'distributed' ? startDistributed(options) : startAllInOne(options, target === 'all-in-one-kafka');
}

/** A started parley: its gateway URLs, the processes to watch, and how to stop it. */
export interface Running {
  readonly urls: readonly string[];
  readonly processes: readonly WatchedProcess[];
  readonly parleyProcesses: readonly string[];
  /** The redis-server parley uses, when the target has one (its command counts are read). */
  readonly redisUrl?: string;
  /** /metrics of parley's processes that talk to Kafka, by process name (their Kafka requests are read there). */
  readonly metricsUrls?: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

async function startDistributed(options: TargetOptions): Promise<Running> {
  const cluster = await LocalCluster.start({
    gateways: 1,
    sequencers: 1,
    deliveries: 1,
    jwtSecret: TARGET_SECRET,
    firstGatewayPort: 0,
    sequencerAdminPort: 0,
    deliveryAdminPort: 0,
    execArgv: options.execArgv,
    gatewayEnv: options.gatewayEnv,
    sharedEnv: options.sharedEnv,
    log: options.log,
  });
  const pidOf = (role: 'gateway' | 'sequencer' | 'delivery') => () => cluster.instances(role)[0]?.process?.pid;
  return {
    urls: cluster.urls,
    processes: [
      { name: 'gateway', pid: pidOf('gateway') },
      { name: 'sequencer', pid: pidOf('sequencer') },
      { name: 'delivery', pid: pidOf('delivery') },
      { name: 'Kafka broker', pid: () => cluster.kafka.currentPid },
      { name: 'redis-server', pid: () => cluster.redis.pid },
    ],
    parleyProcesses: ['gateway', 'sequencer', 'delivery'],
    redisUrl: cluster.stores.redisUrl,
    metricsUrls: {
      gateway: metricsUrlOf(cluster.urls[0]),
      sequencer: `http://127.0.0.1:${cluster.instances('sequencer')[0]?.env.PARLEY_SEQUENCER_ADMIN_PORT}/metrics`,
      delivery: `http://127.0.0.1:${cluster.instances('delivery')[0]?.env.PARLEY_DELIVERY_ADMIN_PORT}/metrics`,
    },
    stop: () => cluster.stop(),
  };
}

/** A gateway's /metrics from its WebSocket URL (same host and port). */
function metricsUrlOf(wsUrl: string | undefined): string {
  const url = new URL(wsUrl ?? 'ws://127.0.0.1:0/ws');
  return `http://${url.host}/metrics`;
}

const PARLEY_MAIN = path.resolve(__dirname, '..', '..', '..', '..', 'services', 'server', 'dist', 'main.js');

async function startAllInOne(options: TargetOptions, onKafka: boolean): Promise<Running> {
  let infra: { stop(): Promise<void>; env: Record<string, string>; extra: WatchedProcess[] } = { stop: async () => undefined, env: {}, extra: [] };
  if (onKafka) {
    const [kafka, redis] = await Promise.all([startKafkaBroker(), startRedisServer()]);
    infra = {
      stop: async () => void (await Promise.allSettled([kafka.stop(), redis.stop()])),
      env: { PARLEY_KAFKA_BROKERS: kafka.brokers.join(','), PARLEY_REDIS_URL: redis.url },
      extra: [
        { name: 'Kafka broker', pid: () => kafka.currentPid },
        { name: 'redis-server', pid: () => redis.pid },
      ],
    };
  }
  const port = await freePort();
  let child: NodeProcessHandle | undefined;
  try {
    child = spawnNodeProcess(
      PARLEY_MAIN,
      [],
      {
        PARLEY_GATEWAY_PORT: String(port),
        PARLEY_GATEWAY_HOST: '127.0.0.1',
        PARLEY_JWT_SECRET: TARGET_SECRET,
        PARLEY_GATEWAY_ID: `cost-${port}`,
        PARLEY_LOG_LEVEL: 'info',
        ...(options.gatewayEnv ?? {}),
        ...(options.sharedEnv ?? {}),
        ...infra.env,
      },
      { execArgv: [...(options.execArgv ?? [])] },
    );
    await child.waitForLine(/parley ready/, 90_000);
  } catch (err) {
    await child?.stop(5000);
    await infra.stop();
    throw err;
  }
  const started = child;
  return {
    urls: [`ws://127.0.0.1:${port}/ws`],
    processes: [{ name: 'parley (all-in-one)', pid: () => started.pid }, ...infra.extra],
    parleyProcesses: ['parley (all-in-one)'],
    ...(onKafka ? { metricsUrls: { 'parley (all-in-one)': `http://127.0.0.1:${port}/metrics` } } : {}),
    stop: async () => {
      await started.stop(10_000);
      await infra.stop();
    },
  };
}

