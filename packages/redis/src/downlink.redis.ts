// Downlink on Redis sharded pub/sub: one sharded channel per gateway, one subscriber connection
// per subscription, on the master of the channel's slot.
import { decodeDownlinkBatch, encodeDownlinkBatch, type DownlinkBatch, type GatewayId } from '@parley/protocol';
import type { Closable, Downlink, DownlinkHandler, DownlinkSubscription } from '@parley/ports';
import type { RedisKeys } from './keys';
import { commandBatch, commandsAtTickEnd, execPipeline } from './command-batch';
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
  /** One server: the items published in the current tick, per gateway, and the publish that will send them. */
  private tick: { readonly items: Map<GatewayId, DownlinkBatch['items'][number][]>; readonly sent: Promise<Map<GatewayId, number>> } | undefined;

  constructor(options: RedisDownlinkOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.onError = options.onError ?? warnDownlinkError;
  }

  /**
   * SPUBLISH answers how many subscribers got the message (on a cluster: on the channel's
   * shard): 0 means the gateway's batch is lost.
   *
   * On one server, every publish of one tick to the same gateway goes out as one batch (their
   * items in call order), one SPUBLISH per gateway in the tick's pipeline: the handler calls of
   * partitions handled together resume together and publish in the same tick, and a gateway
   * then reads, decodes and writes one batch instead of one per call. Each caller is told about
   * its own gateways; all of them fail together if the publish fails.
   */
  async publish(batches: ReadonlyMap<GatewayId, DownlinkBatch>): Promise<GatewayId[]> {
    if (batches.size === 0) return [];
    if (isCluster(this.redis)) return this.publishNow(batches);
    let tick = this.tick;
    if (!tick) {
      const items = new Map<GatewayId, DownlinkBatch['items'][number][]>();
      const gateways: GatewayId[] = [];
      const replies = commandsAtTickEnd(this.redis, (pipeline) => {
        this.tick = undefined;
        for (const [gatewayId, gatewayItems] of items) {
          gateways.push(gatewayId);
          pipeline.spublish(this.keys.downlinkChannel(gatewayId), asBuffer(encodeDownlinkBatch({ items: gatewayItems })));
        }
      });
      const sent = replies.then((all) => {
        const receivers = new Map<GatewayId, number>();
        all.forEach(([error, reply], index) => {
          if (error) throw error;
          receivers.set(gateways[index]!, Number(reply));
        });
        return receivers;
      });
      tick = this.tick = { items, sent };
    }
    for (const [gatewayId, batch] of batches) {
      const items = tick.items.get(gatewayId);
      if (items) items.push(...batch.items);
      else tick.items.set(gatewayId, [...batch.items]);
    }
    const receivers = await tick.sent;
    return [...batches.keys()].filter((gatewayId) => receivers.get(gatewayId) === 0);
  }

  /** One SPUBLISH per gateway of this call (a cluster: each on its own, to its channel's shard). */
  private async publishNow(batches: ReadonlyMap<GatewayId, DownlinkBatch>): Promise<GatewayId[]> {
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
