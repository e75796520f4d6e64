// Owns running a throwaway Redis Cluster on loopback for tests and the local clustered setup:
// masters and replicas as redis-server processes in cluster mode (no persistence), joined by
// `redis-cli --cluster create`, with a small node timeout so failovers happen within seconds.
import { execFile } from 'node:child_process';
import { freePort } from './free-port';
import { startRedisServer, type RedisServerHandle } from './redis-server';
import { respCommand } from './resp';
import { waitFor } from './wait-for';

export interface RedisClusterOptions {
  /** Masters (each serves a third, ... of the slots). Default 3. */
  masters?: number;
  /** Replicas of each master. Default 1. */
  replicasPerMaster?: number;
  /**
   * `cluster-node-timeout`: how long a master may be unreachable before its replica takes
   * over. Default 2000 ms (Redis' default is 15 s).
   */
  nodeTimeoutMs?: number;
  /** redis-cli executable; default `$PARLEY_REDIS_CLI_BIN` or `redis-cli` on PATH. */
  cliBinary?: string;
  /** How long to wait for the cluster to serve every slot. Default 60000. */
  startTimeoutMs?: number;
}

export interface RedisClusterNodeInfo {
  readonly id: string;
  readonly port: number;
  readonly role: 'master' | 'replica';
  /** The master's id, for a replica. */
  readonly masterId: string | undefined;
  /** Slot ranges served, for a master: `[first, last]`. */
  readonly slots: ReadonlyArray<readonly [number, number]>;
  /** Not flagged `fail` or `fail?` by the node that was asked. */
  readonly healthy: boolean;
}

export interface RedisClusterHandle {
  /** `redis+cluster://127.0.0.1:<port>,...`: parley's way to name a cluster (PARLEY_REDIS_URL). */
  readonly url: string;
  /** `127.0.0.1:<port>` of every node. */
  readonly seeds: string[];
  /** Every node's server (kill -9, start again, SIGSTOP/SIGCONT through `signal`). */
  readonly nodes: readonly RedisServerHandle[];
  /** The node listening on `port`. */
  node(port: number): RedisServerHandle;
  /** Roles and slots as the first answering node (of `askPorts`, default all) sees them. */
  topology(askPorts?: readonly number[]): Promise<RedisClusterNodeInfo[]>;
  /**
   * Waits until the nodes of `ports` (default: every node whose process runs) report
   * `cluster_state:ok`, every slot served, agree on the masters (no node flagged failed), and
   * every replica has finished syncing from its master.
   */
  waitHealthy(timeoutMs?: number, ports?: readonly number[]): Promise<void>;
  /** Stops every node and removes their directories. Idempotent; never rejects. */
  stop(): Promise<void>;
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} not found: apt-get install -y redis-tools` : err.message;
        reject(new Error(`${file} ${args.join(' ')} failed: ${why}\n${stderr}${stdout}`.trimEnd()));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** Parses `CLUSTER NODES`. */
export function parseClusterNodes(text: string): RedisClusterNodeInfo[] {
  return text
    .trim()
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const [id, address, flags, master, , , , , ...slotFields] = line.trim().split(' ');
      const flagSet = new Set((flags ?? '').split(','));
      const port = Number(/:(\d+)@/.exec(address ?? '')?.[1] ?? /:(\d+)$/.exec(address ?? '')?.[1]);
      const slots = slotFields
        .filter((field) => !field.startsWith('['))
        .map((field) => {
          const [first, last] = field.split('-').map(Number);
          return [first!, last ?? first!] as const;
        });
      return {
        id: id!,
        port,
        role: flagSet.has('master') ? 'master' : 'replica',
        masterId: master && master !== '-' ? master : undefined,
        slots,
        healthy: !flagSet.has('fail') && !flagSet.has('fail?'),
      };
    });
}

/**
 * Starts the nodes, joins them (the first `masters` ports become the masters, redis-cli assigns
 * the replicas) and waits until every slot is served. Anything started is stopped again if the
 * cluster does not come up.
 */
export async function startRedisCluster(opts: RedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const masters = opts.masters ?? 3;
  const replicas = opts.replicasPerMaster ?? 1;
  if (masters < 3) throw new RangeError(`redis-cli --cluster create needs at least 3 masters, got ${masters}`);
  const nodeTimeoutMs = opts.nodeTimeoutMs ?? 2000;
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  const cli = opts.cliBinary ?? process.env.PARLEY_REDIS_CLI_BIN ?? 'redis-cli';
  const ports = new Set<number>();
  while (ports.size < masters * (1 + replicas)) ports.add(await freePort());
  const nodes: RedisServerHandle[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(nodes.map((node) => node.stop()));
  };
  const seeds = [...ports].map((port) => `127.0.0.1:${port}`);

  const topology = async (askPorts: readonly number[] = [...ports]): Promise<RedisClusterNodeInfo[]> => {
    let lastError: unknown;
    for (const port of askPorts) {
      try {
        return parseClusterNodes(String(await respCommand(port, ['CLUSTER', 'NODES'], { timeoutMs: 1000 })));
      } catch (err) {
        lastError = err;
      }
    }
    throw new Error(`no redis cluster node answered CLUSTER NODES: ${(lastError as Error | undefined)?.message}`);
  };
  const nodeHealthy = async (port: number): Promise<boolean> => {
    const info = String(await respCommand(port, ['CLUSTER', 'INFO'], { timeoutMs: 1000 }));
    if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384/.test(info)) return false;
    const seen = parseClusterNodes(String(await respCommand(port, ['CLUSTER', 'NODES'], { timeoutMs: 1000 })));
    const servingMasters = seen.filter((node) => node.role === 'master' && node.slots.length > 0);
    if (!servingMasters.every((node) => node.healthy)) return false;
    // A replica counts once its initial sync is over: WAIT only hears from online replicas.
    const replication = String(await respCommand(port, ['INFO', 'replication'], { timeoutMs: 1000 }));
    if (/role:master/.test(replication)) {
      const expected = seen.filter((node) => node.role === 'replica' && node.healthy && node.masterId === seen.find((n) => n.port === port)?.id).length;
      return (replication.match(/state=online/g) ?? []).length >= expected;
    }
    return /master_link_status:up/.test(replication);
  };
  const waitHealthy = async (timeoutMs = startTimeoutMs, only?: readonly number[]): Promise<void> => {
    const running = only ?? nodes.filter((node) => node.pid > 0).map((node) => node.port);
    await waitFor(async () => (await Promise.all(running.map((port) => nodeHealthy(port).catch(() => false)))).every(Boolean), {
      timeoutMs,
      intervalMs: 100,
      what: `redis cluster nodes ${running.join(', ')} to serve every slot with healthy masters`,
    });
  };

  try {
    const started = await Promise.allSettled(
      [...ports].map((port) =>
        startRedisServer({
          port,
          extraArgs: [
            '--cluster-enabled', 'yes',
            '--cluster-config-file', 'nodes.conf',
            '--cluster-node-timeout', String(nodeTimeoutMs),
            // The other shards keep serving while one master is down (before its replica takes over).
            '--cluster-require-full-coverage', 'no',
            // A replica that was cut off for long still takes over a failed master.
            '--cluster-replica-validity-factor', '0',
            // A replica (new, or a restarted master rejoining) syncs at once, not after 5 s.
            '--repl-diskless-sync-delay', '0',
          ],
        }),
      ),
    );
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    await run(cli, ['--cluster', 'create', ...seeds, '--cluster-replicas', String(replicas), '--cluster-yes'], startTimeoutMs);
    await waitHealthy(startTimeoutMs);
    // Every replica attached (redis-cli returns before the replicas have synced).
    await waitFor(async () => (await topology()).filter((node) => node.role === 'replica' && node.healthy).length === masters * replicas, {
      timeoutMs: startTimeoutMs,
      intervalMs: 100,
      what: 'every redis cluster replica to attach to its master',
    });
    await waitHealthy(startTimeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: `redis+cluster://${seeds.join(',')}`,
    seeds,
    nodes,
    node(port: number): RedisServerHandle {
      const found = nodes.find((node) => node.port === port);
      if (!found) throw new Error(`no redis cluster node on port ${port}`);
      return found;
    },
    topology,
    waitHealthy,
    stop: () => (stopping ??= stop()),
  };
}
