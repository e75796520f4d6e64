import { DRAIN_STALL_MS, DrainWatch } from '../../src/drain-watch';

describe('DrainWatch', () => {
  it('ends as drained as soon as everything arrived, window or not', () => {
    const watch = new DrainWatch(0, 15_000, 0);
    expect(watch.observe(100, false, 'a')).toBe('waiting');
    expect(watch.observe(200, true, 'b')).toBe('drained');
    expect(watch.extended(200)).toBe(false);
  });

  it('without an extension gives up when the window ends, even while messages still arrive', () => {
    const watch = new DrainWatch(0, 15_000, 0);
    expect(watch.observe(14_999, false, '1')).toBe('waiting');
    expect(watch.observe(15_000, false, '2')).toBe('gave-up');
  });

  it('with an extension keeps waiting past the window while progress is made, and reports it extended', () => {
    const watch = new DrainWatch(0, 15_000, 600_000);
    let t = 0;
    for (let i = 0; t < 100_000; i++, t += 5_000) expect(watch.observe(t, false, String(i))).toBe('waiting');
    expect(watch.observe(t, true, 'last')).toBe('drained');
    expect(watch.extended(t)).toBe(true);
  });

  it('past the window gives up once nothing has moved for the stall time', () => {
    const watch = new DrainWatch(0, 15_000, 600_000);
    expect(watch.observe(10_000, false, 'same')).toBe('waiting');
    expect(watch.observe(15_000, false, 'same')).toBe('waiting');
    expect(watch.observe(10_000 + DRAIN_STALL_MS - 1, false, 'same')).toBe('waiting');
    expect(watch.observe(10_000 + DRAIN_STALL_MS, false, 'same')).toBe('gave-up');
  });

  it('a stall inside the window does not end the drain early', () => {
    const watch = new DrainWatch(0, 30_000, 0);
    expect(watch.observe(0, false, 'same')).toBe('waiting');
    expect(watch.observe(29_000, false, 'same')).toBe('waiting');
  });

  it('never waits past window + extension, progress or not', () => {
    const watch = new DrainWatch(0, 15_000, 20_000);
    expect(watch.observe(34_000, false, 'x')).toBe('waiting');
    expect(watch.observe(35_000, false, 'y')).toBe('gave-up');
  });
});
