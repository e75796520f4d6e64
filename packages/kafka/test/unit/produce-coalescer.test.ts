import { ProduceCoalescer, type TopicRecords } from '../../src/produce-coalescer';

/** A produce function whose calls stay pending until the test settles them. */
function controlledProduce() {
  const calls: { batch: readonly TopicRecords<string>[]; settle: (error?: Error) => void }[] = [];
  const produce = (batch: readonly TopicRecords<string>[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ batch, settle: (error) => (error ? reject(error) : resolve()) });
    });
  return { calls, produce };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ProduceCoalescer', () => {
  it('sends a publish made while idle at once', async () => {
    const { calls, produce } = controlledProduce();
    const coalescer = new ProduceCoalescer(produce);
    const done = coalescer.publish('a', ['1', '2']);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.batch).toEqual([{ topic: 'a', records: ['1', '2'] }]);
    calls[0]!.settle();
    await expect(done).resolves.toBeUndefined();
  });

  it('merges publishes made during an in-flight call into one next call, keeping their order per topic', async () => {
    const { calls, produce } = controlledProduce();
    const coalescer = new ProduceCoalescer(produce);
    const first = coalescer.publish('a', ['1']);
    const second = coalescer.publish('a', ['2', '3']);
    const third = coalescer.publish('b', ['x']);
    const fourth = coalescer.publish('a', ['4']);
    expect(calls).toHaveLength(1);
    expect(coalescer.depth).toBe(3);
    calls[0]!.settle();
    await first;
    await flush();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.batch).toEqual([
      { topic: 'a', records: ['2', '3', '4'] },
      { topic: 'b', records: ['x'] },
    ]);
    let settled = false;
    void Promise.all([second, third, fourth]).then(() => (settled = true));
    await flush();
    expect(settled).toBe(false); // not before the call carrying them is acknowledged
    calls[1]!.settle();
    await Promise.all([second, third, fourth]);
  });

  it('rejects every publish of a failed call and goes on with the next ones', async () => {
    const { calls, produce } = controlledProduce();
    const coalescer = new ProduceCoalescer(produce);
    const first = coalescer.publish('a', ['1']);
    const second = coalescer.publish('a', ['2']);
    const third = coalescer.publish('a', ['3']);
    calls[0]!.settle();
    await first;
    await flush();
    calls[1]!.settle(new Error('broker down'));
    await expect(second).rejects.toThrow('broker down');
    await expect(third).rejects.toThrow('broker down');
    const fourth = coalescer.publish('a', ['4']);
    expect(calls).toHaveLength(3);
    expect(calls[2]!.batch).toEqual([{ topic: 'a', records: ['4'] }]);
    calls[2]!.settle();
    await fourth;
  });

  it('splits at the record limit between whole publishes, never inside one', async () => {
    const { calls, produce } = controlledProduce();
    const coalescer = new ProduceCoalescer(produce, 3);
    const first = coalescer.publish('a', ['0']);
    const rest = [coalescer.publish('a', ['1', '2']), coalescer.publish('a', ['3', '4']), coalescer.publish('a', ['5', '6', '7', '8'])];
    calls[0]!.settle();
    await first;
    await flush();
    expect(calls[1]!.batch).toEqual([{ topic: 'a', records: ['1', '2'] }]);
    calls[1]!.settle();
    await flush();
    expect(calls[2]!.batch).toEqual([{ topic: 'a', records: ['3', '4'] }]);
    calls[2]!.settle();
    await flush();
    // Larger than the limit on its own: sent whole.
    expect(calls[3]!.batch).toEqual([{ topic: 'a', records: ['5', '6', '7', '8'] }]);
    calls[3]!.settle();
    await Promise.all(rest);
  });

  describe('with a linger', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('holds a publish made while idle for the linger and sends it with every publish made meanwhile, in order', async () => {
      const { calls, produce } = controlledProduce();
      const coalescer = new ProduceCoalescer(produce, 10_000, 5);
      const first = coalescer.publish('a', ['1']);
      jest.advanceTimersByTime(4);
      const second = coalescer.publish('b', ['x']);
      const third = coalescer.publish('a', ['2']);
      expect(calls).toHaveLength(0);
      jest.advanceTimersByTime(1); // 5 ms after the first publish, not after the last
      expect(calls).toHaveLength(1);
      expect(calls[0]!.batch).toEqual([
        { topic: 'a', records: ['1', '2'] },
        { topic: 'b', records: ['x'] },
      ]);
      calls[0]!.settle();
      await Promise.all([first, second, third]);
    });

    it('sends what was published during an in-flight call as soon as it settles, without lingering again', async () => {
      const { calls, produce } = controlledProduce();
      const coalescer = new ProduceCoalescer(produce, 10_000, 5);
      const first = coalescer.publish('a', ['1']);
      jest.advanceTimersByTime(5);
      const second = coalescer.publish('a', ['2']);
      calls[0]!.settle();
      await first;
      expect(calls).toHaveLength(2);
      expect(calls[1]!.batch).toEqual([{ topic: 'a', records: ['2'] }]);
      calls[1]!.settle();
      await second;
      // Idle again: the next publish lingers again.
      const third = coalescer.publish('a', ['3']);
      expect(calls).toHaveLength(2);
      jest.advanceTimersByTime(5);
      expect(calls).toHaveLength(3);
      calls[2]!.settle();
      await third;
    });

    it('sends at once, without waiting out the linger, once a call is full', async () => {
      const { calls, produce } = controlledProduce();
      const coalescer = new ProduceCoalescer(produce, 3, 1_000);
      const first = coalescer.publish('a', ['1', '2']);
      expect(calls).toHaveLength(0);
      const second = coalescer.publish('a', ['3']);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.batch).toEqual([{ topic: 'a', records: ['1', '2', '3'] }]);
      calls[0]!.settle();
      await Promise.all([first, second]);
      jest.advanceTimersByTime(1_000);
      expect(calls).toHaveLength(1); // the cancelled linger sends nothing more
    });
  });
});
