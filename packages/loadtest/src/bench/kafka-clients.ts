// The two Kafka clients the kafka-client bench compares, each reduced to what parley's Bus does
// with it: an idempotent producer (acks from all in-sync replicas, murmur2 partitions like the
// Java client) and a consumer-group member that commits the offsets it was handed every 100 ms
// (autocommit off), records as Buffers, keys read as strings.
import { createKafka, defaultPartitioner } from '@parley/kafka';
import type { Consumer as KafkaJsConsumer, Kafka } from 'kafkajs';

/**
 * @platformatic/kafka is an ES module (loaded through Node's require of ES modules, which jest's
 * module system does not do) and compiles its option schemas when imported: loaded on first use.
 */
function platformatic(): typeof import('@platformatic/kafka') {
  return require('@platformatic/kafka') as typeof import('@platformatic/kafka');
}

export const CLIENT_NAMES = ['kafkajs', 'platformatic'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

export interface BenchRecord {
  readonly key: string;
  readonly value: Uint8Array;
}

export interface BenchProducer {
  /** Resolves once every record is acknowledged by all in-sync replicas. */
  send(topic: string, records: readonly BenchRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Called once per consumed record (partition order within a partition). */
export type OnRecord = (key: string, value: Buffer, partition: number) => void;

export interface BenchConsumer {
  close(): Promise<void>;
}

export interface ClientSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
}

/** The consumer settings parley's KafkaBus uses (KafkaBusOptions defaults). */
const SESSION_TIMEOUT_MS = 30_000;
const HEARTBEAT_INTERVAL_MS = 3000;
const MAX_WAIT_MS = 500;
const COMMIT_INTERVAL_MS = 100;

export function benchProducer(client: ClientName, settings: ClientSettings): BenchProducer {
  return client === 'kafkajs' ? kafkaJsProducer(settings) : platformaticProducer(settings);
}

export function benchConsumer(client: ClientName, settings: ClientSettings, topic: string, group: string, onRecord: OnRecord): Promise<BenchConsumer> {
  return client === 'kafkajs' ? kafkaJsConsumer(settings, topic, group, onRecord) : platformaticConsumer(settings, topic, group, onRecord);
}

function kafkaOf(settings: ClientSettings): Kafka {
  // The factory KafkaBus uses: same log routing and request-queue timer correction.
  return createKafka({ brokers: settings.brokers, clientId: settings.clientId, logLevel: 'error' });
}

function kafkaJsProducer(settings: ClientSettings): BenchProducer {
  const producer = kafkaOf(settings).producer({ createPartitioner: defaultPartitioner, allowAutoTopicCreation: false, idempotent: true });
  const connected = producer.connect();
  return {
    async send(topic, records) {
      await connected;
      await producer.sendBatch({
        acks: -1,
        topicMessages: [{ topic, messages: records.map((r) => ({ key: r.key, value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength) })) }],
      });
    },
    async close() {
      await connected.catch(() => undefined);
      await producer.disconnect();
    },
  };
}

function platformaticProducer(settings: ClientSettings): BenchProducer {
  const { Producer, compatibilityPartitioner } = platformatic();
  const producer = new Producer({
    clientId: settings.clientId,
    bootstrapBrokers: [...settings.brokers],
    idempotent: true,
    acks: -1,
    // murmur2 & 0x7fffffff like the Java client and kafkajs (its default partitioner drops the mask).
    partitioner: compatibilityPartitioner,
    autocreateTopics: false,
  });
  return {
    async send(topic, records) {
      await producer.send({
        messages: records.map((r) => ({ topic, key: Buffer.from(r.key, 'utf8'), value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength) })),
      });
    },
    close: () => producer.close(),
  };
}

/** Commits the last handed offset of each partition every COMMIT_INTERVAL_MS, like KafkaBus' OffsetCommitter. */
function commitTimer(commit: () => Promise<void>): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(commit).catch(() => undefined);
  }, COMMIT_INTERVAL_MS);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

async function kafkaJsConsumer(settings: ClientSettings, topic: string, group: string, onRecord: OnRecord): Promise<BenchConsumer> {
  const consumer: KafkaJsConsumer = kafkaOf(settings).consumer({
    groupId: group,
    allowAutoTopicCreation: false,
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    maxWaitTimeInMs: MAX_WAIT_MS,
  });
  const toCommit = new Map<number, string>();
  const committer = commitTimer(async () => {
    if (toCommit.size === 0) return;
    const offsets = [...toCommit].map(([partition, offset]) => ({ topic, partition, offset }));
    toCommit.clear();
    await consumer.commitOffsets(offsets);
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, resolveOffset }) => {
      for (const message of batch.messages) onRecord(message.key ? message.key.toString('utf8') : '', message.value ?? Buffer.alloc(0), batch.partition);
      const last = batch.messages[batch.messages.length - 1];
      if (!last) return;
      resolveOffset(last.offset);
      toCommit.set(batch.partition, (BigInt(last.offset) + 1n).toString());
    },
  });
  return {
    async close() {
      await committer.stop();
      await consumer.disconnect();
    },
  };
}

async function platformaticConsumer(settings: ClientSettings, topic: string, group: string, onRecord: OnRecord): Promise<BenchConsumer> {
  const consumer = new (platformatic().Consumer)({
    clientId: settings.clientId,
    bootstrapBrokers: [...settings.brokers],
    groupId: group,
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    maxWaitTime: MAX_WAIT_MS,
    autocommit: false,
  });
  // The offset after the last handed record of each partition, committed in one request a tick.
  const toCommit = new Map<number, bigint>();
  const committer = commitTimer(async () => {
    if (toCommit.size === 0) return;
    // Leader epoch -1: not known to the stream's messages (the broker then skips the check).
    const offsets = [...toCommit].map(([partition, offset]) => ({ topic, partition, offset, leaderEpoch: -1 }));
    toCommit.clear();
    await consumer.commit({ offsets });
  });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, maxWaitTime: MAX_WAIT_MS });
  stream.on('data', (message) => {
    onRecord(message.key ? message.key.toString('utf8') : '', message.value ?? Buffer.alloc(0), message.partition);
    toCommit.set(message.partition, message.offset + 1n);
  });
  stream.on('error', () => undefined);
  return {
    async close() {
      await committer.stop();
      await stream.close();
      await consumer.close();
    },
  };
}
