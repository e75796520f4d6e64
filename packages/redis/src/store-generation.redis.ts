// StoreGeneration on Redis: one marker key holding a random id, written with SET NX and
// never expiring, so it disappears exactly when Redis loses its data.
import type Redis from 'ioredis';
import { newGenerationId, type StoreGeneration, type StoreGenerationId } from '@parley/ports';
import type { RedisKeys } from './keys';

export interface RedisStoreGenerationOptions {
  /** Shared connection; never closed here. Its reconnects are what `onReconnect` reports. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
}

/**
 * `SET marker <new id> NX GET` in one command: it writes the new id only when the marker is
 * absent and returns the marker's value before the command (nil when it wrote), so readers
 * in several processes agree on one id without a script. Needs Redis >= 7.0 (NX with GET).
 * The marker has no TTL: an eviction policy that may evict it (allkeys-*) would report a
 * loss each time it does, and would lose parley's other keys the same way.
 */
export class RedisStoreGeneration implements StoreGeneration {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly listeners = new Set<() => void>();
  /** The connection closed since it was last ready: the next `ready` is a reconnect. */
  private lost = false;

  constructor(options: RedisStoreGenerationOptions) {
    this.redis = options.redis;
    this.key = options.keys.storeGeneration();
    this.redis.on('close', () => {
      this.lost = true;
    });
    this.redis.on('ready', () => {
      if (!this.lost) return;
      this.lost = false;
      for (const listener of [...this.listeners]) listener();
    });
  }

  async read(): Promise<StoreGenerationId> {
    const candidate = newGenerationId();
    const before = await this.redis.set(this.key, candidate, 'NX', 'GET');
    return (before ?? candidate) as StoreGenerationId;
  }

  onReconnect(listener: () => void): () => void {
    const registered = () => listener();
    this.listeners.add(registered);
    return () => {
      this.listeners.delete(registered);
    };
  }
}
