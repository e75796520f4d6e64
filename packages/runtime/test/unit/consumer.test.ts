// A service's consumer on the memory bus: a record that fails on its own is dead-lettered (with
// its source and error), counted, answered, and the partition moves on; a transient failure is
// retried and skips nothing; a consumer stuck with records waiting reports unhealthy and calls
// its fatal hook.
import { createLogger, createRegistry, Registry } from '@parley/observability';
import { BusBatch, ConsumedRecord, FakeClock, MemoryBus, MemoryDownlink, SystemClock, UnavailableError } from '@parley/ports';
import { asGatewayId, decodeFrame, DownlinkBatch, ErrorCode, InvalidFieldError, parley } from '@parley/protocol';
import { Consumer, ConsumerStalledError, DEAD_LETTER_HEADERS, startConsumer, topicNames } from '../../src';

const topics = topicNames('t');
const gw = asGatewayId('gw1');
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (r: { value: Uint8Array }) => decoder.decode(r.value);

describe('a service consumer', () => {
  let infra: { bus: MemoryBus; downlink: MemoryDownlink };
  let registry: Registry;
  let consumer: Consumer | undefined;
  let handled: string[];
  let deadLettered: ConsumedRecord[];
  let errors: parley.v1.IError[];
  let fatal: Error[];

  beforeEach(async () => {
    infra = { bus: new MemoryBus(), downlink: new MemoryDownlink() };
    await infra.bus.ensureTopics([
      { name: topics.send, partitions: 1 },
      { name: topics.deadLetter, partitions: 1 },
    ]);
    registry = createRegistry();
    handled = [];
    deadLettered = [];
    errors = [];
    fatal = [];
    await infra.bus.subscribe({
      topic: topics.deadLetter,
      group: 'inspector',
      handler: async (batch) => void deadLettered.push(...batch.records),
      onFatal: () => undefined,
    });
    await infra.downlink.subscribe(gw, (batch: DownlinkBatch) => {
      for (const item of batch.items) errors.push(decodeFrame(item.frame as Uint8Array).error!);
    });
  });
  afterEach(async () => {
    await consumer?.close();
    consumer = undefined;
    await infra.bus.close();
  });

  async function start(handler: (batch: BusBatch) => Promise<void>, extra: { stallMs?: number; clock?: FakeClock } = {}): Promise<void> {
    consumer = await startConsumer({
      bus: infra.bus,
      downlink: infra.downlink,
      topic: topics.send,
      group: 'g',
      handler,
      deadLetterTopic: topics.deadLetter,
      // Every record here is a request from user `u` on connection `c`, named by its text.
      requesterOf: (record) => ({ origin: { gatewayId: gw, userId: 'u', connectionId: 'c' }, msgId: text(record) }),
      registry,
      logger: createLogger('test', 'silent'),
      clock: extra.clock ?? new SystemClock(),
      onFatal: (error) => fatal.push(error),
      ...(extra.stallMs !== undefined ? { stallMs: extra.stallMs } : {}),
    });
  }

  const publish = (...values: string[]) => infra.bus.publish(topics.send, values.map((v) => ({ key: 'k', value: encoder.encode(v) })));

  async function until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const metric = async (name: string): Promise<string[]> =>
    (await registry.metrics()).split('\n').filter((line) => line.startsWith(name));

  it('dead-letters a record that fails on its own, answers its client, and handles every other record in order', async () => {
    await start(async (batch) => {
      if (batch.records.some((r) => text(r) === 'poison')) throw new TypeError("Cannot read properties of undefined (reading 'seq')");
      handled.push(...batch.records.map(text));
    });
    await publish('m1', 'm2', 'poison', 'm3');
    await until(() => handled.includes('m3'), 'm3 to be handled');
    await publish('m4');
    await until(() => handled.includes('m4'), 'the partition to move on');

    expect(handled).toEqual(['m1', 'm2', 'm3', 'm4']);
    await until(() => deadLettered.length === 1, 'the dead-letter record');
    const [dead] = deadLettered;
    expect(text(dead!)).toBe('poison');
    expect(dead!.key).toBe('k');
    expect(dead!.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.topic]: topics.send,
      [DEAD_LETTER_HEADERS.partition]: '0',
      [DEAD_LETTER_HEADERS.offset]: '2',
      [DEAD_LETTER_HEADERS.errorName]: 'TypeError',
    });
    expect(dead!.headers![DEAD_LETTER_HEADERS.error]).toContain("reading 'seq'");
    await until(() => errors.length === 1, 'the answer to the client');
    expect(errors[0]).toMatchObject({ code: ErrorCode.INTERNAL, retryable: true, msgId: 'poison' });
    expect(await metric('parley_consumer_dead_letters_total')).toEqual(['parley_consumer_dead_letters_total{topic="t.send",reason="TypeError"} 1']);
    expect(consumer!.healthy).toBe(true);
  });

  it('answers a poison request with its own error code when the failure has one', async () => {
    await start(async (batch) => {
      if (batch.records.some((r) => text(r) === 'bad')) throw new InvalidFieldError('position', 'seq out of range');
      handled.push(...batch.records.map(text));
    });
    await publish('bad', 'fine');
    await until(() => handled.includes('fine') && errors.length === 1, 'the good record and the answer');
    expect(errors[0]).toMatchObject({ code: ErrorCode.INVALID_FIELD, retryable: false, msgId: 'bad' });
    expect(await metric('parley_consumer_dead_letters_total')).toEqual(['parley_consumer_dead_letters_total{topic="t.send",reason="INVALID_FIELD"} 1']);
  });

  it('retries a transiently failing batch until the infrastructure is back, skipping and dead-lettering nothing', async () => {
    let outage = 5;
    await start(async (batch) => {
      if (outage > 0) {
        outage -= 1;
        throw new UnavailableError('redis unavailable');
      }
      handled.push(...batch.records.map(text));
    });
    await publish('m1', 'm2', 'm3');
    await until(() => handled.length === 3, 'all three records after the outage');
    expect(handled).toEqual(['m1', 'm2', 'm3']);
    expect(deadLettered).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('does not skip a record whose failure turns transient while its batch is being isolated', async () => {
    let calls = 0;
    await start(async (batch) => {
      calls += 1;
      // Fails for good as a batch, then the store goes down while records are tried one by one.
      if (calls <= 2 && batch.records.length > 1) throw new TypeError('bug');
      if (calls <= 4 && text(batch.records[0]!) === 'm2') throw new UnavailableError('down');
      handled.push(...batch.records.map(text));
    });
    await publish('m1', 'm2', 'm3');
    await until(() => handled.includes('m3'), 'm3');
    expect(handled.filter((t) => t === 'm2').length).toBeGreaterThanOrEqual(1);
    expect(deadLettered).toEqual([]);
  });

  it('reports unhealthy and calls its fatal hook when a handler is stuck with records waiting', async () => {
    const clock = new FakeClock();
    let release = () => undefined as void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    await start(() => stuck, { stallMs: 10_000, clock });
    await publish('m1');
    for (let i = 0; i < 20 && fatal.length === 0; i++) {
      clock.advance(1_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toBeInstanceOf(ConsumerStalledError);
    expect(fatal[0]!.message).toContain('finished no batch');
    expect(consumer!.healthy).toBe(false);
    expect(await metric('parley_consumer_stalls_total')).toEqual(['parley_consumer_stalls_total{group="g",topic="t.send"} 1']);
    release(); // (so the test can close the bus)
  });
});
