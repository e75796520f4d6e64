// Writes what a downlink batch asks of this gateway (downlink-item.ts) to the connections it
// holds: all frames for one link in one send (one cork, or one poll batch), never before
// welcome, never to a reader too slow to keep up; or closes the connections a control item names.
import { CloseCode, type DownlinkBatch } from '@parley/protocol';
import type { ClientLink } from './client-link';
import type { ConnectionRegistry } from './connection-registry';
import { readDownlinkBatch } from './downlink-item';
import type { GatewayMetrics } from './gateway-metrics';

export class DownlinkWriter {
  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly metrics: GatewayMetrics,
    /** A link holding more unsent bytes than this is closed SLOW_CONSUMER instead of written. */
    private readonly maxBackpressureBytes: number,
  ) {}

  write(batch: DownlinkBatch): void {
    const { connections, metrics } = this;
    metrics.downlinkBatches.inc();
    const byLink = new Map<ClientLink, Uint8Array[]>();
    for (const write of readDownlinkBatch(batch)) {
      if (write.kind === 'close') {
        for (const link of connections.find(write.user, write.connection)) link.close(write.code, write.reason);
        continue;
      }
      for (const user of write.users) {
        const links = connections.find(user, write.connection);
        if (links.length === 0) metrics.droppedWrites.inc({ reason: 'not_connected' });
        for (const link of links) {
          if (write.except && link.state.connectionId === write.except) continue;
          let frames = byLink.get(link);
          if (!frames) byLink.set(link, (frames = []));
          frames.push(write.frame);
        }
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
  }
}
