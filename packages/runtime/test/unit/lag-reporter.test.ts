// The consumer-lag gauge (parley_bus_consumer_lag{group, topic}) on a fake clock: read from the
// bus every interval, one reading at a time, a failed reading skipped without stopping the
// polling, nothing read after stop, and no polling on a bus that cannot report lag.
import { createLogger, createRegistry, Registry, sharedMetrics } from '@parley/observability';
import { Bus, FakeClock, MemoryBus } from '@parley/ports';
import { LagReporter } from '../../src';

const logger = createLogger('test', 'silent');
const settle = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

async function gauge(registry: Registry): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('parley_bus_consumer_lag')!.get();
  return metric.values.find((v) => v.labels.group === 'g' && v.labels.topic === 't')?.value;
}

/** A bus whose lag readings the test answers one by one. */
function busWithLag() {
  const calls: Array<{ group: string; topic: string; resolve: (lag: number) => void; reject: (error: Error) => void }> = [];
  const bus = new MemoryBus();
  const lag = (group: string, topic: string) => new Promise<number>((resolve, reject) => calls.push({ group, topic, resolve, reject }));
  return { bus: Object.assign(bus, { lag }) as Bus, calls };
}

describe('LagReporter', () => {
  let registry: Registry;
  let clock: FakeClock;
  beforeEach(() => {
    registry = createRegistry();
    clock = new FakeClock();
  });

  it('reads the group\'s lag every interval into the gauge', async () => {
    const { bus, calls } = busWithLag();
    const reporter = new LagReporter(bus, 'g', 't', sharedMetrics(registry), clock, logger, 1_000);
    reporter.start();
    clock.advance(999);
    expect(calls).toHaveLength(0);
    clock.advance(1);
    expect(calls.map((c) => [c.group, c.topic])).toEqual([['g', 't']]);
    calls[0]!.resolve(42);
    await settle();
    expect(await gauge(registry)).toBe(42);

    clock.advance(1_000);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(7);
    await settle();
    expect(await gauge(registry)).toBe(7);
    reporter.stop();
  });

  it('never has two readings in flight: the next interval starts when a slow reading ends', async () => {
    const { bus, calls } = busWithLag();
    const reporter = new LagReporter(bus, 'g', 't', sharedMetrics(registry), clock, logger, 1_000);
    reporter.start();
    clock.advance(1_000);
    clock.advance(10_000);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(3);
    await settle();
    clock.advance(999);
    expect(calls).toHaveLength(1);
    clock.advance(1);
    expect(calls).toHaveLength(2);
    reporter.stop();
  });

  it('keeps polling after a failed reading, keeping the last value meanwhile', async () => {
    const { bus, calls } = busWithLag();
    const reporter = new LagReporter(bus, 'g', 't', sharedMetrics(registry), clock, logger, 1_000);
    reporter.start();
    clock.advance(1_000);
    calls[0]!.resolve(5);
    await settle();
    clock.advance(1_000);
    calls[1]!.reject(new Error('broker unreachable'));
    await settle();
    expect(await gauge(registry)).toBe(5);
    clock.advance(1_000);
    expect(calls).toHaveLength(3);
    calls[2]!.resolve(0);
    await settle();
    expect(await gauge(registry)).toBe(0);
    reporter.stop();
  });

  it('reads nothing after stop, even when a reading was in flight', async () => {
    const { bus, calls } = busWithLag();
    const reporter = new LagReporter(bus, 'g', 't', sharedMetrics(registry), clock, logger, 1_000);
    reporter.start();
    clock.advance(1_000);
    reporter.stop();
    calls[0]!.resolve(9);
    await settle();
    clock.advance(60_000);
    expect(calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('does not poll a bus that cannot report lag', () => {
    const bus = new MemoryBus();
    const withoutLag: Bus = Object.assign(Object.create(bus) as Bus, { lag: undefined });
    const reporter = new LagReporter(withoutLag, 'g', 't', sharedMetrics(registry), clock, logger, 1_000);
    reporter.start();
    expect(clock.pendingTimers()).toBe(0);
    reporter.stop();
  });

  it('polls every 5 s unless told otherwise', () => {
    const { bus, calls } = busWithLag();
    const reporter = new LagReporter(bus, 'g', 't', sharedMetrics(registry), clock, logger);
    reporter.start();
    clock.advance(4_999);
    expect(calls).toHaveLength(0);
    clock.advance(1);
    expect(calls).toHaveLength(1);
    reporter.stop();
  });
});
