// The stall watchdog with a fake clock: records waiting on a partition and no batch of it
// finished for the bound means stalled (once), even while the other partitions flow; an idle
// consumer never is.
import { FakeClock } from '@parley/ports';
import { Stall, StallWatchdog } from '../../src/stall-watchdog';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the stall watchdog', () => {
  let clock: FakeClock;
  /** Records waiting on partition 0 (the other partitions: `others`). */
  let lag: number | Error;
  let others: Map<number, number>;
  let stalls: Stall[];
  let watchdog: StallWatchdog;

  beforeEach(() => {
    clock = new FakeClock();
    lag = 0;
    others = new Map();
    stalls = [];
    watchdog = new StallWatchdog({
      clock,
      stallMs: 60_000,
      checkEveryMs: 5_000,
      lag: async () => {
        if (lag instanceof Error) throw lag;
        return new Map([[0, lag], ...others]);
      },
      onStall: (stall) => stalls.push(stall),
    });
    watchdog.start();
  });
  afterEach(() => watchdog.stop());

  async function advance(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= 1_000) {
      clock.advance(Math.min(1_000, left));
      await flush();
    }
  }

  it('never finds an idle consumer stalled, however long nothing comes', async () => {
    await advance(10 * 60_000);
    expect(stalls).toEqual([]);
    expect(watchdog.healthy).toBe(true);
  });

  it('finds a consumer stalled once records waited the bound with no batch finished, and says so once', async () => {
    lag = 7;
    // Waiting from the first reading (5 s in): stalled at the reading 60 s later.
    await advance(60_000);
    expect(stalls).toEqual([]);
    await advance(5_000);
    expect(stalls).toEqual([{ partition: 0, idleMs: 60_000, lag: 7 }]);
    expect(watchdog.healthy).toBe(false);
    await advance(5 * 60_000);
    expect(stalls).toHaveLength(1);
  });

  it('is not stalled while batches keep finishing, even with a standing backlog', async () => {
    lag = 10_000;
    for (let i = 0; i < 30; i++) {
      await advance(10_000);
      watchdog.progressed(0);
    }
    expect(stalls).toEqual([]);
  });

  it('finds one stuck partition while batches of the others keep finishing', async () => {
    others = new Map([[1, 500], [2, 40]]);
    lag = 9;
    for (let i = 0; i < 7; i++) {
      await advance(10_000);
      watchdog.progressed(1);
      watchdog.progressed(2);
    }
    expect(stalls).toEqual([{ partition: 0, idleMs: 60_000, lag: 9 }]);
  });

  it('gives a partition assigned late (or handed back) the whole bound from when it is first seen waiting', async () => {
    lag = 5;
    await advance(40_000);
    watchdog.progressed(0);
    // Partition 3 arrives with a backlog 40 s in (seen at the next reading, 45 s in); partition 0 drains.
    lag = 0;
    others = new Map([[3, 100]]);
    await advance(60_000);
    expect(stalls).toEqual([]);
    await advance(5_000);
    expect(stalls).toEqual([{ partition: 3, idleMs: 60_000, lag: 100 }]);
  });

  it('counts the bound from when records started waiting, not from the last batch of a long idle spell', async () => {
    await advance(30 * 60_000);
    lag = 3;
    await advance(30_000);
    expect(stalls).toEqual([]);
    await advance(35_000);
    expect(stalls).toHaveLength(1);
  });

  it('gives no verdict while the lag cannot be read', async () => {
    lag = new Error('admin client down');
    await advance(10 * 60_000);
    expect(stalls).toEqual([]);
    expect(watchdog.healthy).toBe(true);
  });

  it('stops checking when stopped', async () => {
    lag = 1;
    watchdog.stop();
    await advance(10 * 60_000);
    expect(stalls).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('does not count a partition whose handler says it waits on purpose (a webhook retry), and does again once it stops waiting', async () => {
    watchdog.stop();
    let retrying = true;
    const excused = new StallWatchdog({
      clock,
      stallMs: 60_000,
      checkEveryMs: 5_000,
      lag: async () => new Map([[0, 3], [1, 4]]),
      waiting: (partition) => partition === 0 && retrying,
      onStall: (stall) => stalls.push(stall),
    });
    excused.start();
    await advance(70_000);
    expect(stalls).toEqual([expect.objectContaining({ partition: 1 })]);
    excused.stop();
    stalls = [];
    const waitingOnly = new StallWatchdog({ clock, stallMs: 60_000, checkEveryMs: 5_000, lag: async () => new Map([[0, 3]]), waiting: () => retrying, onStall: (stall) => stalls.push(stall) });
    waitingOnly.start();
    await advance(10 * 60_000);
    expect(stalls).toEqual([]);
    retrying = false;
    await advance(70_000);
    expect(stalls).toEqual([expect.objectContaining({ partition: 0 })]);
    waitingOnly.stop();
  });
});
