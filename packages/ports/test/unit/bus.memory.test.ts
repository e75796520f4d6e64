// The Bus contract over MemoryBus, plus what only the memory adapter promises (Kafka's hash,
// the batch bound, the backoff on the injected clock, hand-over of a busy partition).
import { type BusBatch, type BusRecord, FakeClock, MemoryBus, murmur2, partitionForKey } from '@parley/ports';
import { describeBusContract } from '@parley/ports/testing';

let namespaces = 0;
describeBusContract('memory', async () => {
  const bus = new MemoryBus();
  return { bus, namespace: `memory-${++namespaces}`, close: () => bus.close() };
}, { waitTimeoutMs: 5000, testTimeoutMs: 10_000 });
describeBusContract('memory dropping committed records', async () => {
  const bus = new MemoryBus({ dropCommitted: true });
  return { bus, namespace: `memory-drop-${++namespaces}`, close: () => bus.close() };
}, { waitTimeoutMs: 5000, testTimeoutMs: 10_000 });

const value = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (r: BusRecord): string => new TextDecoder().decode(r.value);
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('MemoryBus', () => {
  it("hashes keys like Kafka's default partitioner (murmur2 test vectors from Kafka's UtilsTest)", () => {
    const vectors: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) expect([key, murmur2(Buffer.from(key))]).toEqual([key, hash]);
    expect(partitionForKey('foobar', 7)).toBe((-790332482 & 0x7fffffff) % 7);
  });

  it('compacts a compacted topic nobody subscribes to down to the latest record per key, offsets kept', async () => {
    const bus = new MemoryBus();
    await bus.ensureTopics([{ name: 'groups', partitions: 1, compacted: true }]);
    const encoder = new TextEncoder();
    for (let round = 0; round < 3_000; round++) {
      await bus.publish('groups', [{ key: `g${round % 3}`, value: encoder.encode(String(round)) }]);
    }
    const read: Array<{ key: string; offset: string; value: string }> = [];
    await bus.readToEnd('groups', (batch) => {
      for (const r of batch.records) read.push({ key: r.key, offset: r.offset, value: new TextDecoder().decode(r.value) });
    });
    // Compaction is amortised: what is left is far less than was published, ends with each key's latest, in offset order.
    expect(read.length).toBeLessThan(1_100);
    const latest = new Map(read.map((r) => [r.key, r.value]));
    expect(Object.fromEntries(latest)).toEqual({ g0: '2997', g1: '2998', g2: '2999' });
    expect(read.map((r) => Number(r.offset))).toEqual([...read.map((r) => Number(r.offset))].sort((a, b) => a - b));
    expect(read.at(-1)).toEqual({ key: 'g2', offset: '2999', value: '2999' });
    await bus.publish('groups', [{ key: 'g0', value: encoder.encode('next') }]);
    const after: string[] = [];
    await bus.readToEnd('groups', (batch) => {
      for (const r of batch.records) after.push(r.offset);
    });
    expect(after.at(-1)).toBe('3000');
    await bus.close();
  });

  it('hands at most maxBatchRecords records per handler call, in offset order', async () => {
    const bus = new MemoryBus({ maxBatchRecords: 500 });
    await bus.ensureTopics([{ name: 't', partitions: 1 }]);
    await bus.publish(
      't',
      Array.from({ length: 1200 }, (_, i) => ({ key: 'k', value: value(String(i)) })),
    );
    const sizes: number[] = [];
    const seen: string[] = [];
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async (batch) => {
        sizes.push(batch.records.length);
        seen.push(...batch.records.map(text));
      },
    });
    await settle();
    expect(sizes).toEqual([500, 500, 200]);
    expect(seen).toEqual(Array.from({ length: 1200 }, (_, i) => String(i)));
    await bus.close();
  });

  it('with dropCommitted, keeps records until every group committed them, and a new group starts at the oldest kept', async () => {
    const bus = new MemoryBus({ dropCommitted: true, maxBatchRecords: 100 });
    await bus.ensureTopics([{ name: 't', partitions: 1 }]);
    const seen = { fast: [] as string[], slow: [] as string[], late: [] as string[] };
    let slowOpen = false;
    await bus.subscribe({ topic: 't', group: 'fast', onFatal: () => undefined, handler: async (b) => void seen.fast.push(...b.records.map(text)) });
    await bus.subscribe({
      topic: 't',
      group: 'slow',
      onFatal: () => undefined,
      handler: async (b) => {
        if (!slowOpen) throw new Error('not yet'); // nothing committed by this group yet
        seen.slow.push(...b.records.map(text));
      },
    });
    await bus.publish('t', Array.from({ length: 3000 }, (_, i) => ({ key: 'k', value: value(String(i)) })));
    await settle();
    expect(seen.fast).toHaveLength(3000);
    expect(await bus.lag('slow', 't')).toBe(3000); // the slow group keeps everything alive
    slowOpen = true;
    for (let i = 0; i < 600 && seen.slow.length < 3000; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen.slow).toEqual(Array.from({ length: 3000 }, (_, i) => String(i)));
    // Everyone committed everything: the records are gone, so a new group sees only what comes next.
    await bus.publish('t', [{ key: 'k', value: value('next') }]);
    await bus.subscribe({ topic: 't', group: 'late', onFatal: () => undefined, handler: async (b) => void seen.late.push(...b.records.map(text)) });
    await settle();
    expect(seen.late.length).toBeLessThan(3001);
    expect(seen.late[seen.late.length - 1]).toBe('next');
    expect(await bus.lag('late', 't')).toBe(0);
    await bus.close();
  });

  it('waits out a doubling backoff on the injected clock before handing a rejected batch again', async () => {
    const clock = new FakeClock();
    const errors: string[] = [];
    const bus = new MemoryBus({
      clock,
      retryInitialMs: 50,
      retryMaxMs: 1000,
      onHandlerError: (error) => errors.push((error as Error).message),
    });
    await bus.ensureTopics([{ name: 't', partitions: 1 }]);
    await bus.publish('t', [{ key: 'k', value: value('x') }]);
    let calls = 0;
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async () => {
        calls += 1;
        if (calls <= 2) throw new Error(`no ${calls}`);
      },
    });
    await settle();
    expect(calls).toBe(1);
    // A publish during the backoff does not cut it short.
    await bus.publish('t', [{ key: 'k', value: value('y') }]);
    clock.advance(49);
    await settle();
    expect(calls).toBe(1);
    clock.advance(1);
    await settle();
    expect(calls).toBe(2);
    clock.advance(99);
    await settle();
    expect(calls).toBe(2);
    clock.advance(1);
    await settle();
    expect(calls).toBe(3);
    expect(errors).toEqual(['no 1', 'no 2']);
    expect(await bus.lag('g', 't')).toBe(0);
    await bus.close();
  });

  it('hands a busy partition to a new subscriber only after the running call settled, without repeats', async () => {
    const bus = new MemoryBus();
    await bus.ensureTopics([{ name: 't', partitions: 2 }]);
    // A key of partition 1: with two members, b (the second) owns it.
    const key = ['a', 'b', 'c', 'd', 'e', 'f'].find((k) => partitionForKey(k, 2) === 1)!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const aSeen: string[] = [];
    const bSeen: string[] = [];
    let inFlight = 0;
    let overlap = false;
    const track = (seen: string[], wait: boolean) => async (batch: BusBatch) => {
      inFlight += 1;
      if (inFlight > 1) overlap = true;
      seen.push(...batch.records.map(text));
      if (wait) await gate;
      inFlight -= 1;
    };
    await bus.subscribe({ topic: 't', group: 'g', onFatal: () => undefined, handler: track(aSeen, true) });
    await bus.publish('t', [{ key, value: value('1') }]);
    await settle();
    expect(aSeen).toEqual(['1']);

    await bus.subscribe({ topic: 't', group: 'g', onFatal: () => undefined, handler: track(bSeen, false) });
    await bus.publish('t', [{ key, value: value('2') }]);
    await settle();
    expect(bSeen).toEqual([]); // partition 1 is b's now, but a's call still runs

    release();
    await settle();
    expect(aSeen).toEqual(['1']);
    expect(bSeen).toEqual(['2']);
    expect(overlap).toBe(false);
    await bus.close();
  });

  it('resolves close only after the in-flight handler call finished, and calls that subscriber no more', async () => {
    const bus = new MemoryBus();
    await bus.ensureTopics([{ name: 't', partitions: 1 }]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    let finished = false;
    const sub = await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async () => {
        calls += 1;
        await gate;
        finished = true;
      },
    });
    await bus.publish('t', [{ key: 'k', value: value('1') }]);
    await settle();
    let closed = false;
    const closing = sub.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    release();
    await closing;
    expect(finished).toBe(true);
    await bus.publish('t', [{ key: 'k', value: value('2') }]);
    await settle();
    expect(calls).toBe(1);
    expect(await bus.lag('g', 't')).toBe(1);
    await bus.close();
  });

  it('refuses unknown topics and keeps the partition count of an existing topic', async () => {
    const bus = new MemoryBus();
    await expect(bus.publish('nope', [{ key: 'k', value: value('x') }])).rejects.toThrow(/unknown topic nope/);
    await expect(
      bus.subscribe({ topic: 'nope', group: 'g', handler: async () => undefined, onFatal: () => undefined }),
    ).rejects.toThrow(/unknown topic nope/);
    await expect(bus.ensureTopics([{ name: 't', partitions: 0 }])).rejects.toThrow(/positive integer/);
    await bus.ensureTopics([{ name: 't', partitions: 2 }]);
    await bus.ensureTopics([{ name: 't', partitions: 8 }]);
    const partitions = new Set<number>();
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async (batch) => void partitions.add(batch.partition),
    });
    await bus.publish(
      't',
      Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: value('x') })),
    );
    await settle();
    expect([...partitions].sort()).toEqual([0, 1]);
    await bus.close();
  });

  it('counts a rejected or thrown handler call as uncommitted', async () => {
    const bus = new MemoryBus({ retryInitialMs: 1 });
    await bus.ensureTopics([{ name: 't', partitions: 1 }]);
    await bus.publish('t', [{ key: 'k', value: value('x') }]);
    let calls = 0;
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      // Not async: a synchronous throw must be treated like a rejection.
      handler: ((): Promise<void> => {
        calls += 1;
        if (calls === 1) throw new Error('sync throw');
        return Promise.resolve();
      }) as () => Promise<void>,
    });
    const deadline = Date.now() + 2000;
    while ((await bus.lag('g', 't')) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(calls).toBe(2);
    await bus.close();
  });
});
