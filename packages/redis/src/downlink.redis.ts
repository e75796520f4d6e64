// Downlink on Redis sharded pub/sub: one sharded channel per gateway, one subscriber connection
// per subscription, on the master of the channel's slot.
import { decodeDownlinkBatch, encodeDownlinkBatch, type DownlinkBatch, type GatewayId } from '@parley/protocol';
import type { Closable, Downlink, DownlinkHandler, DownlinkSubscription } from '@parley/ports';
import type { RedisKeys } from './keys';
import { commandBatch, execPipeline } from './command-batch';
import { asBuffer, isCluster, type RedisClient } from './redis-connection';
import { subscribeSharded } from './sharded-subscription';

export interface RedisDownlinkOptions {
  /** Shared connection used to publish, and duplicated for each subscription; never closed here. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  /**
   * Called when a batch cannot be handed over (the handler threw, the bytes did not
   * decode) or a subscriber connection reports an error (it reconnects and resubscribes
   * by itself). Default: a process warning.
   */
  readonly onError?: (error: unknown, gatewayId: GatewayId) => void;
}

/**
 * At-most-once, as the port says: Redis pub/sub keeps nothing for a channel nobody is
 * subscribed to, nor for a subscriber that is reconnecting or following its slot to a new
 * master. Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis >= 7.0) on one server behaves like
 * plain pub/sub; on Redis Cluster a batch travels only within the shard of the gateway's
 * channel instead of being broadcast over the cluster bus to every node. Subscribing needs
 * its own connection (a subscribed connection can run no other command), so each subscription
 * opens one and quits it on close. `close()` ends every subscription
 * this downlink made; the shared publishing connection stays open for its owner.
 */
export class RedisDownlink implements Downlink, Closable {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;
  private readonly onError: (error: unknown, gatewayId: GatewayId) => void;
  private readonly subscriptions = new Set<DownlinkSubscription>();

  constructor(options: RedisDownlinkOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.onError = options.onError ?? warnDownlinkError;
  }

  /**
   * SPUBLISH answers how many subscribers got the message (on a cluster: on the channel's
   * shard): 0 means the gateway's batch is lost.
   */
  async publish(batches: ReadonlyMap<GatewayId, DownlinkBatch>): Promise<GatewayId[]> {
    if (batches.size === 0) return [];
    const pipeline = commandBatch(this.redis);
    const gateways = [...batches.keys()];
    for (const [gatewayId, batch] of batches) {
      pipeline.spublish(this.keys.downlinkChannel(gatewayId), asBuffer(encodeDownlinkBatch(batch)));
    }
    const receivers = await execPipeline(pipeline);
    return gateways.filter((_, index) => Number(receivers[index]) === 0);
  }

  async subscribe(gatewayId: GatewayId, handler: DownlinkHandler): Promise<DownlinkSubscription> {
    const connectionName = `${this.connectionName()}-downlink-${gatewayId}`;
    const sharded = await subscribeSharded({
      redis: this.redis,
      channel: this.keys.downlinkChannel(gatewayId),
      connectionName,
      onError: (error) => this.onError(error, gatewayId),
      onMessage: (bytes) => {
        let batch: DownlinkBatch;
        try {
          batch = decodeDownlinkBatch(bytes);
        } catch (error) {
          this.onError(error, gatewayId);
          return;
        }
        try {
          handler(batch);
        } catch (error) {
          this.onError(error, gatewayId);
        }
      },
    });
    const subscription: DownlinkSubscription = {
      close: async () => {
        if (!this.subscriptions.delete(subscription)) return;
        await sharded.close();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  private connectionName(): string {
    const options = isCluster(this.redis) ? this.redis.options.redisOptions : this.redis.options;
    return options?.connectionName ?? 'parley';
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }
}

function warnDownlinkError(error: unknown, gatewayId: GatewayId): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`downlink of gateway ${gatewayId}: ${reason}`, 'ParleyDownlinkWarning');
}
