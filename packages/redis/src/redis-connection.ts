// Opens and closes the ioredis connections every Redis adapter of parley runs on.
import Redis, { type ChainableCommander } from 'ioredis';

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

/**
 * Connects at once (no lazy connect: a wrong URL shows at start-up) and auto-pipelines:
 * commands issued in the same tick go out in one write, so independent adapter calls
 * share round trips without any code asking for it. Reconnects forever with capped
 * exponential backoff; a command in flight meanwhile fails after `maxRetriesPerRequest`.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions): Redis {
  const maxReconnectDelayMs = options.maxReconnectDelayMs ?? 2_000;
  return new Redis(url, {
    connectionName: options.name,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 2,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    enableAutoPipelining: true,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 16), maxReconnectDelayMs),
  });
}

/** QUIT (replies already in flight still arrive); falls back to dropping the socket when Redis is unreachable. */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/**
 * Runs a pipeline (or a MULTI block) and returns each command's reply in order, or throws the first
 * command's error. Commands before and after a failed one may still have taken effect:
 * every caller's writes are idempotent or deduplicated, so a retry is safe.
 */
export async function execPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = await pipeline.exec();
  if (!results) throw new Error('redis transaction aborted (a watched key changed)');
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

/** ioredis sends Buffers as bytes but stringifies other Uint8Arrays ("1,2,3"): wrap without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
