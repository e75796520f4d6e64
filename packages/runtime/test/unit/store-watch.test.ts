// The store watch on a fake clock: a loss is reported once, within one interval or at once
// on a reconnect, never for the first read, and never while the store is unreachable.
import { Counter, createLogger, Registry } from '@parley/observability';
import { FakeClock, MemoryStoreGeneration, StoreGeneration, StoreGenerationId } from '@parley/ports';
import { StoreLoss, StoreWatch } from '../../src/store-watch';

/** Lets the watch's promise chains (read, then schedule) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setUp(generation: StoreGeneration = new MemoryStoreGeneration()) {
  const clock = new FakeClock();
  const registry = new Registry();
  const losses = new Counter({ name: 'parley_store_data_loss_total', help: 'test', registers: [registry] });
  const watch = new StoreWatch(generation, { intervalMs: 1_000, clock, logger: createLogger('test', 'silent'), losses });
  const seen: StoreLoss[] = [];
  watch.onLoss((loss) => seen.push(loss));
  const lossCount = async () => (await registry.getSingleMetric('parley_store_data_loss_total')!.get()).values[0]?.value ?? 0;
  return { clock, watch, seen, lossCount };
}

describe('StoreWatch', () => {
  it('takes the first read as the baseline: a fresh store is not a loss', async () => {
    const { watch, seen, clock } = setUp();
    await watch.start();
    clock.advance(5_000);
    await settle();
    expect(seen).toEqual([]);
    watch.stop();
  });

  it('reports a loss once, within one interval, with the old and the new generation', async () => {
    const store = new MemoryStoreGeneration();
    const { watch, seen, clock, lossCount } = setUp(store);
    await watch.start();
    const before = await store.read();
    store.forget();
    clock.advance(999);
    await settle();
    expect(seen).toEqual([]); // the next read is not due yet
    clock.advance(1);
    await settle();
    const after = await store.read();
    expect(seen).toEqual([{ previous: before, current: after }]);
    expect(after).not.toBe(before);
    clock.advance(10_000);
    await settle();
    expect(seen).toHaveLength(1); // the new generation is the new baseline
    expect(await lossCount()).toBe(1);
    watch.stop();
  });

  it('reads at once when the connection comes back, without waiting for the interval', async () => {
    const store = new MemoryStoreGeneration();
    const { watch, seen } = setUp(store);
    await watch.start();
    store.forget();
    store.reconnected();
    await settle();
    expect(seen).toHaveLength(1);
    watch.stop();
  });

  it('keeps the baseline while the store is unreachable and reports the loss when it answers again', async () => {
    const store = new MemoryStoreGeneration();
    let down = false;
    const flaky: StoreGeneration = {
      read: () => (down ? Promise.reject(new Error('connection refused')) : store.read()),
      onReconnect: (listener) => store.onReconnect(listener),
    };
    const { watch, seen, clock } = setUp(flaky);
    await watch.start();
    down = true;
    store.forget();
    clock.advance(3_000);
    await settle();
    expect(seen).toEqual([]);
    down = false;
    store.reconnected();
    await settle();
    expect(seen).toHaveLength(1);
    watch.stop();
  });

  it('never runs two reads at once: a reconnect during a read asks for one more read after it', async () => {
    const ids = ['gen-a', 'gen-b', 'gen-b'] as StoreGenerationId[];
    let inFlight = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const listeners = new Set<() => void>();
    const slow: StoreGeneration = {
      read: () =>
        new Promise((resolve) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          const id = ids.shift()!;
          releases.push(() => {
            inFlight -= 1;
            resolve(id);
          });
        }),
      onReconnect: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const { watch, seen } = setUp(slow);
    const started = watch.start();
    for (const listener of listeners) listener(); // reconnect while the baseline read is in flight
    for (const listener of listeners) listener();
    releases.shift()!();
    await started;
    await settle();
    expect(releases).toHaveLength(1); // exactly one more read, not two
    releases.shift()!();
    await settle();
    expect(most).toBe(1);
    expect(seen).toEqual([{ previous: 'gen-a', current: 'gen-b' }]);
    watch.stop();
  });

  it('resolves a check made during a read only after a read that started after it, its loss reported', async () => {
    const ids = ['gen-a', 'gen-a', 'gen-b'] as StoreGenerationId[];
    const releases: Array<() => void> = [];
    const slow: StoreGeneration = {
      read: () =>
        new Promise((resolve) => {
          const id = ids.shift()!;
          releases.push(() => resolve(id));
        }),
      onReconnect: () => () => undefined,
    };
    const { watch, seen, clock } = setUp(slow);
    const started = watch.start();
    releases.shift()!(); // the baseline
    await started;
    await settle();
    clock.advance(1_000); // the periodic read (gen-a) starts and stays in flight
    await settle();
    expect(releases).toHaveLength(1);
    let checked = false;
    const check = watch.check().then(() => {
      checked = true;
    });
    releases.shift()!(); // the read in flight answers: it may predate the caller's reason
    await settle();
    expect(checked).toBe(false);
    expect(releases).toHaveLength(1); // one more read, started after the check
    releases.shift()!();
    await check;
    expect(seen).toEqual([{ previous: 'gen-a', current: 'gen-b' }]);
    watch.stop();
  });

  it('stops reading once stopped', async () => {
    const store = new MemoryStoreGeneration();
    const { watch, seen, clock } = setUp(store);
    await watch.start();
    watch.stop();
    store.forget();
    store.reconnected();
    clock.advance(10_000);
    await settle();
    expect(seen).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
