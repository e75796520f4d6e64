// The Bus contract over KafkaBus on a 3-broker KRaft cluster (started once for this file):
// topics replicated 3 times with min.insync.replicas=2, the producer idempotent with acks=all,
// and what a broker crash must not break.
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import type { BusBatch } from '@parley/ports';
import { describeBusContract } from '@parley/ports/testing';
import { startKafkaCluster, uniqueNamespace, waitFor, type KafkaClusterHandle } from '@parley/testkit';
import { KafkaBus } from '../../src';

let cluster: KafkaClusterHandle;

beforeAll(async () => {
  cluster = await startKafkaCluster({ brokers: 3, heapMb: 256 });
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
}, 60_000);

const makeBus = (namespace: string): KafkaBus =>
  new KafkaBus({ brokers: cluster.brokers, clientId: namespace, logger: () => undefined, heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000 });

describeBusContract('kafka, 3 brokers', async () => {
  const namespace = uniqueNamespace('bus-cluster');
  const bus = makeBus(namespace);
  return { bus, namespace, close: () => bus.close() };
});

describe('KafkaBus on a 3-broker cluster', () => {
  it('creates topics replicated on every broker with min.insync.replicas=2', async () => {
    const ns = uniqueNamespace('kcl-topics');
    const bus = makeBus(ns);
    const admin = new Kafka({ brokers: cluster.brokers, clientId: `${ns}-admin`, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await bus.ensureTopics([{ name: `${ns}-t`, partitions: 4 }]);
      const { topics } = await admin.fetchTopicMetadata({ topics: [`${ns}-t`] });
      expect(topics[0]!.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3, 3]);
      const { resources } = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: `${ns}-t`, configNames: ['min.insync.replicas'] }],
        includeSynonyms: false,
      });
      expect(resources[0]!.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue).toBe('2');
    } finally {
      await admin.disconnect();
      await bus.close();
    }
  }, 120_000);

  it('loses and repeats nothing out of order per key when a broker is killed -9 mid-stream: leaders move, acks=all writes go on', async () => {
    const ns = uniqueNamespace('kcl-kill');
    const bus = makeBus(ns);
    const topic = `${ns}-t`;
    const seen = new Map<string, number[]>();
    try {
      await bus.ensureTopics([{ name: topic, partitions: 6 }]);
      await bus.subscribe({
        topic,
        group: `${ns}-g`,
        onFatal: (error) => {
          throw error;
        },
        handler: async (batch: BusBatch) => {
          for (const record of batch.records) {
            const [key, i] = new TextDecoder().decode(record.value).split('#') as [string, string];
            const list = seen.get(key) ?? [];
            list.push(Number(i));
            seen.set(key, list);
          }
        },
      });
      const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
      const sent = 60;
      const victim = cluster.nodes[1]!;
      for (let i = 0; i < sent; i++) {
        // The crash comes a third of the way in; publishing goes on while leaders move.
        if (i === sent / 3) await victim.kill();
        await bus.publish(topic, keys.map((key) => ({ key, value: new TextEncoder().encode(`${key}#${i}`) })));
      }
      await waitFor(() => keys.every((key) => new Set(seen.get(key) ?? []).size === sent), { timeoutMs: 90_000, what: 'every record consumed' });
      for (const key of keys) {
        const order = seen.get(key)!;
        // At-least-once: a record may come again after a rebalance, never before an earlier one first arrived.
        const firsts = order.filter((value, index) => order.indexOf(value) === index);
        expect(firsts).toEqual([...Array(sent).keys()]);
      }
      await victim.start();
    } finally {
      await bus.close();
    }
  }, 240_000);
});
