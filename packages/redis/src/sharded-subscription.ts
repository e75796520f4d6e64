// One sharded pub/sub subscription (SSUBSCRIBE) that stays on the master serving its
// channel's slot: on one server, a dedicated connection that ioredis resubscribes after a
// reconnect; on Redis Cluster, a connection to the slot's master that moves to the new
// master when the client's slot map says the slot moved (failover, resharding).
import Redis, { type Cluster } from 'ioredis';
import { isCluster, type RedisClient } from './redis-connection';
import { slotOf } from './slots';

export interface ShardedSubscriptionOptions {
  readonly redis: RedisClient;
  readonly channel: string;
  /** CLIENT SETNAME of the subscriber connection. */
  readonly connectionName: string;
  readonly onMessage: (bytes: Buffer) => void;
  readonly onError: (error: unknown) => void;
  /** How often a cluster subscription compares its node with the slot map's master. Default 1000 ms. */
  readonly followIntervalMs?: number;
}

export interface ShardedSubscription {
  close(): Promise<void>;
}

/** Resolves once the channel is subscribed (on a cluster: on the slot's current master). */
export async function subscribeSharded(options: ShardedSubscriptionOptions): Promise<ShardedSubscription> {
  return isCluster(options.redis) ? subscribeOnCluster(options.redis, options) : subscribeOnServer(options.redis, options);
}

async function subscribeOnServer(redis: Redis, options: ShardedSubscriptionOptions): Promise<ShardedSubscription> {
  const connection = redis.duplicate({ connectionName: options.connectionName, enableAutoPipelining: false });
  const subscription = listen(connection, options);
  try {
    await connection.ssubscribe(options.channel);
  } catch (error) {
    connection.disconnect();
    throw error;
  }
  return subscription;
}

/**
 * SPUBLISH reaches the subscribers of the slot's master (and of its replicas). The
 * subscription follows the master at every slot-map refresh and every `followIntervalMs`:
 * it drops the connection to the old node first, then subscribes on the new one, so a
 * batch is never received twice; batches published in between are lost, which the
 * Downlink port allows (at-most-once; delivery re-pushes what is not acknowledged).
 */
async function subscribeOnCluster(cluster: Cluster, options: ShardedSubscriptionOptions): Promise<ShardedSubscription> {
  const slot = slotOf(options.channel);
  let node: string | undefined;
  let current: ShardedSubscription | undefined;
  let open = true;
  let following: Promise<void> = Promise.resolve();

  const moveTo = async (master: string): Promise<void> => {
    await current?.close();
    current = undefined;
    node = undefined;
    const at = master.lastIndexOf(':');
    const connection = new Redis({
      host: master.slice(0, at),
      port: Number(master.slice(at + 1)),
      username: cluster.options.redisOptions?.username,
      password: cluster.options.redisOptions?.password,
      connectionName: options.connectionName,
      enableAutoPipelining: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    });
    const subscription = listen(connection, options);
    try {
      await connection.ssubscribe(options.channel);
    } catch (error) {
      await subscription.close();
      throw error;
    }
    if (!open) return subscription.close();
    current = subscription;
    node = master;
  };
  const follow = (): Promise<void> => {
    following = following.then(async () => {
      const master = cluster.slots[slot]?.[0];
      if (!open || !master || master === node) return;
      try {
        await moveTo(master);
      } catch (error) {
        options.onError(error);
      }
    });
    return following;
  };

  if (cluster.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      cluster.once('ready', () => resolve());
      cluster.once('end', () => reject(new Error('redis cluster connection ended before it was ready')));
    });
  }
  const master = cluster.slots[slot]?.[0];
  if (!master) throw new Error(`no master serves slot ${slot} of channel ${options.channel}`);
  await moveTo(master);
  const onRefresh = () => void follow();
  cluster.on('refresh', onRefresh);
  const timer = setInterval(onRefresh, options.followIntervalMs ?? 1_000);
  timer.unref();
  return {
    close: async () => {
      if (!open) return;
      open = false;
      clearInterval(timer);
      cluster.off('refresh', onRefresh);
      await following;
      await current?.close();
      current = undefined;
    },
  };
}

/** Hands the channel's messages to `onMessage` until closed; close unsubscribes and quits. */
function listen(connection: Redis, options: ShardedSubscriptionOptions): ShardedSubscription {
  let open = true;
  connection.on('error', (error: unknown) => options.onError(error));
  connection.on('smessageBuffer', (from: Buffer, bytes: Buffer) => {
    // A message already read from the socket when close() began is dropped, not delivered.
    if (open && from.toString() === options.channel) options.onMessage(bytes);
  });
  return {
    close: async () => {
      if (!open) return;
      open = false;
      if (connection.status === 'ready') {
        await connection.sunsubscribe(options.channel).catch(() => undefined);
        await connection.quit().catch(() => connection.disconnect());
      } else {
        connection.disconnect();
      }
    },
  };
}
