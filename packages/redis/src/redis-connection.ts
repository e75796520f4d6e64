// Opens and closes the ioredis connections every Redis adapter of parley runs on: one Redis
// server, or a Redis Cluster (ioredis `Cluster`) when the URL says `redis+cluster://`.
import Redis, { Cluster } from 'ioredis';
import { backoffCeilingMs } from '@parley/protocol';

/** What every adapter talks to: one server or a cluster, the same commands. */
export type RedisClient = Redis | Cluster;

/** The URL scheme that selects Redis Cluster: `redis+cluster://host:port,host:port,...` (seed nodes). */
export const CLUSTER_SCHEME = 'redis+cluster:';

export interface RedisConnectionOptions {
  /** CLIENT SETNAME, so `CLIENT LIST` shows who holds the connection, e.g. `parley-sequencer`. */
  readonly name: string;
  /**
   * Times one command is retried across reconnects before it is rejected. Bounded so a
   * caller sees Redis being down (and its bus handler fails and is retried) instead of
   * waiting forever. Default 2.
   */
  readonly maxRetriesPerRequest?: number;
  /** Time allowed to open the TCP connection, in milliseconds. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Longest wait between reconnect attempts, in milliseconds. Default 2000. */
  readonly maxReconnectDelayMs?: number;
}

export interface ClusterSeed {
  readonly host: string;
  readonly port: number;
}

/**
 * The seed nodes of a `redis+cluster://` URL, or undefined for any other URL (one server).
 * `redis+cluster://[user:password@]host:port,host:port` — every seed must name its port; a
 * few seeds are enough, the client learns the rest of the cluster from them.
 */
export function clusterSeedsOf(url: string): { seeds: ClusterSeed[]; username?: string; password?: string } | undefined {
  if (!url.toLowerCase().startsWith(`${CLUSTER_SCHEME}//`)) return undefined;
  let rest = url.slice(CLUSTER_SCHEME.length + 2).replace(/\/+$/, '');
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const credentials = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = credentials.indexOf(':');
    username = decodeURIComponent(colon >= 0 ? credentials.slice(0, colon) : credentials) || undefined;
    password = colon >= 0 ? decodeURIComponent(credentials.slice(colon + 1)) : undefined;
  }
  const seeds = rest.split(',').map((part) => {
    const match = /^([^:,/]+):(\d{1,5})$/.exec(part.trim());
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65_535) {
      throw new Error(`redis cluster seed must be host:port, got '${part}' in ${CLUSTER_SCHEME}// URL`);
    }
    return { host: match[1]!, port };
  });
  return { seeds, username, password };
}

/**
 * Connects at once (no lazy connect: a wrong URL shows at start-up) and auto-pipelines:
 * commands issued in the same tick go out in one write (on a cluster: one write per node),
 * so independent adapter calls share round trips without any code asking for it. Reconnects
 * forever with capped exponential backoff; a command in flight meanwhile fails after
 * `maxRetriesPerRequest`. On a cluster, a command sent to a node that no longer serves its
 * slot follows the MOVED/ASK redirection, and one that meets a failover in progress
 * (CLUSTERDOWN, TRYAGAIN, a closed node connection) is retried after a short delay while
 * the client reloads the slot map.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions): RedisClient {
  const maxReconnectDelayMs = options.maxReconnectDelayMs ?? 2_000;
  const reconnectBackoff = { minDelayMs: 50, maxDelayMs: maxReconnectDelayMs };
  const retryStrategy = (attempt: number) => backoffCeilingMs(reconnectBackoff, attempt);
  const nodeOptions = {
    connectionName: options.name,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 2,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
  };
  const cluster = clusterSeedsOf(url);
  if (cluster) {
    return new Cluster(cluster.seeds, {
      redisOptions: { ...nodeOptions, username: cluster.username, password: cluster.password },
      enableAutoPipelining: true,
      lazyConnect: false,
      // Writes and reads both go to masters: a replica may lag behind what was just written.
      scaleReads: 'master',
      clusterRetryStrategy: retryStrategy,
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 200,
      slotsRefreshTimeout: 2_000,
      slotsRefreshInterval: 2_000,
      // SSUBSCRIBE goes to the master of the channel's slot, and follows it when it moves.
      shardedSubscribers: true,
    });
  }
  return new Redis(url, {
    ...nodeOptions,
    enableAutoPipelining: true,
    lazyConnect: false,
    retryStrategy,
  });
}

export function isCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}

/** QUIT (replies already in flight still arrive); falls back to dropping the sockets when Redis is unreachable. */
export async function closeRedisConnection(redis: RedisClient): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/** ioredis sends Buffers as bytes but stringifies other Uint8Arrays ("1,2,3"): wrap without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
