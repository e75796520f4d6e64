// A map from non-negative integers to positive numbers for keys that come nearly in a row
// (seqs of one epoch, client_seqs of one sender): a typed array from the first key seen,
// grown as keys rise, with a Map for keys below the first or far beyond the last (a receiver
// that first saw seq 5,000 and later pulls seq 3; a hostile seq of 2^50). A receipt ledger
// holds two of these per conversation and sender; a Map entry per delivery cost a fan-out
// run's receivers more than anything else they did.

/** Keys this far beyond the array's start stay in the Map (the array would be too big). */
const MAX_DENSE_SPAN = 1 << 22;
const FIRST_CAPACITY = 64;

export class DenseNumberMap {
  /** Key of slot 0 (-1: no key yet). */
  private base = -1;
  /** value per key - base; 0: none. */
  private slots = new Float64Array(0);
  private readonly sparse = new Map<number, number>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value of `key`, or 0 when none (values are positive). */
  get(key: number): number {
    const i = key - this.base;
    if (this.base >= 0 && i >= 0 && i < this.slots.length) return this.slots[i]!;
    return this.sparse.get(key) ?? 0;
  }

  /** Sets `key` to `value` (> 0). */
  set(key: number, value: number): void {
    if (this.base < 0 && Number.isSafeInteger(key) && key >= 0) {
      this.base = key;
      this.slots = new Float64Array(FIRST_CAPACITY);
    }
    const i = key - this.base;
    if (this.base >= 0 && Number.isSafeInteger(i) && i >= 0 && i < MAX_DENSE_SPAN) {
      if (i >= this.slots.length) this.grow(i);
      if (this.slots[i] === 0) this.count++;
      this.slots[i] = value;
      return;
    }
    if (!this.sparse.has(key)) this.count++;
    this.sparse.set(key, value);
  }

  /** Every key, ascending. */
  keys(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i] !== 0) out.push(this.base + i);
    if (this.sparse.size === 0) return out;
    return [...out, ...this.sparse.keys()].sort((a, b) => a - b);
  }

  private grow(index: number): void {
    let capacity = this.slots.length;
    while (capacity <= index) capacity *= 2;
    const slots = new Float64Array(Math.min(capacity, MAX_DENSE_SPAN));
    slots.set(this.slots);
    this.slots = slots;
  }
}
