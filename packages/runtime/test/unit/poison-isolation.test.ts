// The isolation of poison records inside one batch, on its own: which records reach the handler,
// in what order, how many calls it takes, and what is dead-lettered.
import { BusBatch, ConsumedRecord, UnavailableError } from '@parley/ports';
import { isolatePoisonRecords } from '../../src/poison-isolation';

const batchOf = (n: number): BusBatch => ({
  topic: 't',
  partition: 0,
  records: Array.from({ length: n }, (_, i) => ({ key: 'k', value: Uint8Array.of(0), offset: String(i) })),
});

function harness(isPoison: (offset: number) => boolean) {
  const handled: number[] = [];
  const dead: number[] = [];
  let calls = 0;
  const isolated = isolatePoisonRecords(
    async (batch) => {
      calls += 1;
      if (batch.records.some((r) => isPoison(Number(r.offset)))) throw new TypeError('poison');
      handled.push(...batch.records.map((r) => Number(r.offset)));
    },
    { deadLetter: async (_batch, record: ConsumedRecord) => void dead.push(Number(record.offset)) },
  );
  return { isolated, handled, dead, calls: () => calls };
}

describe('isolating poison records in a batch', () => {
  it('hands a clean batch once', async () => {
    const h = harness(() => false);
    await h.isolated(batchOf(500));
    expect(h.calls()).toBe(1);
    expect(h.handled).toHaveLength(500);
  });

  it('finds one poison record among 500 in about 2 log2(n) calls, handling every other record once more, in order', async () => {
    const h = harness((offset) => offset === 321);
    await h.isolated(batchOf(500));
    expect(h.dead).toEqual([321]);
    expect(h.handled).toEqual(Array.from({ length: 500 }, (_, i) => i).filter((i) => i !== 321));
    expect(h.calls()).toBeLessThanOrEqual(2 + 2 * Math.ceil(Math.log2(500)));
  });

  it('sets aside every poison record of a batch, the first and the last included', async () => {
    const poison = new Set([0, 7, 8, 63, 99]);
    const h = harness((offset) => poison.has(offset));
    await h.isolated(batchOf(100));
    expect(h.dead).toEqual([0, 7, 8, 63, 99]);
    expect(h.handled).toEqual(Array.from({ length: 100 }, (_, i) => i).filter((i) => !poison.has(i)));
  });

  it('dead-letters a single-record batch after a second try', async () => {
    const h = harness(() => true);
    await h.isolated(batchOf(1));
    expect(h.calls()).toBe(2);
    expect(h.dead).toEqual([0]);
  });

  it('dead-letters nothing when the failure was a fluke (the second try succeeds)', async () => {
    let first = true;
    const dead: ConsumedRecord[] = [];
    const isolated = isolatePoisonRecords(
      async () => {
        if (first) {
          first = false;
          throw new TypeError('a race');
        }
      },
      { deadLetter: async (_b, r) => void dead.push(r) },
    );
    await isolated(batchOf(10));
    expect(dead).toEqual([]);
  });

  it('rejects the whole batch on a transient failure, at any depth, and dead-letters nothing', async () => {
    const dead: ConsumedRecord[] = [];
    let calls = 0;
    const isolated = isolatePoisonRecords(
      async (batch) => {
        calls += 1;
        if (batch.records.length > 4) throw new TypeError('bug');
        throw new UnavailableError('redis down');
      },
      { deadLetter: async (_b, r) => void dead.push(r) },
    );
    await expect(isolated(batchOf(20))).rejects.toBeInstanceOf(UnavailableError);
    expect(dead).toEqual([]);
    expect(calls).toBeGreaterThan(2);
  });

  it('rejects the batch when the dead-letter write fails, so the record is not skipped', async () => {
    const isolated = isolatePoisonRecords(
      async (batch) => {
        if (batch.records.some((r) => r.offset === '3')) throw new TypeError('poison');
      },
      {
        deadLetter: async () => {
          throw new UnavailableError('kafka down');
        },
      },
    );
    await expect(isolated(batchOf(8))).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe('isolating poison records when calls end with effects still settling', () => {
  /** A handler whose records' effects fail (settled rejects) while `failing(offset)`, transiently or not. */
  function settlingHarness(failing: (offset: number) => Error | undefined) {
    const effects: number[] = [];
    const dead: number[] = [];
    const transient: number[] = [];
    let calls = 0;
    const isolated = isolatePoisonRecords(
      async (batch) => {
        calls += 1;
        const offsets = batch.records.map((r) => Number(r.offset));
        const error = offsets.map(failing).find((e) => e !== undefined);
        return {
          settled: new Promise<void>((resolve, reject) =>
            setImmediate(() => {
              if (error) return reject(error);
              effects.push(...offsets);
              resolve();
            }),
          ),
        };
      },
      {
        deadLetter: async (_batch, record: ConsumedRecord) => void dead.push(Number(record.offset)),
        onTransient: (batch) => transient.push(Number(batch.records[0]!.offset)),
      },
    );
    return { isolated, effects, dead, transient, calls: () => calls };
  }

  it('passes the effects on without waiting for them', async () => {
    const h = settlingHarness(() => undefined);
    const handled = await h.isolated(batchOf(3));
    expect(h.effects).toEqual([]);
    await handled!.settled;
    expect(h.effects).toEqual([0, 1, 2]);
    expect(h.calls()).toBe(1);
  });

  it('after effects failed, the partition\'s next call waits for its own, so a poison record among them is set aside', async () => {
    const h = settlingHarness((offset) => (offset === 1 ? new TypeError('poison') : undefined));
    const first = await h.isolated(batchOf(3));
    await expect(first!.settled).rejects.toThrow('poison');
    // The bus hands the batch again: this time the call settles before it resolves, and the
    // failing record is isolated like a rejection.
    const again = await h.isolated(batchOf(3));
    expect(again).toBeUndefined();
    expect(h.dead).toEqual([1]);
    expect(h.effects).toEqual([0, 2]);
    // Once a call got through, effects are passed on again.
    const later = await h.isolated({ topic: 't', partition: 0, records: [{ key: 'k', value: Uint8Array.of(0), offset: '3' }] });
    expect(later).toBeDefined();
    await later!.settled;
  });

  it('a transient failure of the effects is told and rethrown, never dead-lettered', async () => {
    let down = true;
    const h = settlingHarness(() => (down ? new UnavailableError('broker down') : undefined));
    const first = await h.isolated(batchOf(2));
    await expect(first!.settled).rejects.toBeInstanceOf(UnavailableError);
    await expect(h.isolated(batchOf(2))).rejects.toBeInstanceOf(UnavailableError);
    expect(h.transient).toEqual([0, 0]);
    down = false;
    expect(await h.isolated(batchOf(2))).toBeUndefined();
    expect(h.dead).toEqual([]);
    expect(h.effects).toEqual([0, 1]);
  });
});
