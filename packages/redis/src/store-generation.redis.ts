// StoreGeneration on Redis: one marker key per shard holding a random id, written with SET NX
// and never expiring, so it disappears exactly when that shard loses its data.
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { newGenerationId, type StoreGeneration, type StoreGenerationId } from '@parley/ports';
import type { RedisKeys } from './keys';
import { commandBatch, execPipeline } from './command-batch';
import { isCluster, type RedisClient } from './redis-connection';
import { shardRanges } from './slots';

export interface RedisStoreGenerationOptions {
  /** Shared connection; never closed here. Its reconnects are what `onReconnect` reports. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
}

/**
 * `SET marker <new id> NX GET` in one command: it writes the new id only when the marker is
 * absent and returns the marker's value before the command (nil when it wrote), so readers
 * in several processes agree on one id without a script. Needs Redis >= 7.0 (NX with GET).
 * The marker has no TTL: an eviction policy that may evict it (allkeys-*) would report a
 * loss each time it does, and would lose parley's other keys the same way.
 *
 * On Redis Cluster each shard (each contiguous slot range of a master) has its own marker,
 * at the range's first slot, and the generation is all of them together: a master restarted
 * empty, or a replica promoted that never received the marker, changes it. The set of
 * ranges comes from the client's slot map, so moving slots between masters (resharding)
 * also reads as a loss: the reaction to a loss (presence registered again, pending pushes
 * sent again, groups restored) is safe to run when nothing was lost. On one server there is
 * one range, so one marker, and its id is the generation; on a cluster the generation is a
 * digest of every range and its marker's id.
 */
/** How long a cluster's burst of reconnect signals must have been quiet before it is reported. */
export const RECONNECT_SETTLE_MS = 100;

export class RedisStoreGeneration implements StoreGeneration {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;
  private readonly listeners = new Set<() => void>();

  private settling: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RedisStoreGenerationOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    const cluster = this.redis;
    if (isCluster(cluster)) {
      // The whole client reconnected, a node connection opened (a promoted replica, a node
      // back) or one reopened: a shard may have restarted empty meanwhile. These come in
      // bursts (one per node), reported once when the burst is over.
      this.watchConnection(cluster, () => this.notifySoon());
      cluster.on('+node', (node: Redis) => {
        this.watchConnection(node, () => this.notifySoon());
        if (cluster.status === 'ready') this.notifySoon();
      });
    } else {
      this.watchConnection(this.redis, () => this.notify());
    }
  }

  async read(): Promise<StoreGenerationId> {
    const ranges = shardRanges(this.redis);
    if (ranges.length === 0) throw new Error('redis cluster slot map not loaded yet');
    const batch = commandBatch(this.redis);
    const candidates = ranges.map(() => newGenerationId());
    ranges.forEach((range, index) => batch.set(this.keys.storeGeneration(range.first), candidates[index]!, 'NX', 'GET'));
    const before = (await execPipeline(batch)) as Array<string | null>;
    if (ranges.length === 1) return (before[0] ?? candidates[0]!) as StoreGenerationId;
    const ids = ranges.map((range, index) => `${range.first}-${range.last}=${before[index] ?? candidates[index]}`);
    return createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32) as StoreGenerationId;
  }

  onReconnect(listener: () => void): () => void {
    const registered = () => listener();
    this.listeners.add(registered);
    return () => {
      this.listeners.delete(registered);
    };
  }

  /** Calls `report` at every `ready` that follows a `close` of this connection. */
  private watchConnection(connection: RedisClient, report: () => void): void {
    let lost = false;
    connection.on('close', () => {
      lost = true;
    });
    connection.on('ready', () => {
      if (!lost) return;
      lost = false;
      report();
    });
  }

  /** Notifies once, 100 ms after the last of a burst of signals. */
  private notifySoon(): void {
    if (this.settling) clearTimeout(this.settling);
    this.settling = setTimeout(() => {
      this.settling = undefined;
      this.notify();
    }, RECONNECT_SETTLE_MS);
    this.settling.unref();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
