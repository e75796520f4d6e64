// Writes what a downlink batch asks of this gateway (downlink-item.ts) to the connections it
// holds: all frames for one link in one send (one cork, or one poll batch), never before
// welcome, never to a reader too slow to keep up; or closes the connections a control item names.
import { CloseCode, type DownlinkBatch } from '@parley/protocol';
import type { ClientLink } from './client-link';
import type { ConnectionRegistry } from './connection-registry';
import { readDownlinkBatch, type DownlinkFrame } from './downlink-item';
import { tallyOf, type TallyCell } from '@parley/observability';
import type { GatewayMetrics } from './gateway-metrics';

/**
 * Adds `write`'s frame to what `link` gets from this batch, unless the write names another
 * of the user's connections; returns 1 when the write is for this link (also when it is the
 * sender's own connection, which had msg:A instead and gets nothing), else 0.
 */
function queue(byLink: Map<ClientLink, Uint8Array[]>, link: ClientLink, write: DownlinkFrame): number {
  const connectionId = link.state.connectionId;
  if (write.connection && connectionId !== write.connection) return 0;
  if (write.except && connectionId === write.except) return 1;
  const frames = byLink.get(link);
  if (frames) frames.push(write.frame);
  else byLink.set(link, [write.frame]);
  return 1;
}

export class DownlinkWriter {
  /** `parley_gateway_downlink_batches_total`, counted as a number (tally.ts). */
  private readonly batches: TallyCell;
  /** The map of the last batch written, empty, for the next one (a write a link's send re-enters makes its own). */
  private spare: Map<ClientLink, Uint8Array[]> | undefined;

  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly metrics: GatewayMetrics,
    /** A link holding more unsent bytes than this is closed SLOW_CONSUMER instead of written. */
    private readonly maxBackpressureBytes: number,
  ) {
    this.batches = tallyOf(metrics.downlinkBatches).cell();
  }

  write(batch: DownlinkBatch): void {
    const { connections, metrics } = this;
    this.batches.inc();
    const byLink = this.spare ?? new Map<ClientLink, Uint8Array[]>();
    this.spare = undefined;
    for (const write of readDownlinkBatch(batch)) {
      if (write.kind === 'close') {
        for (const link of connections.find(write.user, write.connection)) link.close(write.code, write.reason);
        continue;
      }
      // Per member of a group's fan-out: the links as the registry holds them, nothing copied.
      for (const user of write.users) {
        const held = connections.linksOf(user);
        let found = 0;
        if (Array.isArray(held)) for (const link of held as readonly ClientLink[]) found += queue(byLink, link, write);
        else if (held !== undefined) found = queue(byLink, held as ClientLink, write);
        if (found === 0) metrics.droppedWrites.inc({ reason: 'not_connected' });
      }
    }
    for (const [link, frames] of byLink) {
      if (link.state.closed) continue;
      if (!link.state.welcomed) {
        // welcome comes first; what is dropped here is in the inbox the client pulls after it, or is re-sent.
        metrics.droppedWrites.inc({ reason: 'before_welcome' }, frames.length);
        continue;
      }
      if (link.bufferedBytes() > this.maxBackpressureBytes) {
        // A reader this slow would miss frames: close it; it resumes from its inbox.
        metrics.droppedWrites.inc({ reason: 'backpressure' }, frames.length);
        link.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
        continue;
      }
      link.send(frames);
    }
    byLink.clear();
    this.spare = byLink;
  }
}
