import { asConversationId } from '@parley/protocol';
import { GapWatch } from '../../src/gap-watch';
import { FakeClock } from '../support/fake-clock';

const TEAM = asConversationId('g:team');

describe('gap watch', () => {
  let clock: FakeClock;
  let gaps: Array<[number, string]>;
  let watch: GapWatch;
  let random: () => number;

  beforeEach(() => {
    clock = new FakeClock(0);
    gaps = [];
    random = () => 0.999_999;
    watch = new GapWatch(clock, { graceMs: 1_000, syncThreshold: 5, maxRetryMs: 60_000, random: () => random() }, (conversation) =>
      gaps.push([clock.now(), conversation]),
    );
  });

  it('reports a gap still open after the grace, timed from when it opened', () => {
    watch.observe(TEAM, 1);
    clock.advance(600);
    watch.observe(TEAM, 2); // more behind the same gap: the grace is not extended
    clock.advance(400);
    expect(gaps).toEqual([[1_000, TEAM]]);
  });

  it('forgets a gap that closed in time', () => {
    watch.observe(TEAM, 1);
    clock.advance(500);
    watch.observe(TEAM, 0);
    clock.advance(5_000);
    expect(gaps).toEqual([]);
    expect(watch.watching).toBe(0);
  });

  it('reports at once when the threshold of held messages is reached', () => {
    watch.observe(TEAM, 4);
    expect(gaps).toEqual([]);
    watch.observe(TEAM, 5);
    expect(gaps).toEqual([[0, TEAM]]);
    expect(clock.pendingTimers()).toBe(0); // the grace timer is gone: the next one is set by the next observe
  });

  it('backs off the re-syncs of a gap that stays open: doubling ceilings, bounded, never once a second forever', () => {
    watch.observe(TEAM, 1);
    clock.advance(1_000);
    expect(gaps).toHaveLength(1);
    // The gap stays open: every page and every pushed copy observes it again, 10 times a second for an hour.
    for (let t = 0; t < 3_600_000; t += 100) {
      watch.observe(TEAM, 1);
      clock.advance(100);
    }
    const times = gaps.map(([t]) => t);
    const waits = times.slice(1).map((t, i) => t - times[i]!);
    expect(waits.slice(0, 6)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000]); // random ≈ 1: the ceilings
    expect(Math.max(...waits)).toBeLessThanOrEqual(60_100);
    expect(gaps.length).toBeLessThanOrEqual(6 + 3_600_000 / 60_000 + 1); // about one a minute, not 3 600
    watch.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('jitters the re-syncs (full jitter, never below the grace) and starts over once the gap closed', () => {
    random = () => 0;
    watch.observe(TEAM, 1);
    clock.advance(1_000);
    for (let i = 0; i < 5; i++) {
      watch.observe(TEAM, 1);
      clock.advance(1_000);
    }
    expect(gaps.map(([t]) => t)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 6_000]); // the floor: one grace
    random = () => 0.5;
    watch.observe(TEAM, 1);
    clock.advance(50_000);
    expect(gaps[gaps.length - 1]![0]).toBe(6_000 + 0.5 * 60_000); // sync 6: ceiling min(60 s, 64 s)
    watch.observe(TEAM, 0); // closed
    watch.observe(TEAM, 1); // a new gap: the grace again
    const before = gaps.length;
    clock.advance(1_000);
    expect(gaps).toHaveLength(before + 1);
  });

  it('starts only the first sync of a gap at once past the threshold; the re-syncs wait their turn', () => {
    watch.observe(TEAM, 5);
    expect(gaps).toHaveLength(1);
    watch.observe(TEAM, 6);
    watch.observe(TEAM, 7);
    expect(gaps).toHaveLength(1);
    clock.advance(2_000);
    expect(gaps.map(([t]) => t)).toEqual([0, 2_000]);
  });
});
