// Collects frames for many users into one DownlinkBatch per gateway, so a service
// publishes one downlink message per gateway per bus batch (fan out per gateway,
// not per member). Beside its port: every producer of downlink frames writes through it.
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
import type { Downlink } from './downlink';

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

export interface AddOptions {
  /**
   * Keep the item when its gateway's batch reached no subscriber (`unheard()` after the
   * flush): a frame nothing else repeats, such as the sender's ack:N.
   */
  readonly repeatIfUnheard?: boolean;
}

export class DownlinkBatcher {
  /** The batches being filled, one per gateway: handed to the downlink as they are at flush (no copy), a new map made at the next add. */
  private batches: Map<GatewayId, parley.v1.DownlinkBatch> | undefined;
  private readonly counts = new Map<string, number>();
  /** Items added with `repeatIfUnheard`, per gateway (a subset of `batches`). */
  private repeatable: Map<GatewayId, parley.v1.DownlinkItem[]> | undefined;
  private lostItems: DownlinkBatcher | undefined;

  /** Queues `frame` for `target`; the frame is encoded once here. */
  add(target: DownlinkTarget, frame: FrameInit, options: AddOptions = {}): void {
    // Made as the protobuf object the batch holds, once: flush hands the items on as they are.
    // Its fields set one by one, in one order (what `DownlinkItem.create` would set, without
    // its loop over the keys of an object made for it); the member list copied only when it has ids.
    const item = new parley.v1.DownlinkItem();
    item.userId = target.user;
    item.connectionId = target.connectionId ?? '';
    item.frame = encodeFrame(frame);
    if (target.moreUsers && target.moreUsers.length > 0) item.moreUserIds = target.moreUsers.slice();
    item.exceptConnectionId = target.exceptConnectionId ?? '';
    this.addItem(target.gatewayId, item, options.repeatIfUnheard === true);
    const kind = packetOf(frame);
    if (kind) {
      const name = PACKET_NAMES[kind] ?? kind;
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    }
  }

  private addItem(gatewayId: GatewayId, item: parley.v1.DownlinkItem, repeatable: boolean): void {
    this.batches ??= new Map();
    let batch = this.batches.get(gatewayId);
    if (!batch) {
      batch = new parley.v1.DownlinkBatch(); // with an empty item list of its own
      this.batches.set(gatewayId, batch);
    }
    batch.items.push(item);
    if (!repeatable) return;
    // Made at the first repeatable item: most batchers never get one.
    this.repeatable ??= new Map();
    let kept = this.repeatable.get(gatewayId);
    if (!kept) this.repeatable.set(gatewayId, (kept = []));
    kept.push(item);
  }

  /**
   * After `flush`: the `repeatIfUnheard` items whose gateway's batch reached no subscriber,
   * as a new batcher to flush again later (undefined when there are none).
   */
  unheard(): DownlinkBatcher | undefined {
    return this.lostItems;
  }

  /** Batches queued so far: one per gateway. */
  get gatewayCount(): number {
    return this.batches?.size ?? 0;
  }

  get isEmpty(): boolean {
    return this.gatewayCount === 0;
  }

  /** Frames queued per packet name (for the packets metric). */
  packetCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /**
   * Publishes one batch per gateway and empties the batcher; `unheard()` then holds the
   * `repeatIfUnheard` items of gateways nobody heard (all of them when the publish failed).
   */
  async flush(downlink: Downlink): Promise<number> {
    this.lostItems = undefined;
    const batches = this.batches;
    if (!batches || batches.size === 0) return 0;
    // Taken as they are: the batcher starts new ones (the batches now belong to the publish).
    const repeatable = this.repeatable;
    this.batches = undefined;
    this.repeatable = undefined;
    let unheard: readonly GatewayId[];
    try {
      unheard = await downlink.publish(batches);
    } catch (err) {
      if (repeatable) this.keepUnheard(repeatable, [...repeatable.keys()]);
      throw err;
    }
    if (repeatable && unheard.length > 0) this.keepUnheard(repeatable, unheard);
    return batches.size;
  }

  private keepUnheard(repeatable: ReadonlyMap<GatewayId, parley.v1.DownlinkItem[]>, unheard: readonly GatewayId[]): void {
    for (const gatewayId of unheard) {
      const items = repeatable.get(gatewayId);
      if (!items) continue;
      this.lostItems ??= new DownlinkBatcher();
      for (const item of items) this.lostItems.addItem(gatewayId, item, true);
    }
  }
}

/** The packet a frame carries: its first own field set (a frame carries one); no key array per frame. */
function packetOf(frame: FrameInit): PacketKind | undefined {
  for (const key in frame) {
    if (Object.prototype.hasOwnProperty.call(frame, key) && frame[key as keyof FrameInit] != null) return key as PacketKind;
  }
  return undefined;
}
