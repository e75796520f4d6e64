// Owns running a throwaway single-node Kafka (KRaft, broker+controller) for tests: jars from
// deploy/local/fetch-kafka.sh, config + storage in a fresh temp dir, readiness via a real request.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitOf, tailFile, terminate } from './child';
import { freePort } from './free-port';
import { kafkaBrokerReady, kafkaFindGroupCoordinator } from './kafka-probe';
import { guardChild, guardDir } from './orphan-guard';
import { waitFor } from './wait-for';

export interface KafkaBrokerOptions {
  /** PLAINTEXT listener port; free one when omitted. */
  port?: number;
  /** CONTROLLER listener port; free one when omitted. */
  controllerPort?: number;
  /** Directory holding the broker jars; default `$PARLEY_KAFKA_LIBS`, else fetch-kafka.sh's `<dir>/libs`. */
  libsDir?: string;
  /** Java heap in MiB (-Xmx). Default 512. */
  heapMb?: number;
  /** How long to wait for the broker to serve Metadata and list itself. Default 120000. */
  startTimeoutMs?: number;
  /** SIGTERM grace before SIGKILL on stop(). Default 5000. */
  stopGraceMs?: number;
  /**
   * Also wait until a consumer-group coordinator is available (creates __consumer_offsets up
   * front, so the first consumer group in a test joins without retries). Default true.
   */
  warmGroupCoordinator?: boolean;
  /** Extra/overriding server.properties entries. */
  properties?: Record<string, string | number | boolean>;
}

export interface KafkaBrokerHandle {
  /** `["127.0.0.1:<port>"]`, ready for kafkajs' `brokers`. */
  readonly brokers: string[];
  readonly port: number;
  readonly controllerPort: number;
  readonly pid: number;
  /** Temp dir with server.properties, data and broker.log (removed by stop()). */
  readonly dir: string;
  readonly logFile: string;
  /** SIGTERM, SIGKILL after the grace period, then removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** kill -9 of the broker (a crash): its data stays, `start()` brings it back. */
  kill(): Promise<void>;
  /** Starts the broker again after `kill()`, on the same ports with its data; resolves once it serves requests. */
  start(): Promise<void>;
  /** Sends a signal to the running broker (SIGSTOP / SIGCONT to freeze and thaw it). */
  signal(signal: NodeJS.Signals): void;
  /** pid of the current broker process (changes on start). */
  readonly currentPid: number;
}

/** The monorepo root, found from this file whether it runs from src/ or dist/. */
export function repoRoot(): string {
  return path.resolve(__dirname, '..', '..', '..');
}

function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  if (home && fs.existsSync(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
  return 'java';
}

function run(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException;
        const why = e.code === 'ENOENT' ? `${file} not found` : e.message;
        reject(new Error(`${file} ${args.join(' ')} failed: ${why}\n${stderr}${stdout}`.trimEnd()));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

/** Directory of the broker jars: `$PARLEY_KAFKA_LIBS`, else runs deploy/local/fetch-kafka.sh. */
export async function kafkaLibsDir(): Promise<string> {
  const fromEnv = process.env.PARLEY_KAFKA_LIBS;
  const libs = fromEnv
    ? fromEnv
    : await (async () => {
        const script = path.join(repoRoot(), 'deploy', 'local', 'fetch-kafka.sh');
        if (!fs.existsSync(script)) throw new Error(`fetch-kafka.sh not found at ${script}`);
        // First run may download ~60 MB from Maven Central; later runs return at once.
        const { stdout } = await run('bash', [script], 15 * 60_000);
        const lines = stdout.trim().split('\n');
        return path.join(lines[lines.length - 1] ?? '', 'libs');
      })();
  const jars = fs.existsSync(libs) ? fs.readdirSync(libs) : [];
  if (!jars.some((j) => /^kafka_2\.13-.*\.jar$/.test(j))) {
    throw new Error(`no kafka_2.13 jar in ${libs} (run deploy/local/fetch-kafka.sh)`);
  }
  return libs;
}

function serverProperties(p: {
  nodeId: number;
  port: number;
  controllerPort: number;
  voters: string;
  dataDir: string;
  extra: Record<string, string | number | boolean>;
}): string {
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': p.nodeId,
    'controller.quorum.voters': p.voters,
    listeners: `PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${p.port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': p.dataDir,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'auto.create.topics.enable': false,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 4,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 4,
    'group.initial.rebalance.delay.ms': 0,
    // Lean on a 2-core machine.
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'background.threads': 2,
    'log.index.size.max.bytes': 1048576,
    // An offset index entry for (about) every record batch instead of every 4 KiB of log. To
    // answer a fetch the broker looks up the fetch offset in the index and then reads batch
    // headers from that entry on, one pread each: at low rates batches hold one record (~200 B),
    // so every fetch of a partition read ~20 headers (strace: 21 preads per record through one
    // produce + fetch; 2.9 with 128). Costs 8 B of index (and 12 B of time index) per batch;
    // with the 1 MiB index cap above, a segment rolls after ~87,000 batches (time index full).
    'log.index.interval.bytes': 128,
    // Faster unfencing after start (default heartbeat 2 s).
    'broker.heartbeat.interval.ms': 500,
    ...p.extra,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n')}\n`;
}

/** One KRaft node (broker + controller) of a single-node or multi-node Kafka, prepared but not started. */
export interface KafkaNodeSpec {
  readonly libs: string;
  readonly nodeId: number;
  readonly port: number;
  readonly controllerPort: number;
  /** `controller.quorum.voters`: `<id>@127.0.0.1:<controller port>` of every node. */
  readonly voters: string;
  /** The same for every node of one cluster. */
  readonly clusterId: string;
  readonly heapMb: number;
  readonly startTimeoutMs: number;
  readonly stopGraceMs: number;
  readonly warmGroupCoordinator: boolean;
  readonly properties: Record<string, string | number | boolean>;
}

export interface KafkaNode {
  readonly port: number;
  readonly controllerPort: number;
  readonly dir: string;
  readonly logFile: string;
  readonly currentPid: number;
  /** Starts the broker (again, after `kill()`) on its ports with its data; resolves once it serves requests. */
  start(): Promise<void>;
  /** kill -9 (a crash): its data stays. */
  kill(): Promise<void>;
  /** Sends a signal to the running broker (SIGSTOP / SIGCONT to freeze and thaw it). */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, SIGKILL after the grace period, then removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** A fresh KRaft cluster id: 16 random bytes, base64url (what `random-uuid` prints). */
export function newKafkaClusterId(): string {
  return randomBytes(16).toString('base64url');
}

/** Writes the node's config and formats its storage; the temp dir is removed again if that fails. */
export async function prepareKafkaNode(spec: KafkaNodeSpec): Promise<KafkaNode> {
  const { libs, port, controllerPort, heapMb, startTimeoutMs, stopGraceMs } = spec;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-kafka-'));
  const releaseDir = guardDir(dir);
  const dataDir = path.join(dir, 'data');
  const propsFile = path.join(dir, 'server.properties');
  const logFile = path.join(dir, 'broker.log');
  const log4j = path.join(repoRoot(), 'deploy', 'local', 'log4j.properties');
  fs.writeFileSync(
    propsFile,
    serverProperties({ nodeId: spec.nodeId, port, controllerPort, voters: spec.voters, dataDir, extra: spec.properties }),
  );

  const java = javaBinary();
  const jvmArgs = [
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC', // fewer GC threads on 2 cores; plenty for a test broker
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${dir}`,
    ...(fs.existsSync(log4j) ? [`-Dlog4j.configuration=file:${log4j}`] : []),
    '-cp',
    path.join(libs, '*'),
  ];

  let child: ChildProcess | undefined;
  let release: () => void = () => undefined;
  const cleanup = async (): Promise<void> => {
    if (child) await terminate(child, stopGraceMs);
    release();
    fs.rmSync(dir, { recursive: true, force: true });
    releaseDir();
  };

  const launch = async (): Promise<void> => {
    const fd = fs.openSync(logFile, 'a');
    let spawned: ChildProcess;
    try {
      spawned = spawn(java, [...jvmArgs, 'kafka.Kafka', propsFile], {
        cwd: dir,
        stdio: ['ignore', fd, fd],
        detached: true, // own process group: a terminal's ^C reaches the launcher, which stops the services first
      });
    } finally {
      fs.closeSync(fd);
    }
    child = spawned;
    spawned.unref();
    if (spawned.pid !== undefined) {
      const releaseThis = guardChild(spawned.pid);
      release = releaseThis;
      void exitOf(spawned).then(releaseThis);
    }
    const failed = new Promise<never>((_, reject) => {
      spawned.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'ENOENT' ? new Error(`${java} not found: apt-get install -y default-jdk-headless`) : err),
      );
      void exitOf(spawned).then(({ code, signal }) =>
        reject(new Error(`kafka broker exited during startup (code ${code}, signal ${signal})`)),
      );
    });
    failed.catch(() => undefined);
    const deadline = Date.now() + startTimeoutMs;
    const abort = new AbortController();
    const ready = async (): Promise<void> => {
      await waitFor(() => kafkaBrokerReady('127.0.0.1', port, 2000), {
        timeoutMs: startTimeoutMs,
        intervalMs: 100,
        what: `kafka broker on 127.0.0.1:${port} to answer Metadata listing itself`,
        signal: abort.signal,
      });
      if (spec.warmGroupCoordinator) {
        await waitFor(
          async () => (await kafkaFindGroupCoordinator('127.0.0.1', port, 'parley-testkit-warmup', 2000)) === 0,
          {
            timeoutMs: Math.max(deadline - Date.now(), 1000),
            intervalMs: 100,
            what: `kafka broker on 127.0.0.1:${port} to have a group coordinator (__consumer_offsets)`,
            signal: abort.signal,
          },
        );
      }
    };
    try {
      await Promise.race([ready(), failed]);
    } finally {
      abort.abort(); // stop polling if the broker died first
    }
  };

  try {
    // A base64url id may start with '-', which StorageTool's argument parser reads as a flag
    // (1 format in 64 would fail): pass it as `--cluster-id=<id>`.
    await run(java, [...jvmArgs, 'kafka.tools.StorageTool', 'format', `--cluster-id=${spec.clusterId}`, '-c', propsFile], 120_000);
  } catch (err) {
    await cleanup();
    throw err;
  }

  let stopped: Promise<void> | undefined;
  return {
    port,
    controllerPort,
    dir,
    logFile,
    get currentPid(): number {
      return child?.pid ?? -1;
    },
    async start(): Promise<void> {
      if (stopped) throw new Error(`kafka broker on port ${port} was stopped; cannot start it again`);
      if (child && child.exitCode === null && child.signalCode === null) throw new Error(`kafka broker on port ${port} is running`);
      try {
        await launch();
      } catch (err) {
        throw new Error(`${(err as Error).message}\n--- ${logFile} (tail) ---\n${tailFile(logFile, 60)}`);
      }
    },
    async kill(): Promise<void> {
      if (child) await terminate(child, 0, 'SIGKILL');
    },
    signal(signal: NodeJS.Signals): void {
      if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    stop(): Promise<void> {
      stopped ??= cleanup();
      return stopped;
    },
  };
}

export async function startKafkaBroker(opts: KafkaBrokerOptions = {}): Promise<KafkaBrokerHandle> {
  const libs = opts.libsDir ?? (await kafkaLibsDir());
  const port = opts.port ?? (await freePort());
  let controllerPort = opts.controllerPort ?? (await freePort());
  while (controllerPort === port) controllerPort = await freePort();
  const node = await prepareKafkaNode({
    libs,
    nodeId: 1,
    port,
    controllerPort,
    voters: `1@127.0.0.1:${controllerPort}`,
    clusterId: newKafkaClusterId(),
    heapMb: opts.heapMb ?? 512,
    startTimeoutMs: opts.startTimeoutMs ?? 120_000,
    stopGraceMs: opts.stopGraceMs ?? 5000,
    warmGroupCoordinator: opts.warmGroupCoordinator ?? true,
    properties: opts.properties ?? {},
  });
  try {
    await node.start();
  } catch (err) {
    await node.stop();
    throw err;
  }
  return {
    brokers: [`127.0.0.1:${port}`],
    port,
    controllerPort,
    pid: node.currentPid,
    get currentPid(): number {
      return node.currentPid;
    },
    dir: node.dir,
    logFile: node.logFile,
    stop: () => node.stop(),
    kill: () => node.kill(),
    start: () => node.start(),
    signal: (signal) => node.signal(signal),
  };
}
