import { encodeHistogram, HIGHEST_US, newHistogram, recordMicros } from '../../src/latency';
import { PendingLatencies, slotOf, valueOfSlot } from '../../src/pending-latencies';

describe('PendingLatencies', () => {
  it('finds the same slot as hdr-histogram-js for every value at the edges of its buckets', () => {
    const values = [1, 2, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, HIGHEST_US];
    for (let k = 11; k < 30; k++) values.push(2 ** k - 1, 2 ** k, 2 ** k + 1, 3 * 2 ** (k - 1));
    for (const value of values) {
      const h = newHistogram();
      h.recordValue(value);
      // hdr's own slot for the value: the one whose lowest value it reports for it.
      expect(valueOfSlot(slotOf(value))).toBe(h.lowestEquivalentValue(value));
      expect(slotOf(valueOfSlot(slotOf(value)))).toBe(slotOf(value));
    }
  });

  it('leaves a histogram exactly as recording every value into it would', () => {
    const direct = newHistogram();
    const added = newHistogram();
    const pending = new PendingLatencies();
    const values: number[] = [0, -5, 0.4, 1.6, HIGHEST_US * 2];
    for (let i = 0; i < 20_000; i++) values.push(Math.exp(Math.random() * Math.log(HIGHEST_US)));
    for (let i = 0; i < 2000; i++) values.push(1500 + Math.random() * 10);
    for (const [n, value] of values.entries()) {
      recordMicros(direct, value);
      pending.record(value);
      // Added in several rounds, as a timeline slot is flushed more than once.
      if (n % 7000 === 0) pending.addTo(added);
    }
    pending.addTo(added);
    expect(pending.empty).toBe(true);
    expect(added.totalCount).toBe(direct.totalCount);
    expect(added.minNonZeroValue).toBe(direct.minNonZeroValue);
    expect(added.maxValue).toBe(direct.maxValue);
    expect(added.mean).toBeCloseTo(direct.mean, 6);
    for (const p of [0, 1, 10, 50, 90, 99, 99.9, 99.99, 100]) expect(added.getValueAtPercentile(p)).toBe(direct.getValueAtPercentile(p));
    expect(encodeHistogram(added)).toBe(encodeHistogram(direct));
  });

  it('adds nothing when nothing was counted, and starts from nothing after adding', () => {
    const h = newHistogram();
    const pending = new PendingLatencies();
    pending.addTo(h);
    expect(h.totalCount).toBe(0);
    pending.record(5000);
    pending.addTo(h);
    pending.addTo(h);
    expect(h.totalCount).toBe(1);
    expect(h.maxValue).toBe(5000);
  });
});
