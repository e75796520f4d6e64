// Redis Cluster's key slots as parley uses them: the slot of a key, a hash tag that lands
// on a chosen slot (for keys that must live beside any conversation's or user's keys, one
// per slot), and the slot ranges each master serves (one shard each).
import calculateSlot from 'cluster-key-slot';
import type { RedisClient } from './redis-connection';
import { isCluster } from './redis-connection';

/** Redis Cluster has 16384 slots; a key's slot is CRC16 of its hash tag (or whole name) mod 16384. */
export const SLOT_COUNT = 16_384;

/** The cluster slot of a key (its `{...}` hash tag when it has one). Meaningful on one server too. */
export function slotOf(key: string): number {
  return calculateSlot(key);
}

let tags: string[] | undefined;

/**
 * A short tag whose slot is `slot`: a key named `...{<tag>}...` lands on that slot. Found
 * once by counting in base 36 until every slot has one (about 170,000 CRC16s, a few ms).
 */
export function slotTag(slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) throw new RangeError(`no such cluster slot: ${slot}`);
  if (!tags) {
    const found: string[] = new Array<string>(SLOT_COUNT);
    let missing = SLOT_COUNT;
    for (let i = 0; missing > 0; i++) {
      const tag = i.toString(36);
      const at = calculateSlot(tag);
      if (found[at] === undefined) {
        found[at] = tag;
        missing--;
      }
    }
    tags = found;
  }
  return tags[slot]!;
}

/** A run of slots served by one master: one shard's part of the key space. */
export interface SlotRange {
  readonly first: number;
  readonly last: number;
  /** `host:port` of the master serving it (`''` on a single server). */
  readonly master: string;
}

/**
 * The contiguous slot ranges and their masters, from the client's current slot map: on one
 * server, one range of every slot. Empty while a cluster client has no slot map yet.
 */
export function shardRanges(redis: RedisClient): SlotRange[] {
  if (!isCluster(redis)) return [{ first: 0, last: SLOT_COUNT - 1, master: '' }];
  const ranges: SlotRange[] = [];
  let open: { first: number; master: string } | undefined;
  for (let slot = 0; slot <= SLOT_COUNT; slot++) {
    const master = slot < SLOT_COUNT ? redis.slots[slot]?.[0] : undefined;
    if (open && master !== open.master) {
      ranges.push({ first: open.first, last: slot - 1, master: open.master });
      open = undefined;
    }
    if (!open && master !== undefined) open = { first: slot, master };
  }
  return ranges;
}
