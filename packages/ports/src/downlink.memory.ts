// Downlink as in-process pub/sub keyed by gateway id.
import { decodeDownlinkBatch, encodeDownlinkBatch, type DownlinkBatch, type GatewayId } from '@parley/protocol';
import type { Downlink, DownlinkHandler, DownlinkSubscription } from './downlink';

export interface MemoryDownlinkOptions {
  /** Called when a handler throws; by default the error becomes a process warning. */
  readonly onError?: (error: unknown, gatewayId: GatewayId) => void;
}

/**
 * Single process only: publishers and subscribers must share this object. Each batch is
 * handed over in a later microtask, as bytes decoded afresh per subscriber, to mimic a
 * network hop: `publish` never runs a gateway's code on the caller's stack, and nothing
 * the publisher changes afterwards leaks into what the gateway got. At-most-once like
 * the port says: a batch for a gateway with no subscriber is dropped.
 */
export class MemoryDownlink implements Downlink {
  private readonly handlersByGateway = new Map<GatewayId, Set<DownlinkHandler>>();
  private readonly onError: (error: unknown, gatewayId: GatewayId) => void;

  constructor(options: MemoryDownlinkOptions = {}) {
    this.onError = options.onError ?? warnHandlerError;
  }

  async publish(batches: ReadonlyMap<GatewayId, DownlinkBatch>): Promise<GatewayId[]> {
    const unheard: GatewayId[] = [];
    for (const [gatewayId, batch] of batches) {
      const handlers = this.handlersByGateway.get(gatewayId);
      if (!handlers || handlers.size === 0) {
        unheard.push(gatewayId);
        continue;
      }
      const bytes = encodeDownlinkBatch(batch);
      for (const handler of handlers) {
        queueMicrotask(() => {
          // Re-checked at delivery time: a subscription closed after publish gets nothing.
          if (!this.handlersByGateway.get(gatewayId)?.has(handler)) return;
          try {
            handler(decodeDownlinkBatch(bytes));
          } catch (error) {
            this.onError(error, gatewayId);
          }
        });
      }
    }
    return unheard;
  }

  async subscribe(gatewayId: GatewayId, handler: DownlinkHandler): Promise<DownlinkSubscription> {
    // Wrapped so the same function subscribed twice counts as two subscriptions.
    const subscribed: DownlinkHandler = (batch) => handler(batch);
    let handlers = this.handlersByGateway.get(gatewayId);
    if (!handlers) {
      handlers = new Set();
      this.handlersByGateway.set(gatewayId, handlers);
    }
    handlers.add(subscribed);
    return {
      close: async () => {
        const current = this.handlersByGateway.get(gatewayId);
        current?.delete(subscribed);
        if (current?.size === 0) this.handlersByGateway.delete(gatewayId);
      },
    };
  }
}

function warnHandlerError(error: unknown, gatewayId: GatewayId): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`downlink handler of gateway ${gatewayId} threw: ${reason}`, 'ParleyDownlinkWarning');
}
