// message.delivered events leave delivery beside its batches: in the order handed over, one
// publish at a time taking everything queued, tried again after a refusal, and never more than
// the queue bound waiting (the oldest dropped and counted).
import { createLogger, createRegistry, Counter } from '@parley/observability';
import { FakeClock, type Bus, type BusRecord } from '@parley/ports';
import { AppEventPublisher } from '../../src/app-event-publisher';

const record = (n: number): BusRecord => ({ key: 'd:a:b', value: Buffer.from(String(n)) });
const flush = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

function setUp(refusals: number) {
  const clock = new FakeClock();
  const published: string[][] = [];
  let refused = 0;
  let release: (() => void) | undefined;
  const bus = {
    publish: async (_topic: string, records: readonly BusRecord[]) => {
      if (refused < refusals) {
        refused += 1;
        throw new Error('broker unavailable');
      }
      await new Promise<void>((resolve) => (release = resolve));
      published.push(records.map((r) => Buffer.from(r.value).toString()));
    },
  } as unknown as Bus;
  const dropped = new Counter({ name: 'dropped_total', help: 'test', registers: [createRegistry()] });
  const publisher = new AppEventPublisher(bus, 't.deliver', clock, createLogger('test', 'silent'), dropped);
  return { clock, published, publisher, dropped, release: () => release?.() };
}

describe('the message.delivered publisher', () => {
  it('publishes in the order handed over, gathering what came while one publish was in flight', async () => {
    const t = setUp(0);
    t.publisher.publish([record(1)]);
    await flush();
    t.publisher.publish([record(2), record(3)]);
    t.publisher.publish([record(4)]);
    t.release();
    await flush();
    t.release();
    await flush();
    expect(t.published).toEqual([['1'], ['2', '3', '4']]);
  });

  it('tries a refused publish again after a pause, keeping the order', async () => {
    const t = setUp(2);
    t.publisher.publish([record(1), record(2)]);
    await flush();
    t.publisher.publish([record(3)]);
    t.clock.advance(1_000);
    await flush();
    t.clock.advance(1_000);
    await flush();
    t.release();
    await flush();
    expect(t.published).toEqual([['1', '2', '3']]);
    expect((await t.dropped.get()).values[0]?.value ?? 0).toBe(0);
  });

  it('drops the oldest past its bound while the bus refuses, and counts them', async () => {
    const t = setUp(Number.MAX_SAFE_INTEGER);
    t.publisher.publish(Array.from({ length: 100_000 }, (_, i) => record(i)));
    await flush();
    t.publisher.publish([record(100_000), record(100_001)]);
    expect((await t.dropped.get()).values[0]!.value).toBe(2);
  });
});
