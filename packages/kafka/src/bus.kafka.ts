// The Bus port on Kafka (kafkajs): topics created through the admin client, one idempotent
// producer, one consumer per subscription that commits a batch's offsets only after its handler
// resolved.
import type {
  Admin,
  ConsumerCrashEvent,
  EachBatchPayload,
  Kafka,
  KafkaMessage,
  Message,
  Producer,
} from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes } from 'kafkajs';
import type { Bus, BusRecord, ConsumedRecord, ReadVisitor, SubscribeOptions, Subscription, TopicSpec } from '@parley/ports';
import { OffsetCommitter, type CommitAccess } from './offset-committer';
import { SettlingOffsets } from './settling-offsets';
import { ProduceCoalescer, type TopicRecords } from './produce-coalescer';
import { createKafka, defaultPartitioner, stderrKafkaLogger, type KafkaClientOptions, type KafkaLogger } from './kafka-client';

export interface KafkaBusOptions extends KafkaClientOptions {
  /** Replication factor of topics ensureTopics creates. Default: the broker's `default.replication.factor`. */
  readonly replicationFactor?: number;
  /** Most records handed to one handler call; a larger fetched batch is split. Default 500. */
  readonly maxBatchRecords?: number;
  /** Consumer session timeout, in ms: a member silent that long is removed from its group. Default 30000. */
  readonly sessionTimeoutMs?: number;
  /** Consumer heartbeat interval, in ms (also how fast a member notices a rebalance). Default 3000. */
  readonly heartbeatIntervalMs?: number;
  /**
   * Longest a subscription's fetch waits on the broker for new records, in ms; also bounds how
   * long close() waits for an idle fetch. The broker answers as soon as one record is there
   * (kafkajs' minBytes is 1), so this sets only how often an idle consumer polls: most of an idle
   * sequencer's and delivery's CPU (and much of the broker's) went to ten empty fetches a second
   * at 100. Default 500. (readToEnd keeps 100: it ends at the partitions' ends.)
   */
  readonly maxWaitTimeMs?: number;
  /** First wait before a failed batch (handler rejection or Kafka error) is fetched again, in ms. Default 100. */
  readonly retryInitialMs?: number;
  /** Longest such wait, in ms; keep it well under the session timeout (no heartbeats while waiting). Default 5000. */
  readonly retryMaxMs?: number;
  /** Partitions one subscription handles at the same time (still one call at a time per partition). Default 1. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Most time a processed record's offset waits before it is committed, in ms; 0 commits after
   * every handler call. Only offsets whose handler call resolved are ever committed, so a larger
   * value never skips a record, it only widens what a restart hands again (at-least-once).
   * Default 100. With a value above 0 the commit is made by a timer, never inside a handler call
   * (kafkajs fetches again only after the batches are done, so a commit there delays the next
   * fetch); 0 commits inside every handler call and waits for it.
   */
  readonly commitIntervalMs?: number;
  /**
   * Whether a handler call that ends with its effects still settling (SettlingBatch) lets the
   * partition's next records be handled at once (true), or is waited for until they settled,
   * as a call that awaited them itself (false). Either way nothing is committed before it is
   * durable. Default true; false also with `commitIntervalMs` 0.
   */
  readonly handleWhileSettling?: boolean;
  /**
   * Told of every request a broker answered, by kafkajs' API name (`Produce`, `Fetch`,
   * `OffsetCommit`, `Heartbeat`, `Metadata`, ...), from the producer, every consumer and the
   * admin client: what the bus costs the brokers. Default: not counted (kafkajs then builds no
   * event at all).
   */
  readonly onRequest?: (api: string) => void;
  /**
   * How long a publish made while no produce request is in flight waits for others to share
   * its request, in ms (ProduceCoalescer). Default 0: sent at once.
   */
  readonly produceLingerMs?: number;
}

/** The part of a kafkajs producer, consumer or admin client its request events come from. */
interface RequestEvents {
  readonly events: { readonly REQUEST: string };
  on(event: string, listener: (event: { payload: { apiName: string } }) => void): unknown;
}

/**
 * Thrown out of kafkajs' eachBatch when the handler rejected. Marked retriable so kafkajs' retry
 * loop fetches the same uncommitted records again after a backoff, whatever the handler threw
 * (kafkajs would otherwise treat a TypeError as fatal and stop the consumer for good).
 */
export class BusHandlerRejectedError extends Error {
  override readonly name = 'BusHandlerRejectedError';
  readonly retriable = true;
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly firstOffset: string,
    readonly lastOffset: string,
    override readonly cause: unknown,
  ) {
    super(
      `handler rejected ${topic}[${partition}] offsets ${firstOffset}..${lastOffset}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
  }
}

const EMPTY = new Uint8Array(0);
/** KafkaBusOptions.maxWaitTimeMs of a subscription. */
const DEFAULT_MAX_WAIT_MS = 500;

function toRecord(message: KafkaMessage): ConsumedRecord {
  const key = message.key ? message.key.toString('utf8') : '';
  const value = message.value ?? EMPTY;
  const headers = message.headers ? toHeaders(message.headers) : undefined;
  return headers ? { key, value, headers, offset: message.offset } : { key, value, offset: message.offset };
}

/** Kafka header values are bytes (and a name may repeat): the port's headers are strings, the last value wins. */
function toHeaders(raw: NonNullable<KafkaMessage['headers']>): Record<string, string> | undefined {
  let headers: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(raw)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    (headers ??= {})[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return headers;
}

/**
 * Bus on Kafka through kafkajs 2.2.4 (unmaintained since 2023, hence kept behind the port).
 *
 * - publish: one idempotent producer with `acks: -1`; the partition is kafkajs'
 *   DefaultPartitioner (murmur2 of the key, as the Java client and MemoryBus). kafkajs lets an
 *   idempotent producer have one request in flight per broker, so publishes made while one is in
 *   flight are merged into the next `sendBatch` (ProduceCoalescer): records of one call stay
 *   together and in order, calls keep their order.
 * - subscribe: one kafkajs consumer per subscription, kafkajs' autoCommit off. A fetched batch is
 *   handed in chunks of at most `maxBatchRecords`; after a chunk's handler call resolved, its
 *   last offset is resolved (the fetch position moves on). A call may end with effects still
 *   settling (SettlingBatch): the commit position (SettlingOffsets) moves only over calls whose
 *   effects all settled, in offset order, and is committed by a timer every `commitIntervalMs`
 *   (OffsetCommitter), outside the handler path, and on close. A rejection is thrown back to
 *   kafkajs unresolved: kafkajs fetches again from the last resolved offset after a backoff,
 *   retrying without limit; a failed effect pauses its partition for a backoff and seeks it back
 *   to its first record not durable. Only an error kafkajs deems non-retriable (or a crash it will
 *   not restart from) reaches `onFatal`.
 * - lag: committed offsets against high watermarks, through the admin client; a partition with
 *   no committed offset counts from its low watermark.
 *
 * Connections are opened lazily (admin on the first ensureTopics or lag, producer on the first
 * publish); close() stops every subscription (in-flight handler calls finish first) and
 * disconnects.
 */
export class KafkaBus implements Bus {
  private readonly kafka: Kafka;
  private readonly log: KafkaLogger;
  private readonly options: KafkaBusOptions;
  private readonly maxBatchRecords: number;
  private producer: Promise<Producer> | undefined;
  /** Producers retired after a failed send, still disconnecting. */
  private readonly retiring = new Set<Promise<Producer>>();
  private readonly produce: ProduceCoalescer<Message>;
  private admin: Promise<Admin> | undefined;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  /** `kafka`: a prebuilt client, for tests; by default one is built from `options`. */
  constructor(options: KafkaBusOptions, kafka: Kafka = createKafka(options)) {
    this.options = options;
    this.kafka = kafka;
    this.log = options.logger ?? stderrKafkaLogger;
    this.produce = new ProduceCoalescer<Message>((batch) => this.sendBatch(batch), undefined, options.produceLingerMs ?? 0);
    this.maxBatchRecords = options.maxBatchRecords ?? 500;
    if (!Number.isInteger(this.maxBatchRecords) || this.maxBatchRecords < 1) {
      throw new Error(`maxBatchRecords must be a positive integer, got ${this.maxBatchRecords}`);
    }
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    if (topics.length === 0) return;
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: this.options.replicationFactor ?? -1,
          ...(t.compacted ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] } : {}),
        })),
        // Waited for below: kafkajs' own wait gives up on a broker that does not know the new
        // topic yet (UNKNOWN_TOPIC_OR_PARTITION), which is normal for a moment on a multi-broker
        // cluster; it also skips the wait when another process created a topic first.
        waitForLeaders: false,
      });
    }
    // Every partition has a leader (and the partition counts are checked) before anything is published.
    const names = topics.map((t) => t.name);
    const deadline = Date.now() + (this.options.requestTimeoutMs ?? 30_000);
    for (;;) {
      let metadata: Awaited<ReturnType<Admin['fetchTopicMetadata']>>['topics'];
      try {
        ({ topics: metadata } = await admin.fetchTopicMetadata({ topics: names }));
      } catch (error) {
        // The broker asked has not heard of a topic just created: ask again.
        if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const leaderless = metadata.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (leaderless.length === 0 && !(await this.leadersServe(admin, names, deadline))) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (leaderless.length === 0) {
        for (const spec of topics) {
          const actual = metadata.find((t) => t.name === spec.name)?.partitions.length;
          if (actual !== spec.partitions) {
            this.log({
              level: 'warn',
              namespace: 'KafkaBus',
              message: `topic ${spec.name} exists with ${actual} partitions, not ${spec.partitions}: left as it is`,
              fields: { topic: spec.name, partitions: actual, wanted: spec.partitions },
            });
          }
        }
        await this.warnUncompacted(admin, topics.filter((t) => t.compacted));
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`topics without a leader after ensureTopics: ${leaderless.map((t) => t.name).join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Whether every partition leader answers for its partition (ListOffsets): on a multi-broker
   * cluster the metadata names a leader a moment before that broker serves the partition, and a
   * reader starting right then (the sequencer's groups log) would fail. False while they do not.
   */
  private async leadersServe(admin: Admin, names: readonly string[], deadline: number): Promise<boolean> {
    try {
      // One topic at a time: kafkajs' admin loses track of a topic fetched by concurrent calls.
      for (const topic of names) await admin.fetchTopicOffsets(topic);
      return true;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      return false;
    }
  }

  /**
   * A topic meant to be compacted that exists without `cleanup.policy=compact` (made by hand,
   * or before it was meant to be) loses old keys with its retention: said loudly, left as it is
   * (changing a topic's policy is an operator's decision).
   */
  private async warnUncompacted(admin: Admin, topics: readonly TopicSpec[]): Promise<void> {
    if (topics.length === 0) return;
    const { resources } = await admin.describeConfigs({
      resources: topics.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: ['cleanup.policy'] })),
      includeSynonyms: false,
    });
    for (const resource of resources) {
      const policy = resource.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue ?? '';
      if (policy.split(',').includes('compact')) continue;
      this.log({
        level: 'warn',
        namespace: 'KafkaBus',
        message: `topic ${resource.resourceName} exists with cleanup.policy=${policy}, not compact: its old records are deleted with its retention; set cleanup.policy=compact on it`,
        fields: { topic: resource.resourceName, cleanupPolicy: policy },
      });
    }
  }

  async publish(topic: string, records: readonly BusRecord[]): Promise<void> {
    this.assertOpen();
    if (records.length === 0) return;
    await this.produce.publish(
      topic,
      records.map((r) => {
        const value = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
        return r.headers ? { key: r.key, value, headers: { ...r.headers } } : { key: r.key, value };
      }),
    );
  }

  /**
   * The ends are the high watermarks fetched first. kafkajs 2.2.4 cannot fetch without a
   * consumer group, so the read joins a group of its own (a fresh random id, never committed:
   * the broker forgets it once it is empty) and starts from the earliest offset.
   */
  async readToEnd(topic: string, visit: ReadVisitor): Promise<void> {
    this.assertOpen();
    const admin = await this.connectedAdmin();
    const remaining = new Map<number, bigint>();
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) remaining.set(p.partition, BigInt(p.high));
    }
    if (remaining.size === 0) return;
    const o = this.options;
    const consumer = this.kafka.consumer({
      groupId: `parley-read-${topic}-${randomUUID()}`,
      allowAutoTopicCreation: false,
      sessionTimeout: o.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: o.heartbeatIntervalMs ?? 3000,
      maxWaitTimeInMs: o.maxWaitTimeMs ?? 100,
      retry: { initialRetryTime: o.retryInitialMs ?? 100, maxRetryTime: o.retryMaxMs ?? 5000, retries: 5 },
    });
    this.countRequests(consumer);
    let settle!: { resolve: () => void; reject: (error: unknown) => void };
    const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // Awaited only once the consumer runs: a crash while connecting must not be an unhandled rejection.
    finished.catch(() => undefined);
    consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) => settle.reject(event.payload.error));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          const end = remaining.get(batch.partition);
          if (end === undefined) return;
          const records = batch.messages.filter((m) => BigInt(m.offset) < end).map(toRecord);
          for (let i = 0; i < records.length; i += this.maxBatchRecords) {
            try {
              await visit({ topic, partition: batch.partition, records: records.slice(i, i + this.maxBatchRecords) });
            } catch (error) {
              settle.reject(error);
              throw error;
            }
            await heartbeat();
          }
          // lastOffset(): the batch's last record, or the high watermark - 1 for an empty batch.
          if (BigInt(batch.lastOffset()) + 1n >= end) {
            remaining.delete(batch.partition);
            if (remaining.size === 0) settle.resolve();
          }
        },
      });
      await finished;
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  }

  /**
   * One produce request for everything published while the previous one was in flight. A send
   * that failed retires its producer: the next send gets a new producer id (see `retireProducer`).
   */
  private async sendBatch(batch: readonly TopicRecords<Message>[]): Promise<void> {
    const ready = this.connectedProducer();
    const producer = await ready;
    try {
      await producer.sendBatch({ acks: -1, topicMessages: batch.map(({ topic, records }) => ({ topic, messages: records })) });
    } catch (error) {
      this.retireProducer(ready);
      throw error;
    }
  }

  /**
   * After a failed send an idempotent producer's sequence numbers can no longer be trusted.
   * kafkajs numbers records per partition and, when a request fails (a lost answer, or one
   * partition's error failing the whole request), numbers the next records as if none of that
   * request had been written; but the broker may have appended them. The next send then
   * carries other records (the callers retry on their own, merged differently) under numbers
   * the broker already holds: a range it holds is answered as a duplicate and the new records
   * are dropped while the send succeeds, any other range is refused as out of order, on that
   * partition for good (kafkajs never recovers). A new producer gets a new producer id from the
   * broker and numbers from zero, so neither can happen; what the failed send may have written
   * is then written again, which the consumers' deduplication absorbs (at-least-once).
   * Guarded by test/integration/ambiguous-publish.test.ts.
   */
  private retireProducer(ready: Promise<Producer>): void {
    if (this.producer !== ready) return;
    this.producer = undefined;
    this.retiring.add(ready);
    void ready
      .then((producer) => producer.disconnect())
      .catch(() => undefined)
      .finally(() => this.retiring.delete(ready));
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    const { topic, group, handler, onFatal } = options;
    const o = this.options;
    const consumer = this.kafka.consumer({
      groupId: group,
      allowAutoTopicCreation: false,
      sessionTimeout: o.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: o.heartbeatIntervalMs ?? 3000,
      maxWaitTimeInMs: o.maxWaitTimeMs ?? DEFAULT_MAX_WAIT_MS,
      retry: {
        initialRetryTime: o.retryInitialMs ?? 100,
        maxRetryTime: o.retryMaxMs ?? 5000,
        // kafkajs runs the whole fetch loop under one retrier: a handler rejection (retriable,
        // see BusHandlerRejectedError) or a transient Kafka error is retried from the last
        // committed offset with this backoff, never "exhausted" into a crash that would leave
        // the group. Caveat of kafkajs 2.2.4: that retrier's count and backoff only reset when the
        // group rebalances, so after many failures each new one waits up to maxRetryTime.
        retries: Number.MAX_SAFE_INTEGER,
        // Crashes with a retriable cause (e.g. a join that failed on a lost connection) restart
        // the consumer; non-retriable ones never reach this callback and end in onFatal.
        restartOnFailure: async () => true,
      },
    });
    this.countRequests(consumer);

    let closing: Promise<void> | undefined;
    let fatal = false;
    // The partitions this member owns, from the last join (a rebalance joins again).
    let owned: ReadonlySet<number> = new Set();
    // Consecutive failed effects per partition, for the backoff before it is handed again.
    const settleFailures = new Map<number, number>();
    const settling = new SettlingOffsets(
      topic,
      (partition, offset, error) => {
        const failures = (settleFailures.get(partition) ?? 0) + 1;
        settleFailures.set(partition, failures);
        const delayMs = Math.min(o.retryMaxMs ?? 5000, (o.retryInitialMs ?? 100) * 2 ** Math.min(failures - 1, 20));
        this.log({
          level: failures === 1 ? 'warn' : 'debug',
          namespace: 'KafkaBus',
          message: `an effect of a handler call on ${topic}[${partition}] failed: handled again from offset ${offset} in ${delayMs} ms (nothing after it committed): ${
            error instanceof Error ? error.message : String(error)
          }`,
          fields: { topic, groupId: group, partition, offset, delayMs },
        });
        // Paused for the backoff, then fetched again from the first record not durable. What
        // the next fetch would have handed of this partition is handed again too.
        const partitions = [{ topic, partitions: [partition] }];
        try {
          consumer.pause(partitions);
          consumer.seek({ topic, partition, offset });
        } catch {
          // Not running any more: the partition's next owner starts from the committed offset.
        }
        setTimeout(() => {
          try {
            consumer.resume(partitions);
          } catch {
            // Stopped meanwhile.
          }
        }, delayMs).unref();
      },
      (partition) => settleFailures.delete(partition),
    );
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      owned = new Set(event.payload.memberAssignment[topic] ?? []);
      settling.rejoined();
    });
    consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) => {
      const { error, restart } = event.payload;
      if (restart || closing || fatal) return;
      // kafkajs has already disconnected this consumer and will not restart it.
      fatal = true;
      this.log({
        level: 'error',
        namespace: 'KafkaBus',
        message: `consumer of ${topic} in group ${group} stopped for good: ${error.message}`,
        fields: { topic, groupId: group, error: error.message },
      });
      onFatal(error);
    });

    const committer = new OffsetCommitter(o.commitIntervalMs ?? 100, (error) =>
      this.log({
        level: 'warn',
        namespace: 'KafkaBus',
        message: `offset commit for ${topic} in group ${group} failed (the records are handed again after a restart or rebalance): ${
          error instanceof Error ? error.message : String(error)
        }`,
        fields: { topic, groupId: group },
      }),
    );
    const waitForEffects = o.handleWhileSettling === false || (o.commitIntervalMs ?? 100) <= 0;
    const inline = (): boolean => waitForEffects || closing !== undefined;
    const subscription: Subscription = {
      close: () => {
        closing ??= (async () => {
          try {
            // From here on every call waits for its own effects; those of earlier calls settle
            // first, so the last commit covers them.
            await settling.idle();
            await committer.close();
            await consumer.disconnect();
          } finally {
            this.subscriptions.delete(subscription);
          }
        })();
        return closing;
      },
      lagByPartition: () => (owned.size === 0 ? Promise.resolve(new Map<number, number>()) : this.lagOf(group, topic, owned)),
    };

    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.handleBatch(payload, handler, committer, settling, inline),
      });
    } catch (error) {
      closing = committer.close().then(() => consumer.disconnect()).catch(() => undefined);
      await closing;
      throw error;
    }
    this.subscriptions.add(subscription);
    return subscription;
  }

  async lag(group: string, topic: string): Promise<number> {
    let total = 0;
    for (const waiting of (await this.lagOf(group, topic)).values()) total += waiting;
    return total;
  }

  /** Committed offsets against high watermarks per partition, over `partitions` (default: all of the topic). */
  private async lagOf(group: string, topic: string, partitions?: ReadonlySet<number>): Promise<Map<number, number>> {
    this.assertOpen();
    const admin = await this.connectedAdmin();
    const [committed, watermarks] = await Promise.all([
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
      admin.fetchTopicOffsets(topic),
    ]);
    const committedByPartition = new Map<number, bigint>();
    for (const t of committed) {
      if (t.topic !== topic) continue;
      for (const p of t.partitions) committedByPartition.set(p.partition, BigInt(p.offset));
    }
    const lag = new Map<number, number>();
    for (const w of watermarks) {
      if (partitions && !partitions.has(w.partition)) continue;
      const high = BigInt(w.high);
      const low = BigInt(w.low);
      const done = committedByPartition.get(w.partition) ?? -1n;
      // -1: the group never committed on this partition; everything still retained is pending.
      const from = done < 0n ? low : done < low ? low : done;
      lag.set(w.partition, high > from ? Number(high - from) : 0);
    }
    return lag;
  }

  /** Stops every subscription (in-flight handler calls finish first), then disconnects the producer and admin. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const results = await Promise.allSettled([...this.subscriptions].map((s) => s.close()));
    const clients: Array<Promise<{ disconnect(): Promise<void> }> | undefined> = [this.producer, this.admin, ...this.retiring];
    await Promise.allSettled(clients.map(async (c) => (await c)?.disconnect()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * kafkajs' eachBatch: hands the batch in chunks; resolves each chunk's offsets (its fetch
   * position) once its handler call resolved, and reports the call to `settling`, which moves the
   * commit position once its effects settled (at once for a call that awaited them all); on a
   * rejection throws (nothing of that chunk resolved) so kafkajs fetches the same records again
   * after its backoff. `inline()`: a call's settling effects are waited for before the next.
   */
  private async handleBatch(
    payload: EachBatchPayload,
    handler: SubscribeOptions['handler'],
    committer: OffsetCommitter,
    settling: SettlingOffsets,
    inline: () => boolean,
  ): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition, messages } = batch;
    // The commit position is the one SettlingOffsets keeps, not kafkajs' resolved offsets
    // (which are the fetch position and may run ahead of what is durable).
    const access: CommitAccess = {
      uncommittedOffsets: () => settling.uncommitted(),
      commitOffsetsIfNecessary: async (offsets) => {
        await commitOffsetsIfNecessary(offsets);
        if (offsets) settling.committed(offsets);
      },
    };
    for (let start = 0; start < messages.length; start += this.maxBatchRecords) {
      // Stopping (close), or a seek made this batch obsolete: what is left stays uncommitted and
      // is fetched again by whoever owns the partition next. (A rebalance shows up as a
      // heartbeat or commit error below, which kafkajs answers by re-joining.)
      if (!isRunning() || isStale()) return;
      const chunk = messages.slice(start, start + this.maxBatchRecords);
      const first = chunk[0]!;
      const last = chunk[chunk.length - 1]!;

      // Keep the group membership alive while a slow handler runs (kafkajs sends a heartbeat
      // only when one is due, so calling it often is cheap). A failed heartbeat (e.g. a rebalance
      // started) is not acted on here: the commit below or the next fetch reports it.
      const keepAlive = setInterval(() => {
        heartbeat().catch(() => undefined);
      }, Math.max(500, Math.floor((this.options.heartbeatIntervalMs ?? 3000) / 2)));
      keepAlive.unref();
      const epoch = settling.epochOf(partition);
      let settled: Promise<void> | undefined;
      try {
        const handled = await handler({ topic, partition, records: chunk.map(toRecord) });
        if (handled && inline()) await handled.settled;
        else settled = handled?.settled;
      } catch (error) {
        throw new BusHandlerRejectedError(topic, partition, first.offset, last.offset, error);
      } finally {
        clearInterval(keepAlive);
      }

      // An earlier call's effect failed meanwhile: this partition is handed again from before
      // this chunk, which must therefore neither move the fetch position nor count as handled.
      if (!settling.handled(partition, epoch, first.offset, last.offset, settled)) return;
      // The handler is done with these records: the next fetch starts after them. They are
      // committed once their effects (and those of every earlier call) are durable.
      resolveOffset(last.offset);
      await committer.resolved(access);
      await heartbeat();
    }
  }

  /** Reports `client`'s answered requests to `onRequest`, when one is set. */
  private countRequests(client: RequestEvents): void {
    const onRequest = this.options.onRequest;
    if (!onRequest) return;
    client.on(client.events.REQUEST, (event) => {
      try {
        onRequest(event.payload.apiName);
      } catch {
        // A failing counter must never break the Kafka client.
      }
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('KafkaBus is closed');
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({
        createPartitioner: defaultPartitioner,
        allowAutoTopicCreation: false,
        // Exactly one copy per send even when kafkajs retries it (producer id + sequence numbers).
        idempotent: true,
        // maxInFlightRequests stays unset (no cap): kafkajs 2.2.4 already serialises an
        // idempotent producer's produce requests per broker with a lock (sendMessages.js,
        // acquireBrokerLock), which is what sequence numbers need; a connection-wide cap of 1
        // would also queue metadata requests behind produce requests for nothing.
        // No `retries` either: through Kafka#producer kafkajs applies its default of 5 (a bounded
        // publish that rejects, as the port says; callers retry and consumers dedupe), and an
        // explicit value below MAX_SAFE_INTEGER only adds a warning.
      });
      this.countRequests(producer);
      await producer.connect();
      return producer;
    })();
    const ready = this.producer;
    // A failed connect is not cached: the next publish tries again.
    ready.catch(() => {
      if (this.producer === ready) this.producer = undefined;
    });
    return ready;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      this.countRequests(admin);
      await admin.connect();
      return admin;
    })();
    const ready = this.admin;
    ready.catch(() => {
      if (this.admin === ready) this.admin = undefined;
    });
    return ready;
  }
}
