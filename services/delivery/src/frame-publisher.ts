// Publishing frames to the gateways: a DownlinkBatcher's items go out as one downlink publish
// per gateway, counted, and the senders' ack:N among them are repeated when their gateway's
// batch reached no subscriber. A deliver batch's frames go out this way at its end, and so do
// re-pushes, which run on their timers outside any batch.
import { tallyOf, type Counter, type KeyedCells, type SharedMetrics, type TallyCell } from '@parley/observability';
import type { Downlink, DownlinkBatcher } from '@parley/ports';
import type { SenderNotices } from './sender-notices';

export interface FramePublisherParts {
  readonly downlink: Downlink;
  /** `parley_packets_total{direction="out"}`. */
  readonly packets: SharedMetrics['packets'];
  /** `parley_delivery_downlink_batches_total`. */
  readonly downlinkBatches: Counter<string>;
  readonly notices: Pick<SenderNotices, 'repeatUnheard'>;
}

export class FramePublisher {
  /** The counters' tallies (tally.ts): numbers added, not labels hashed, per batch. */
  private readonly packetsOut: KeyedCells;
  private readonly downlinkBatches: TallyCell;

  constructor(private readonly parts: FramePublisherParts) {
    this.packetsOut = tallyOf(parts.packets).keyedBy((type) => ({ type, direction: 'out' }));
    this.downlinkBatches = tallyOf(parts.downlinkBatches).cell();
  }

  /** Resolves once every gateway's batch is published (rejects when the downlink is unavailable). */
  async publish(out: DownlinkBatcher): Promise<void> {
    for (const [type, count] of out.packetCounts()) this.packetsOut.get(type).inc(count);
    const batches = await out.flush(this.parts.downlink);
    this.downlinkBatches.inc(batches);
    this.parts.notices.repeatUnheard(out);
  }
}
