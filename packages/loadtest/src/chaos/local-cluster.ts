// parley the distributed way on this machine, as processes one can hurt: a single-node
// KRaft Kafka and a redis-server (from @parley/testkit) — or, replicated, 3 Kafka brokers and
// a Redis Cluster of 3 masters + 3 replicas — N sequencers, N deliveries and N gateways, each
// a separate Node process on loopback. A fault is an operation here: kill -9
// or SIGSTOP/SIGCONT of one process, a restart, a scale up or down, the broker killed and
// started again with its data, Redis restarted empty. Everything started is stopped by
// `stop()` (and, should this process die, by testkit's orphan guard).
import path from 'node:path';
import {
  freePort,
  KafkaBrokerHandle,
  KafkaClusterHandle,
  NodeProcessHandle,
  RedisClusterHandle,
  RedisServerHandle,
  spawnNodeProcess,
  startKafkaBroker,
  startKafkaCluster,
  startRedisCluster,
  startRedisServer,
} from '@parley/testkit';
import { GATEWAY_NODE_FLAGS } from '@parley/gateway';
import { notableServiceLine } from './service-log';

export type ServiceRole = 'gateway' | 'sequencer' | 'delivery';
export const SERVICE_ROLES: readonly ServiceRole[] = ['gateway', 'sequencer', 'delivery'];

const READY: Readonly<Record<ServiceRole, RegExp>> = { gateway: /gateway listening/, sequencer: /sequencer ready/, delivery: /delivery ready/ };
const READY_TIMEOUT_MS = 90_000;
/** How long a SIGTERM'd service may take to stop by itself: Kubernetes' default terminationGracePeriodSeconds. */
export const TERMINATION_GRACE_MS = 30_000;

export interface ClusterOptions {
  /**
   * 3 Kafka brokers (replication factor 3, min.insync.replicas 2) and a Redis Cluster of 3
   * masters + 3 replicas (the sequencers wait for 1 replica per assignment) instead of one
   * broker and one redis-server.
   */
  readonly replicated?: boolean;
  readonly gateways: number;
  readonly sequencers: number;
  readonly deliveries: number;
  readonly jwtSecret: string;
  /** Port of the first gateway (the next ones follow); 0: free ports. */
  readonly firstGatewayPort?: number;
  /** Admin (metrics) port of the first sequencer and delivery (the next ones +10 each); 0: free ports. */
  readonly sequencerAdminPort?: number;
  readonly deliveryAdminPort?: number;
  /** PARLEY_* settings given to the gateways. */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  /** PARLEY_* settings given to every service (each ignores those another service reads). */
  readonly sharedEnv?: Readonly<Record<string, string>>;
  /** PARLEY_* settings given to the deliveries. */
  readonly deliveryEnv?: Readonly<Record<string, string>>;
  /** Echo the services' output (default: when PARLEY_TEST_ECHO_CHILD=1); when true, only their warnings and errors, one short line each (service-log.ts). */
  readonly echo?: boolean;
  /** Extra node flags for the services (e.g. --cpu-prof). */
  readonly execArgv?: readonly string[];
  readonly log?: (line: string) => void;
}

/** One service instance: its slot keeps its identity (gateway id and port, admin port) across restarts. */
export interface ServiceSlot {
  readonly role: ServiceRole;
  readonly index: number;
  readonly env: Readonly<Record<string, string>>;
  process: NodeProcessHandle | undefined;
  stopped: boolean;
}

const servicesDir = path.resolve(__dirname, '..', '..', '..', '..', 'services');
const serviceMain = (role: ServiceRole): string => path.join(servicesDir, role, 'dist', 'main.js');

/** Node flags of a service process: a gateway is started as it ships (GATEWAY_NODE_FLAGS), then the caller's extra flags. */
export const serviceExecArgv = (role: ServiceRole, extra: readonly string[]): string[] => [...(role === 'gateway' ? GATEWAY_NODE_FLAGS : []), ...extra];

export class LocalCluster {
  /** Clusters started and not stopped yet: `stopAll` ends them (on SIGINT / SIGTERM). */
  private static readonly live = new Set<LocalCluster>();
  private readonly slots: ServiceSlot[] = [];
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly infra: Infra,
    private readonly options: ClusterOptions,
    private readonly common: Readonly<Record<string, string>>,
    /** The gateways' ports, by slot index (a restarted gateway keeps its port). */
    readonly gatewayPorts: number[],
  ) {}

  static async start(options: ClusterOptions): Promise<LocalCluster> {
    const log = options.log ?? (() => undefined);
    log(options.replicated ? 'starting 3 Kafka brokers and a Redis Cluster (3 masters + 3 replicas)' : 'starting Kafka and Redis');
    const infra = await startInfra(options.replicated ?? false);
    const common = {
      PARLEY_KAFKA_BROKERS: infra.brokers.join(','),
      PARLEY_REDIS_URL: infra.redisUrl,
      ...(options.replicated ? { PARLEY_REDIS_REPLICA_ACKS: '1' } : {}),
      ...(options.sharedEnv ?? {}),
    };
    const ports: number[] = [];
    for (let i = 0; i < options.gateways; i++) ports.push(options.firstGatewayPort ? options.firstGatewayPort + i : await freePort());
    const cluster = new LocalCluster(infra, options, common, ports);
    LocalCluster.live.add(cluster);
    try {
      for (let i = 0; i < options.sequencers; i++) await cluster.add('sequencer');
      for (let i = 0; i < options.deliveries; i++) await cluster.add('delivery');
      for (let i = 0; i < options.gateways; i++) await cluster.add('gateway');
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** The single broker (not replicated). */
  get kafka(): KafkaBrokerHandle {
    if (!this.infra.kafka) throw new Error('this cluster runs replicated Kafka: see kafkaCluster');
    return this.infra.kafka;
  }

  /** The single redis-server (not replicated). */
  get redis(): RedisServerHandle {
    if (!this.infra.redis) throw new Error('this cluster runs a Redis Cluster: see redisCluster');
    return this.infra.redis;
  }

  /** The 3 brokers (replicated). */
  get kafkaCluster(): KafkaClusterHandle {
    if (!this.infra.kafkaCluster) throw new Error('this cluster runs one Kafka broker: see kafka');
    return this.infra.kafkaCluster;
  }

  /** The Redis Cluster (replicated). */
  get redisCluster(): RedisClusterHandle {
    if (!this.infra.redisCluster) throw new Error('this cluster runs one redis-server: see redis');
    return this.infra.redisCluster;
  }

  /** Kafka bootstrap brokers, comma-separated, and the Redis URL the services use. */
  get stores(): { brokers: string; redisUrl: string } {
    return { brokers: this.infra.brokers.join(','), redisUrl: this.infra.redisUrl };
  }

  /** The gateways' WebSocket URLs. */
  get urls(): string[] {
    return this.gatewayPorts.map((port) => `ws://127.0.0.1:${port}/ws`);
  }

  /** Instances of a role, started or not, in slot order. */
  instances(role: ServiceRole): readonly ServiceSlot[] {
    return this.slots.filter((s) => s.role === role);
  }

  /** Running instances of a role. */
  running(role: ServiceRole): number {
    return this.instances(role).filter((s) => !s.stopped && s.process !== undefined).length;
  }

  /** Starts one more instance of a role (scale up) and waits until it is ready. */
  async add(role: ServiceRole): Promise<ServiceSlot> {
    const index = this.instances(role).length;
    const slot: ServiceSlot = { role, index, env: await this.envOf(role, index), process: undefined, stopped: false };
    this.slots.push(slot);
    await this.launch(slot);
    return slot;
  }

  /** Sends a signal to one instance: SIGKILL (a crash), SIGSTOP (a hang), SIGCONT (the hung process resumes: a zombie, if others took over). */
  signal(role: ServiceRole, index: number, signal: NodeJS.Signals): void {
    const slot = this.slot(role, index);
    this.log(`${signal} ${role} ${index + 1} (pid ${slot.process?.pid ?? '-'})`);
    slot.process?.kill(signal);
  }

  /** kill -9 of one instance; resolves once it is gone. */
  async kill(role: ServiceRole, index: number): Promise<void> {
    const slot = this.slot(role, index);
    this.signal(role, index, 'SIGKILL');
    await slot.process?.exited;
    slot.process = undefined;
  }

  /** Starts a killed (or retired) instance again with the same identity; resolves once ready. */
  async restart(role: ServiceRole, index: number): Promise<void> {
    const slot = this.slot(role, index);
    if (slot.process) {
      slot.process.kill('SIGKILL');
      await slot.process.exited;
    }
    slot.stopped = false;
    await this.launch(slot);
  }

  /** Stops one instance gracefully (SIGTERM), as a scale down does. */
  async retire(role: ServiceRole, index: number): Promise<void> {
    const slot = this.slot(role, index);
    this.log(`stopping ${role} ${index + 1} (SIGTERM)`);
    slot.stopped = true;
    await slot.process?.stop(15_000);
    slot.process = undefined;
  }

  /**
   * One step of a rolling restart: SIGTERM (the graceful stop: a gateway drains, a consumer
   * finishes its batch, commits and leaves its group), the exit awaited (SIGKILL after
   * TERMINATION_GRACE_MS, as Kubernetes would), then the replacement started with the same
   * identity and awaited until ready. Rejects when the process did not exit by itself with
   * code 0 within the grace period. Resolves with how long the stop took (ms).
   */
  async roll(role: ServiceRole, index: number): Promise<number> {
    const slot = this.slot(role, index);
    const old = slot.process;
    this.log(`SIGTERM ${role} ${index + 1} (pid ${old?.pid ?? '-'})`);
    const startedAt = Date.now();
    let killed = false;
    const grace = setTimeout(() => {
      killed = true;
      old?.kill('SIGKILL');
    }, TERMINATION_GRACE_MS);
    old?.kill('SIGTERM');
    const code = await old?.exited;
    clearTimeout(grace);
    const stopMs = Date.now() - startedAt;
    slot.process = undefined;
    this.log(`${role} ${index + 1} exited with code ${code ?? 'none'} after ${(stopMs / 1000).toFixed(1)} s`);
    if (killed || code !== 0) throw new Error(`${role} ${index + 1} did not stop by itself within ${TERMINATION_GRACE_MS / 1000} s of SIGTERM (exit code ${code ?? 'none'})`);
    await this.launch(slot);
    return stopMs;
  }

  /** kill -9 of the Kafka broker; its data stays. */
  async killKafka(): Promise<void> {
    this.log(`SIGKILL Kafka broker (pid ${this.kafka.currentPid})`);
    await this.kafka.kill();
  }

  /** Starts the broker again with its data, on the same ports. */
  async startKafka(): Promise<void> {
    this.log('starting the Kafka broker again (same data)');
    await this.kafka.start();
    this.log('Kafka broker is back');
  }

  /**
   * SIGSTOP (freeze) or SIGCONT (thaw) of the Kafka broker: requests sent meanwhile stay
   * unanswered, time out in the clients, and are handled when it thaws (after the clients may
   * have given up on them and sent again).
   */
  signalKafka(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.log(`${signal} Kafka broker (pid ${this.kafka.currentPid})`);
    this.kafka.signal(signal);
  }

  /** SIGSTOP (freeze) or SIGCONT (thaw) of redis-server: its data stays, commands wait or time out. */
  signalRedis(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.log(`${signal} redis-server (pid ${this.redis.pid})`);
    this.redis.signal(signal);
  }

  /** Restarts redis-server empty (no persistence: every key is gone). */
  async restartRedisEmpty(): Promise<void> {
    this.log('restarting redis-server empty');
    await this.redis.restart();
    this.log('redis-server is back, empty');
  }

  /**
   * The sum of one metric's samples (every label set whose labels include `labels`, e.g.
   * `kind="group"`) over the running instances of `role`, read from their /metrics. An
   * instance that does not answer counts 0.
   */
  async metricSum(role: Exclude<ServiceRole, 'gateway'>, metric: string, labels = ''): Promise<number> {
    const portOf = (slot: ServiceSlot): string | undefined => slot.env[role === 'delivery' ? 'PARLEY_DELIVERY_ADMIN_PORT' : 'PARLEY_SEQUENCER_ADMIN_PORT'];
    const texts = await Promise.all(
      this.instances(role)
        .filter((slot) => !slot.stopped && slot.process !== undefined)
        .map((slot) => fetch(`http://127.0.0.1:${portOf(slot)}/metrics`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.text(), () => '')),
    );
    let sum = 0;
    for (const text of texts) sum += sumOfSamples(text, metric, labels);
    return sum;
  }

  /** Stops every cluster of this process. */
  static async stopAll(): Promise<void> {
    await Promise.allSettled([...LocalCluster.live].map((c) => c.stop()));
  }

  /**
   * Stops everything this cluster started: the services together (SIGTERM, each doing its own
   * graceful stop while Kafka and Redis are still there; SIGKILL after 5 s; SIGCONT first, as a
   * stopped process ignores SIGTERM), then the Kafka broker and redis-server.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      LocalCluster.live.delete(this);
      const running = this.slots.filter((slot) => slot.process !== undefined);
      this.log(`stopping ${running.length} service process${running.length === 1 ? '' : 'es'}, then Kafka and Redis`);
      await Promise.allSettled(
        running.map((slot) => {
          slot.process?.kill('SIGCONT');
          return slot.process?.stop(5_000);
        }),
      );
      await this.infra.stop();
    })();
    return this.stopping;
  }

  private slot(role: ServiceRole, index: number): ServiceSlot {
    const slot = this.instances(role)[index];
    if (!slot) throw new Error(`no ${role} ${index + 1}`);
    return slot;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private async envOf(role: ServiceRole, index: number): Promise<Record<string, string>> {
    const adminPort = async (first: number | undefined): Promise<string> => String(first ? first + 10 * index : await freePort());
    switch (role) {
      case 'gateway':
        return {
          PARLEY_JWT_SECRET: this.options.jwtSecret,
          PARLEY_GATEWAY_HOST: '127.0.0.1',
          // No load balancer on loopback to wait for, and a quick stop (Ctrl-C, stop()): a
          // short drain unless the caller (the rolling-restart scenario) sets its own.
          PARLEY_DRAIN_DELAY_MS: '0',
          PARLEY_DRAIN_WINDOW_MS: '1000',
          ...(this.options.gatewayEnv ?? {}),
          PARLEY_GATEWAY_ID: `gw-local-${index + 1}`,
          PARLEY_GATEWAY_PORT: String(this.gatewayPorts[index] ?? (await freePort())),
          ...this.common,
        };
      case 'sequencer':
        return { PARLEY_SEQUENCER_ADMIN_PORT: await adminPort(this.options.sequencerAdminPort), ...this.common };
      case 'delivery':
        return { PARLEY_DELIVERY_ADMIN_PORT: await adminPort(this.options.deliveryAdminPort), ...(this.options.deliveryEnv ?? {}), ...this.common };
    }
  }

  private async launch(slot: ServiceSlot): Promise<void> {
    if (slot.role === 'gateway' && this.gatewayPorts[slot.index] === undefined) this.gatewayPorts[slot.index] = Number(slot.env.PARLEY_GATEWAY_PORT);
    const name = `${slot.role} ${slot.index + 1}`;
    const child = spawnNodeProcess(serviceMain(slot.role), [], { PARLEY_LOG_LEVEL: 'info', ...slot.env }, {
      ...(this.options.echo !== undefined ? { echo: this.options.echo } : {}),
      ...(this.options.echo ? { echoAs: notableServiceLine } : {}),
      label: name,
      execArgv: serviceExecArgv(slot.role, this.options.execArgv ?? []),
    });
    slot.process = child;
    await child.waitForLine(READY[slot.role], READY_TIMEOUT_MS);
    const where = slot.role === 'gateway' ? `ws://${slot.env.PARLEY_GATEWAY_HOST}:${slot.env.PARLEY_GATEWAY_PORT}/ws` : `metrics on :${slot.env.PARLEY_SEQUENCER_ADMIN_PORT ?? slot.env.PARLEY_DELIVERY_ADMIN_PORT}`;
    this.log(`${name} ready (${where}, pid ${child.pid})`);
  }
}

/** Sum of the samples of `metric` in Prometheus text whose labels contain `labels`. */
export function sumOfSamples(text: string, metric: string, labels = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric) || (line[metric.length] !== '{' && line[metric.length] !== ' ')) continue;
    const space = line.lastIndexOf(' ');
    if (labels && !line.slice(metric.length, space).includes(labels)) continue;
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

/** Kafka and Redis under the services: one of each, or replicated. */
interface Infra {
  readonly brokers: string[];
  readonly redisUrl: string;
  readonly kafka?: KafkaBrokerHandle;
  readonly redis?: RedisServerHandle;
  readonly kafkaCluster?: KafkaClusterHandle;
  readonly redisCluster?: RedisClusterHandle;
  stop(): Promise<void>;
}

/** Starts Kafka and Redis together; stops whichever started when the other fails. */
async function startInfra(replicated: boolean): Promise<Infra> {
  const [kafka, redis] = await Promise.allSettled<[Promise<KafkaBrokerHandle | KafkaClusterHandle>, Promise<RedisServerHandle | RedisClusterHandle>]>(
    replicated ? [startKafkaCluster({ brokers: 3, heapMb: 256 }), startRedisCluster({ masters: 3, replicasPerMaster: 1 })] : [startKafkaBroker(), startRedisServer()],
  );
  if (kafka.status === 'rejected' || redis.status === 'rejected') {
    await Promise.allSettled([kafka.status === 'fulfilled' && kafka.value.stop(), redis.status === 'fulfilled' && redis.value.stop()]);
    throw new Error(`could not start Kafka and Redis: ${[kafka, redis].map((r) => (r.status === 'rejected' ? String(r.reason) : '')).join(' ')}`);
  }
  const stop = async (): Promise<void> => {
    await Promise.allSettled([kafka.value.stop(), redis.value.stop()]);
  };
  if (replicated) {
    const kafkaCluster = kafka.value as KafkaClusterHandle;
    const redisCluster = redis.value as RedisClusterHandle;
    return { brokers: kafkaCluster.brokers, redisUrl: redisCluster.url, kafkaCluster, redisCluster, stop };
  }
  const broker = kafka.value as KafkaBrokerHandle;
  const server = redis.value as RedisServerHandle;
  return { brokers: broker.brokers, redisUrl: server.url, kafka: broker, redis: server, stop };
}
