// KafkaBus' decisions around kafkajs, without a broker: when offsets are resolved and committed,
// what a rejection throws, which crashes reach onFatal, how the clients are configured.
import type { EachBatchPayload, Kafka } from 'kafkajs';
import { BusHandlerRejectedError, KafkaBus } from '../../src';
import { defaultPartitioner } from '../../src/kafka-client';

type Listener = (event: { type: string; payload: unknown }) => void;

class FakeConsumer {
  readonly events = { CRASH: 'consumer.crash' };
  readonly listeners = new Map<string, Listener[]>();
  runConfig: Record<string, unknown> | undefined;
  subscribed: unknown;
  disconnects = 0;
  constructor(readonly config: Record<string, unknown>) {}
  connect = async (): Promise<void> => undefined;
  subscribe = async (s: unknown): Promise<void> => {
    this.subscribed = s;
  };
  run = async (config: Record<string, unknown>): Promise<void> => {
    this.runConfig = config;
  };
  disconnect = async (): Promise<void> => {
    this.disconnects += 1;
  };
  /** pause, seek and resume calls, in order. */
  readonly moves: string[] = [];
  pause = (tps: Array<{ partitions: number[] }>): void => {
    this.moves.push(`pause ${tps[0]!.partitions.join(',')}`);
  };
  resume = (tps: Array<{ partitions: number[] }>): void => {
    this.moves.push(`resume ${tps[0]!.partitions.join(',')}`);
  };
  seek = (at: { partition: number; offset: string }): void => {
    this.moves.push(`seek ${at.partition} ${at.offset}`);
  };
  on(event: string, listener: Listener): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => undefined;
  }
  emit(event: string, payload: unknown): void {
    for (const l of this.listeners.get(event) ?? []) l({ type: event, payload });
  }
  get eachBatch(): (payload: EachBatchPayload) => Promise<void> {
    return this.runConfig!.eachBatch as (payload: EachBatchPayload) => Promise<void>;
  }
}

function fakeKafka() {
  const consumers: FakeConsumer[] = [];
  const sends: unknown[] = [];
  const producerConfigs: Record<string, unknown>[] = [];
  const kafka = {
    consumer: (config: Record<string, unknown>) => {
      const c = new FakeConsumer(config);
      consumers.push(c);
      return c;
    },
    producer: (config: Record<string, unknown>) => {
      producerConfigs.push(config);
      return {
        connect: async () => undefined,
        disconnect: async () => undefined,
        sendBatch: async (request: unknown) => {
          sends.push(request);
          return [];
        },
      };
    },
    admin: () => ({ connect: async () => undefined, disconnect: async () => undefined }),
  } as unknown as Kafka;
  return { kafka, consumers, sends, producerConfigs };
}

/** An eachBatch payload for topic `t`, partition 2, that logs what KafkaBus does with it. */
function batchPayload(offsets: number[], opts: { stale?: () => boolean } = {}) {
  const log: string[] = [];
  let resolved: string | undefined;
  const payload = {
    batch: {
      topic: 't',
      partition: 2,
      messages: offsets.map((o) => ({
        offset: String(o),
        key: Buffer.from(`k${o}`),
        value: Buffer.from(`v${o}`),
        timestamp: '0',
        attributes: 0,
        headers: {},
      })),
    },
    resolveOffset: (offset: string) => {
      log.push(`resolve ${offset}`);
      resolved = String(Number(offset) + 1);
    },
    heartbeat: async () => {
      log.push('heartbeat');
    },
    commitOffsetsIfNecessary: async (offsets: unknown) => {
      log.push(`commit ${JSON.stringify(offsets)}`);
    },
    // As kafkajs returns it: partitions listed from object keys, hence strings.
    uncommittedOffsets: () => ({
      topics: resolved ? [{ topic: 't', partitions: [{ partition: '2', offset: resolved }] }] : [],
    }),
    isRunning: () => true,
    isStale: opts.stale ?? (() => false),
    pause: () => () => undefined,
  } as unknown as EachBatchPayload;
  return { payload, log };
}

// A commit of partition 2's position (the one SettlingOffsets holds durable).
const commit = (offset: number): string =>
  `commit ${JSON.stringify({ topics: [{ topic: 't', partitions: [{ partition: 2, offset: String(offset) }] }] })}`;

describe('KafkaBus (fake kafkajs)', () => {
  it('hands a fetched batch in chunks and commits each chunk only after its handler call resolved (commit interval 0)', async () => {
    const { kafka, consumers } = fakeKafka();
    const bus = new KafkaBus({ brokers: ['x:1'], clientId: 'c', maxBatchRecords: 2, commitIntervalMs: 0 }, kafka);
    const { payload, log } = batchPayload([10, 11, 12, 13, 14]);
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async (batch) => {
        await new Promise((resolve) => setImmediate(resolve));
        log.push(`handled ${batch.topic}[${batch.partition}] ${batch.records.map((r) => r.key).join(',')}`);
      },
    });
    await consumers[0]!.eachBatch(payload);
    expect(log).toEqual([
      'handled t[2] k10,k11',
      'resolve 11',
      commit(12),
      'heartbeat',
      'handled t[2] k12,k13',
      'resolve 13',
      commit(14),
      'heartbeat',
      'handled t[2] k14',
      'resolve 14',
      commit(15),
      'heartbeat',
    ]);
  });

  it('with a commit interval, never commits inside the batch: what was handled is committed by the timer or on close', async () => {
    const { kafka, consumers } = fakeKafka();
    const bus = new KafkaBus({ brokers: ['x:1'], clientId: 'c', maxBatchRecords: 1, commitIntervalMs: 60_000 }, kafka);
    const { payload, log } = batchPayload([10, 11, 12]);
    await bus.subscribe({ topic: 't', group: 'g', onFatal: () => undefined, handler: async () => undefined });
    await consumers[0]!.eachBatch(payload);
    // No commit waited for between the chunks (the next fetch would wait for it); the interval has not passed.
    expect(log).toEqual(['resolve 10', 'heartbeat', 'resolve 11', 'heartbeat', 'resolve 12', 'heartbeat']);
    await bus.close();
    expect(log.slice(6)).toEqual([commit(13)]);
  });

  it('throws a retriable BusHandlerRejectedError, resolving nothing of the rejected chunk', async () => {
    const { kafka, consumers } = fakeKafka();
    const bus = new KafkaBus({ brokers: ['x:1'], clientId: 'c', maxBatchRecords: 2, commitIntervalMs: 0 }, kafka);
    const { payload, log } = batchPayload([10, 11, 12, 13]);
    const bug = new TypeError('x is undefined');
    let calls = 0;
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async () => {
        calls += 1;
        if (calls === 2) throw bug;
      },
    });
    const error = await consumers[0]!.eachBatch(payload).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BusHandlerRejectedError);
    expect(error).toMatchObject({ retriable: true, cause: bug, topic: 't', partition: 2, firstOffset: '12', lastOffset: '13' });
    expect(log).toEqual(['resolve 11', commit(12), 'heartbeat']);
  });

  it("is retried by kafkajs' own retrier even when the handler threw a TypeError", async () => {
    // kafkajs 2.2.4 src/retry: TypeError, RangeError, ... are "unrecoverable"; our wrapper is not.
    const createRetry = require('kafkajs/src/retry') as (o: object) => (fn: () => Promise<void>) => Promise<void>;
    const retry = createRetry({ retries: 2, initialRetryTime: 1, maxRetryTime: 2 });
    let attempts = 0;
    const outcome = await retry(async () => {
      attempts += 1;
      throw new BusHandlerRejectedError('t', 0, '0', '0', new TypeError('bug'));
    }).catch((e: Error) => e.name);
    expect({ attempts, outcome }).toEqual({ attempts: 3, outcome: 'KafkaJSNumberOfRetriesExceeded' });
  });

  it('stops handing chunks once the batch is stale (seek or rebalance), leaving the rest uncommitted', async () => {
    const { kafka, consumers } = fakeKafka();
    const bus = new KafkaBus({ brokers: ['x:1'], clientId: 'c', maxBatchRecords: 1, commitIntervalMs: 0 }, kafka);
    let stale = false;
    const { payload, log } = batchPayload([1, 2, 3], { stale: () => stale });
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async (batch) => {
        log.push(`handled ${batch.records[0]!.key}`);
        stale = true;
      },
    });
    await consumers[0]!.eachBatch(payload);
    expect(log).toEqual(['handled k1', 'resolve 1', commit(2), 'heartbeat']);
  });

  it('hands the next records while a call\'s effects settle, and commits them only once settled, in order', async () => {
    const { kafka, consumers } = fakeKafka();
    const bus = new KafkaBus({ brokers: ['x:1'], clientId: 'c', maxBatchRecords: 1, commitIntervalMs: 60_000 }, kafka);
    const settles: Array<() => void> = [];
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async () => ({ settled: new Promise<void>((resolve) => settles.push(resolve)) }),
    });
    const { payload, log } = batchPayload([10, 11]);
    await consumers[0]!.eachBatch(payload); // returns with both calls' effects still settling
    expect(log).toEqual(['resolve 10', 'heartbeat', 'resolve 11', 'heartbeat']);
    expect(settles).toHaveLength(2);
    settles[1]!(); // the later one first: nothing is durable before offset 10's effects are
    const closing = bus.close(); // waits for every effect, then commits what is durable
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.slice(4)).toEqual([]);
    settles[0]!();
    await closing;
    expect(log.slice(4)).toEqual([commit(12)]);
  });

  it('after a failed effect, commits nothing past it and hands the partition again from there after a backoff', async () => {
    const { kafka, consumers } = fakeKafka();
    const bus = new KafkaBus(
      { brokers: ['x:1'], clientId: 'c', maxBatchRecords: 1, commitIntervalMs: 60_000, retryInitialMs: 5, logger: () => undefined },
      kafka,
    );
    const effects: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async () => ({ settled: new Promise<void>((resolve, reject) => effects.push({ resolve, reject })) }),
    });
    const consumer = consumers[0]!;
    const { payload, log } = batchPayload([10, 11, 12]);
    await consumer.eachBatch(payload);
    effects[0]!.resolve();
    effects[1]!.reject(new Error('produce failed'));
    effects[2]!.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumer.moves).toEqual(['pause 2', 'seek 2 11']);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(consumer.moves).toEqual(['pause 2', 'seek 2 11', 'resume 2']);
    await bus.close();
    expect(log.slice(6)).toEqual([commit(11)]); // 10 is durable; 11 failed, and 12 comes after it
  });

  it('with handleWhileSettling false, a call waits for its effects, and a failed one rejects the call', async () => {
    const { kafka, consumers } = fakeKafka();
    const bus = new KafkaBus({ brokers: ['x:1'], clientId: 'c', maxBatchRecords: 1, handleWhileSettling: false }, kafka);
    let calls = 0;
    await bus.subscribe({
      topic: 't',
      group: 'g',
      onFatal: () => undefined,
      handler: async () => {
        calls += 1;
        return { settled: calls === 2 ? Promise.reject(new Error('produce failed')) : Promise.resolve() };
      },
    });
    const { payload, log } = batchPayload([10, 11]);
    const error = await consumers[0]!.eachBatch(payload).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'BusHandlerRejectedError', firstOffset: '11' });
    expect(log).toEqual(['resolve 10', 'heartbeat']);
    expect(consumers[0]!.moves).toEqual([]);
    await bus.close();
  });

  it('calls onFatal only for a crash kafkajs will not restart from, and not while closing', async () => {
    const { kafka, consumers } = fakeKafka();
    const bus = new KafkaBus({ brokers: ['x:1'], clientId: 'c', logger: () => undefined }, kafka);
    const fatal: string[] = [];
    const sub = await bus.subscribe({ topic: 't', group: 'g', handler: async () => undefined, onFatal: (e) => fatal.push(e.message) });
    const consumer = consumers[0]!;
    consumer.emit('consumer.crash', { error: new Error('connection lost'), groupId: 'g', restart: true });
    expect(fatal).toEqual([]);
    consumer.emit('consumer.crash', { error: new Error('group authorization failed'), groupId: 'g', restart: false });
    consumer.emit('consumer.crash', { error: new Error('again'), groupId: 'g', restart: false });
    expect(fatal).toEqual(['group authorization failed']);

    const { consumers: others, kafka: kafka2 } = fakeKafka();
    const bus2 = new KafkaBus({ brokers: ['x:1'], clientId: 'c', logger: () => undefined }, kafka2);
    const fatal2: string[] = [];
    const sub2 = await bus2.subscribe({ topic: 't', group: 'g', handler: async () => undefined, onFatal: (e) => fatal2.push(e.message) });
    const closing = sub2.close();
    others[0]!.emit('consumer.crash', { error: new Error('while stopping'), groupId: 'g', restart: false });
    await closing;
    expect(fatal2).toEqual([]);
    await sub.close();
  });

  it('configures the consumer for explicit commits, endless retries and restarts', async () => {
    const { kafka, consumers } = fakeKafka();
    const bus = new KafkaBus({ brokers: ['x:1'], clientId: 'c' }, kafka);
    await bus.subscribe({ topic: 't', group: 'g', handler: async () => undefined, onFatal: () => undefined });
    await bus.subscribe({ topic: 't', group: 'h', handler: async () => undefined, onFatal: () => undefined, fromBeginning: false });
    const [a, b] = consumers;
    expect(a!.config).toMatchObject({ groupId: 'g', allowAutoTopicCreation: false });
    const retry = a!.config.retry as { retries: number; restartOnFailure: (e: Error) => Promise<boolean> };
    expect(retry.retries).toBe(Number.MAX_SAFE_INTEGER);
    await expect(retry.restartOnFailure(new Error('x'))).resolves.toBe(true);
    expect(a!.runConfig).toMatchObject({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1 });
    expect(a!.subscribed).toEqual({ topics: ['t'], fromBeginning: true });
    expect(b!.subscribed).toEqual({ topics: ['t'], fromBeginning: false });
    await bus.close();
    expect(a!.disconnects + b!.disconnects).toBe(2);
  });

  it('publishes all records of a call in one idempotent sendBatch with acks -1, and nothing for an empty call', async () => {
    const { kafka, sends, producerConfigs } = fakeKafka();
    const bus = new KafkaBus({ brokers: ['x:1'], clientId: 'c' }, kafka);
    await bus.publish('t', []);
    expect(producerConfigs).toEqual([]);
    const bytes = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
    await bus.publish('t', [
      { key: 'a', value: bytes },
      { key: 'b', value: new Uint8Array([4]) },
    ]);
    expect(producerConfigs).toEqual([
      expect.objectContaining({ idempotent: true, allowAutoTopicCreation: false, createPartitioner: defaultPartitioner }),
    ]);
    expect(sends).toEqual([
      {
        acks: -1,
        topicMessages: [
          {
            topic: 't',
            messages: [
              { key: 'a', value: Buffer.from([1, 2, 3]) },
              { key: 'b', value: Buffer.from([4]) },
            ],
          },
        ],
      },
    ]);
    await bus.close();
    await expect(bus.publish('t', [])).rejects.toThrow(/closed/);
  });
});
