// Downlink as in-process pub/sub keyed by gateway id.
import { parley, type DownlinkBatch, type GatewayId } from '@parley/protocol';
import type { Downlink, DownlinkHandler, DownlinkSubscription } from './downlink';

export interface MemoryDownlinkOptions {
  /** Called when a handler throws; by default the error becomes a process warning. */
  readonly onError?: (error: unknown, gatewayId: GatewayId) => void;
}

/**
 * Single process only: publishers and subscribers must share this object. Each batch is
 * handed over in a later microtask, as a copy per subscriber (its own items, id lists and
 * frame bytes), to mimic a network hop: `publish` never runs a gateway's code on the
 * caller's stack, and nothing the publisher changes afterwards leaks into what the gateway
 * got. At-most-once like the port says: a batch for a gateway with no subscriber is dropped.
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
      for (const handler of handlers) {
        const copy = copyBatch(batch);
        // A resolved promise's callback, not queueMicrotask (which makes an AsyncResource per
        // call): the same microtask timing for less work per batch.
        void RESOLVED.then(() => {
          // Re-checked at delivery time: a subscription closed after publish gets nothing.
          if (!this.handlersByGateway.get(gatewayId)?.has(handler)) return;
          try {
            handler(copy);
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

const RESOLVED = Promise.resolve();

/**
 * What a subscriber would decode from the batch's bytes, without the encode and decode
 * (a few per cent of a message's CPU in the embedded mode; for a group's msg:N, the ids of
 * every member): protobuf objects with the defaults of unset fields, their own arrays, and
 * the frames copied into one buffer per batch (as decoded frames are views of one buffer;
 * from Node's buffer pool when small, as a decoded socket read's would be). Fields are set one
 * by one rather than through `create`, which loops over the keys of an object made for it.
 */
function copyBatch(batch: DownlinkBatch): DownlinkBatch {
  let frameBytes = 0;
  for (const item of batch.items) frameBytes += item.frame?.byteLength ?? 0;
  const frames = Buffer.allocUnsafe(frameBytes);
  let at = 0;
  const copy = new parley.v1.DownlinkBatch();
  for (const item of batch.items) {
    const length = item.frame?.byteLength ?? 0;
    if (item.frame) frames.set(item.frame, at);
    const frame = frames.subarray(at, at + length);
    at += length;
    const out = new parley.v1.DownlinkItem();
    out.userId = item.userId ?? '';
    out.connectionId = item.connectionId ?? '';
    out.frame = frame;
    if (item.moreUserIds && item.moreUserIds.length > 0) out.moreUserIds = item.moreUserIds.slice();
    out.exceptConnectionId = item.exceptConnectionId ?? '';
    out.closeCode = item.closeCode ?? 0;
    out.closeReason = item.closeReason ?? '';
    copy.items.push(out);
  }
  return copy;
}

function warnHandlerError(error: unknown, gatewayId: GatewayId): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`downlink handler of gateway ${gatewayId} threw: ${reason}`, 'ParleyDownlinkWarning');
}
