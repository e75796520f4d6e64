// The stall watchdog with a fake clock: records waiting and no batch finished for the bound
// means stalled (once); an idle consumer never is.
import { FakeClock } from '@parley/ports';
import { Stall, StallWatchdog } from '../../src/stall-watchdog';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the stall watchdog', () => {
  let clock: FakeClock;
  let lag: number | Error;
  let stalls: Stall[];
  let watchdog: StallWatchdog;

  beforeEach(() => {
    clock = new FakeClock();
    lag = 0;
    stalls = [];
    watchdog = new StallWatchdog({
      clock,
      stallMs: 60_000,
      checkEveryMs: 5_000,
      lag: async () => {
        if (lag instanceof Error) throw lag;
        return lag;
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
    await advance(55_000);
    expect(stalls).toEqual([]);
    await advance(5_000);
    expect(stalls).toEqual([{ idleMs: 60_000, lag: 7 }]);
    expect(watchdog.healthy).toBe(false);
    await advance(5 * 60_000);
    expect(stalls).toHaveLength(1);
  });

  it('is not stalled while batches keep finishing, even with a standing backlog', async () => {
    lag = 10_000;
    for (let i = 0; i < 30; i++) {
      await advance(10_000);
      watchdog.progressed();
    }
    expect(stalls).toEqual([]);
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
});
