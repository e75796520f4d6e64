// Downlink on Redis pub/sub: one channel per gateway, one subscriber connection per subscription.
import type Redis from 'ioredis';
import { decodeDownlinkBatch, encodeDownlinkBatch, type DownlinkBatch, type GatewayId } from '@parley/protocol';
import type { Closable, Downlink, DownlinkHandler, DownlinkSubscription } from '@parley/ports';
import type { RedisKeys } from './keys';
import { asBuffer, closeRedisConnection, execPipeline } from './redis-connection';

export interface RedisDownlinkOptions {
  /** Shared connection used to publish, and duplicated for each subscription; never closed here. */
  readonly redis: Redis;
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
 * subscribed to, nor for a subscriber that is reconnecting. Subscribing needs its own
 * connection (a subscribed connection can run no other command), so each subscription
 * duplicates the shared one and quits it on close. `close()` ends every subscription
 * this downlink made; the shared publishing connection stays open for its owner.
 */
export class RedisDownlink implements Downlink, Closable {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly onError: (error: unknown, gatewayId: GatewayId) => void;
  private readonly subscriptions = new Set<DownlinkSubscription>();

  constructor(options: RedisDownlinkOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.onError = options.onError ?? warnDownlinkError;
  }

  /**
   * PUBLISH answers how many subscribers got the message: 0 means the gateway's batch is
   * lost (on Redis Cluster, SPUBLISH to a sharded channel answers the same for its shard).
   */
  async publish(batches: ReadonlyMap<GatewayId, DownlinkBatch>): Promise<GatewayId[]> {
    if (batches.size === 0) return [];
    const pipeline = this.redis.pipeline();
    const gateways = [...batches.keys()];
    for (const [gatewayId, batch] of batches) {
      pipeline.publish(this.keys.downlinkChannel(gatewayId), asBuffer(encodeDownlinkBatch(batch)));
    }
    const receivers = await execPipeline(pipeline);
    return gateways.filter((_, index) => Number(receivers[index]) === 0);
  }

  async subscribe(gatewayId: GatewayId, handler: DownlinkHandler): Promise<DownlinkSubscription> {
    const channel = this.keys.downlinkChannel(gatewayId);
    const connection = this.redis.duplicate({
      connectionName: `${this.redis.options.connectionName ?? 'parley'}-downlink-${gatewayId}`,
      enableAutoPipelining: false,
    });
    let open = true;
    connection.on('error', (error: unknown) => this.onError(error, gatewayId));
    connection.on('messageBuffer', (from: Buffer, bytes: Buffer) => {
      // A batch already read from the socket when close() began is dropped, not delivered.
      if (!open || from.toString() !== channel) return;
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
    });
    try {
      await connection.subscribe(channel);
    } catch (error) {
      connection.disconnect();
      throw error;
    }
    const subscription: DownlinkSubscription = {
      close: async () => {
        if (!open) return;
        open = false;
        this.subscriptions.delete(subscription);
        await connection.unsubscribe(channel).catch(() => undefined);
        await closeRedisConnection(connection);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }
}

function warnDownlinkError(error: unknown, gatewayId: GatewayId): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`downlink of gateway ${gatewayId}: ${reason}`, 'ParleyDownlinkWarning');
}
