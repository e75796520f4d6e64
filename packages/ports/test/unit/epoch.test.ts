// Epoch names: time first (so a conversation's epochs sort in the order they started), then a
// random tail that keeps epochs minted in the same millisecond apart.
import { newEpoch } from '../../src/epoch';

describe('newEpoch', () => {
  it('is 9 base36 characters of time then 8 random ones, never a separator', () => {
    const epoch = newEpoch(Date.UTC(2026, 11, 7));
    expect(epoch).toMatch(/^[0-9a-z]{17}$/);
    expect(epoch.slice(0, 9)).toBe(Date.UTC(2026, 11, 7).toString(36).padStart(9, '0'));
  });

  it('sorts by the time it was minted at', () => {
    const earlier = newEpoch(1_000_000);
    const later = newEpoch(1_000_001);
    expect(earlier < later).toBe(true);
  });

  it('mints distinct names within one millisecond, across many reads of random bytes', () => {
    const names = new Set<string>();
    // 5,000 × 8 random bytes: several refills of the 4 KiB pool.
    for (let i = 0; i < 5_000; i++) names.add(newEpoch(42));
    expect(names.size).toBe(5_000);
    const tails = [...names].map((name) => name.slice(9));
    // Every base36 digit appears in the tails (the random part is not stuck or narrowed).
    expect(new Set(tails.join('')).size).toBe(36);
  });
});
