import { asConversationId } from '@parley/protocol';
import { GapWatch } from '../../src/gap-watch';
import { FakeClock } from '../support/fake-clock';

const TEAM = asConversationId('g:team');

describe('gap watch', () => {
  let clock: FakeClock;
  let gaps: Array<[number, string]>;
  let watch: GapWatch;

  beforeEach(() => {
    clock = new FakeClock(0);
    gaps = [];
    watch = new GapWatch(clock, { graceMs: 1_000, syncThreshold: 5 }, (conversation) => gaps.push([clock.now(), conversation]));
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
    expect(clock.pendingTimers).toBe(0);
  });

  it('retries a gap that stays open once per grace period, never in a loop', () => {
    watch.observe(TEAM, 1);
    clock.advance(1_000);
    watch.observe(TEAM, 1); // the sync did not close it
    watch.observe(TEAM, 1);
    clock.advance(999);
    expect(gaps).toHaveLength(1);
    clock.advance(1);
    expect(gaps.map(([t]) => t)).toEqual([1_000, 2_000]);
    watch.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
