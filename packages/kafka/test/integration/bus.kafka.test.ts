// The Bus contract over KafkaBus against the run's real broker (PARLEY_TEST_KAFKA_BROKERS), plus
// what only the Kafka adapter must get right: kafkajs' retry and crash handling around a handler.
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import type { BusBatch } from '@parley/ports';
import { describeBusContract } from '@parley/ports/testing';
import { testInfra, uniqueNamespace, waitFor } from '@parley/testkit';
import { KafkaBus, type KafkaBusOptions, type KafkaLogEntry } from '../../src';

/** kafkajs logs at error level on purpose here (rejecting handlers); print only when asked. */
const logs: KafkaLogEntry[] = [];
const logger = (entry: KafkaLogEntry): void => {
  logs.push(entry);
  if (process.env.PARLEY_TEST_KAFKA_LOG) process.stderr.write(`[kafka ${entry.level}] ${entry.namespace}: ${entry.message}\n`);
};

function makeBus(namespace: string, extra: Partial<KafkaBusOptions> = {}): KafkaBus {
  return new KafkaBus({
    brokers: testInfra().kafkaBrokers,
    clientId: namespace,
    logger,
    // A member notices a rebalance at its next heartbeat: keep that short so tests settle fast.
    heartbeatIntervalMs: 500,
    sessionTimeoutMs: 10_000,
    ...extra,
  });
}

describeBusContract('kafka', async () => {
  const namespace = uniqueNamespace('bus');
  const bus = makeBus(namespace);
  return { bus, namespace, close: () => bus.close() };
});

describe('KafkaBus', () => {
  let bus: KafkaBus;
  let ns: string;

  beforeEach(() => {
    ns = uniqueNamespace('kbus');
    bus = makeBus(ns);
  });
  afterEach(() => bus.close(), 60_000);

  it('keeps re-delivering to a handler that throws a TypeError instead of stopping the consumer', async () => {
    const topic = `${ns}-t`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, [{ key: 'k', value: new TextEncoder().encode('x') }]);
    let calls = 0;
    const fatal: Error[] = [];
    await bus.subscribe({
      topic,
      group: `${ns}-g`,
      onFatal: (e) => fatal.push(e),
      handler: async (_batch: BusBatch) => {
        calls += 1;
        // kafkajs alone would treat a TypeError as non-retriable and crash the consumer for good.
        if (calls <= 3) throw new TypeError(`bug number ${calls}`);
      },
    });
    await waitFor(async () => (await bus.lag(`${ns}-g`, topic)) === 0, { timeoutMs: 30_000, what: 'lag 0' });
    expect(calls).toBe(4);
    expect(fatal).toEqual([]);
  }, 60_000);

  it('reports every answered request by API name: the producer, the consumer and the admin client', async () => {
    await bus.close();
    const requests = new Map<string, number>();
    bus = makeBus(ns, { onRequest: (api) => requests.set(api, (requests.get(api) ?? 0) + 1) });
    const topic = `${ns}-t`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    expect(requests.get('CreateTopics')).toBe(1);
    await bus.publish(topic, [{ key: 'k', value: new TextEncoder().encode('x') }]);
    expect(requests.get('Produce')).toBe(1);
    const handled: string[] = [];
    await bus.subscribe({ topic, group: `${ns}-g`, onFatal: () => undefined, handler: async (batch) => void handled.push(...batch.records.map((r) => r.key)) });
    await waitFor(() => handled.length === 1, { timeoutMs: 30_000, what: 'the record handled' });
    for (const api of ['JoinGroup', 'SyncGroup', 'Fetch']) expect(requests.get(api)).toBeGreaterThanOrEqual(1);
    await waitFor(() => (requests.get('OffsetCommit') ?? 0) >= 1, { timeoutMs: 10_000, what: 'an offset commit counted' });
  }, 60_000);

  it('creates only missing topics and keeps an existing partition count', async () => {
    const topic = `${ns}-t`;
    await bus.ensureTopics([{ name: topic, partitions: 2 }]);
    const before = logs.length;
    await bus.ensureTopics([
      { name: topic, partitions: 3 },
      { name: `${ns}-u`, partitions: 1 },
    ]);
    const warned = logs.slice(before).filter((l) => l.namespace === 'KafkaBus' && l.level === 'warn');
    expect(warned.map((l) => l.fields.topic)).toEqual([topic]);
    // Both topics usable right away (leaders elected).
    await bus.publish(topic, [{ key: 'a', value: new Uint8Array([1]) }]);
    await bus.publish(`${ns}-u`, [{ key: 'a', value: new Uint8Array([1]) }]);
    expect(await bus.lag(`${ns}-nobody`, topic)).toBe(1);
  }, 60_000);

  it('creates a compacted topic with cleanup.policy=compact, and the others with the broker default', async () => {
    await bus.ensureTopics([
      { name: `${ns}-groups`, partitions: 1, compacted: true },
      { name: `${ns}-plain`, partitions: 1 },
    ]);
    const admin = new Kafka({ brokers: testInfra().kafkaBrokers, clientId: `${ns}-admin`, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const policy = async (topic: string) => {
        const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }], includeSynonyms: false });
        return resources[0]!.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
      };
      expect(await policy(`${ns}-groups`)).toBe('compact');
      expect(await policy(`${ns}-plain`)).toBe('delete');
      // A topic meant to be compacted that exists without it is left as it is, and said.
      const before = logs.length;
      await bus.ensureTopics([{ name: `${ns}-plain`, partitions: 1, compacted: true }, { name: `${ns}-groups`, partitions: 1, compacted: true }]);
      expect(await policy(`${ns}-plain`)).toBe('delete');
      const warned = logs.slice(before).filter((l) => l.namespace === 'KafkaBus' && l.level === 'warn');
      expect(warned.map((l) => l.fields.topic)).toEqual([`${ns}-plain`]);
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('rejects a publish to a topic that does not exist', async () => {
    await expect(bus.publish(`${ns}-missing`, [{ key: 'a', value: new Uint8Array([1]) }])).rejects.toThrow();
  }, 60_000);
});
