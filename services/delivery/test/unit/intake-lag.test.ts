import { IntakeLag } from '../../src/intake-lag';

describe('IntakeLag', () => {
  it('is behind while a recently handled batch held only old records, and not once it caught up', () => {
    const intake = new IntakeLag({ behindAfterMs: 1000, idleAfterMs: 2000 });
    intake.handled(0, 9_990, 10_000); // usual: 10 ms old
    expect(intake.isBehind(10_000)).toBe(false);
    intake.handled(1, 10_000, 13_000); // partition 1 is handling records 3 s old
    expect(intake.isBehind(13_000)).toBe(true);
    intake.handled(1, 13_490, 13_500);
    expect(intake.isBehind(13_500)).toBe(false);
  });

  it('counts a partition with no batch for a while as idle, not behind', () => {
    const intake = new IntakeLag({ behindAfterMs: 1000, idleAfterMs: 2000 });
    intake.handled(0, 1_000, 1_010);
    intake.handled(0, 1_000, 5_000);
    expect(intake.isBehind(5_500)).toBe(true);
    expect(intake.isBehind(7_500)).toBe(false);
  });

  it('takes a constant clock offset between gateway and delivery as the usual age, not as lag', () => {
    const intake = new IntakeLag({ behindAfterMs: 1000, idleAfterMs: 2000, maxUsualLagMs: 10_000 });
    // The gateway's clock is 5 s behind: every record looks 5 s old.
    for (let t = 10_000; t <= 20_000; t += 1_000) intake.handled(0, t - 5_020, t);
    expect(intake.isBehind(20_000)).toBe(false);
    intake.handled(0, 20_000 - 7_000, 20_500);
    expect(intake.isBehind(20_500)).toBe(true);
  });

  it('started on a backlog (a restart after an outage), is behind until caught up: the backlog is not the usual age', () => {
    const intake = new IntakeLag({ behindAfterMs: 1000, idleAfterMs: 2000, maxUsualLagMs: 2000 });
    intake.handled(0, 100_000 - 20_000, 100_000); // first batch: records 20 s old
    expect(intake.isBehind(100_000)).toBe(true);
    intake.handled(0, 100_500 - 5_000, 100_500);
    expect(intake.isBehind(100_500)).toBe(true);
    intake.handled(0, 101_000 - 20, 101_000); // caught up
    expect(intake.isBehind(101_000)).toBe(false);
  });

  it('ignores batches without a receive stamp', () => {
    const intake = new IntakeLag();
    intake.handled(0, 0, 10_000);
    expect(intake.isBehind(10_000)).toBe(false);
  });
});
