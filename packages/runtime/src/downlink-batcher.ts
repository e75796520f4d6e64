// Collects frames for many users into one DownlinkBatch per gateway, so a service
// publishes one downlink message per gateway per bus batch (fan out per gateway,
// not per member).
import {
  ConnectionId,
  encodeFrame,
  FrameInit,
  GatewayId,
  PACKET_NAMES,
  PacketKind,
  parley,
  UserId,
} from '@parley/protocol';
import type { Downlink } from '@parley/ports';

export interface DownlinkTarget {
  readonly gatewayId: GatewayId;
  readonly user: UserId;
  /** Empty = every connection of `user` on that gateway. */
  readonly connectionId?: ConnectionId | '';
  /** More users of that gateway that get the same frame (group fan-out: one item, many members). */
  readonly moreUsers?: readonly UserId[];
  /** A connection that must not get the frame (the sender's own, which has msg:A). */
  readonly exceptConnectionId?: ConnectionId | '';
}

export class DownlinkBatcher {
  private readonly batches = new Map<GatewayId, parley.v1.IDownlinkItem[]>();
  private readonly counts = new Map<string, number>();

  /** Queues `frame` for `target`; the frame is encoded once here. */
  add(target: DownlinkTarget, frame: FrameInit): void {
    let items = this.batches.get(target.gatewayId);
    if (!items) {
      items = [];
      this.batches.set(target.gatewayId, items);
    }
    items.push({
      userId: target.user,
      connectionId: target.connectionId ?? '',
      frame: encodeFrame(frame),
      moreUserIds: target.moreUsers ? [...target.moreUsers] : [],
      exceptConnectionId: target.exceptConnectionId ?? '',
    });
    const kind = Object.keys(frame).find((key) => (frame as Record<string, unknown>)[key] != null) as PacketKind | undefined;
    if (kind) {
      const name = PACKET_NAMES[kind] ?? kind;
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    }
  }

  /** Batches queued so far: one per gateway. */
  get gatewayCount(): number {
    return this.batches.size;
  }

  get isEmpty(): boolean {
    return this.batches.size === 0;
  }

  /** Frames queued per packet name (for the packets metric). */
  packetCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /** Publishes one batch per gateway and empties the batcher. */
  async flush(downlink: Downlink): Promise<number> {
    if (this.batches.size === 0) return 0;
    const batches = new Map<GatewayId, parley.v1.DownlinkBatch>();
    for (const [gatewayId, items] of this.batches) batches.set(gatewayId, parley.v1.DownlinkBatch.create({ items: items.map((i) => parley.v1.DownlinkItem.create(i)) }));
    this.batches.clear();
    await downlink.publish(batches);
    return batches.size;
  }
}
