// Latencies counted at the resolution of the tester's HDR histograms (lowest 1 µs, 3
// significant digits: newHistogram) with integer arithmetic only, then added into such a
// histogram in one go. hdr-histogram-js finds a value's slot with Math.log2, Math.pow and a
// division on every record; a fan-out run records millions: here a record is a clz32, a
// shift and an increment. The histogram it is added to ends up exactly as if every value had
// been recorded into it (the same count in every slot, the same total, min and max).
import type { Histogram } from 'hdr-histogram-js';
import { HIGHEST_US } from './latency';

/** log2 of half the sub-buckets per bucket at 3 significant digits (2 × 10^3 → 2^11 sub-buckets). */
const HALF_MAGNITUDE = 10;
const HALF_COUNT = 1 << HALF_MAGNITUDE;
/** Slots needed up to HIGHEST_US. */
const SLOTS = slotOf(HIGHEST_US) + 1;

/** The slot of a value ≥ 1 (hdr's countsArrayIndex with unit magnitude 0). */
export function slotOf(value: number): number {
  const bucket = Math.max(31 - Math.clz32(value) - HALF_MAGNITUDE, 0);
  return bucket * HALF_COUNT + (value >>> bucket);
}

/** The lowest value of a slot (hdr's valueFromIndex): it falls into the same slot. */
export function valueOfSlot(slot: number): number {
  let bucket = (slot >>> HALF_MAGNITUDE) - 1;
  let sub = (slot & (HALF_COUNT - 1)) + HALF_COUNT;
  if (bucket < 0) {
    sub -= HALF_COUNT;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}

export class PendingLatencies {
  private readonly counts = new Uint32Array(SLOTS);
  /** Slots with a count, in the order first counted. */
  private readonly used = new Uint32Array(SLOTS);
  private usedSlots = 0;
  private min = Infinity;
  private max = 0;

  /** Counts one latency, clamped and rounded as recordMicros does. */
  record(micros: number): void {
    const value = Math.min(HIGHEST_US, Math.max(1, Math.round(micros)));
    const slot = slotOf(value);
    if (this.counts[slot]++ === 0) this.used[this.usedSlots++] = slot;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  get empty(): boolean {
    return this.usedSlots === 0;
  }

  /** Adds what was counted into `h` (built by newHistogram) and starts again from nothing. */
  addTo(h: Histogram): void {
    if (this.usedSlots === 0) return;
    const minSlot = slotOf(this.min);
    const maxSlot = slotOf(this.max);
    for (let i = 0; i < this.usedSlots; i++) {
      const slot = this.used[i]!;
      let count = this.counts[slot]!;
      this.counts[slot] = 0;
      // The exact smallest and largest values, so min and max come out as recorded.
      if (slot === minSlot) {
        h.recordValue(this.min);
        count--;
      }
      if (slot === maxSlot && count > 0) {
        h.recordValue(this.max);
        count--;
      }
      if (count > 0) h.recordValueWithCount(valueOfSlot(slot), count);
    }
    this.usedSlots = 0;
    this.min = Infinity;
    this.max = 0;
  }
}
