// The Bus port: partitioned, durable, at-least-once topics (Kafka in production,
// memory for the embedded mode and unit tests).

/** One record. Records with the same key land in the same partition, in publish order. */
export interface BusRecord {
  readonly key: string;
  readonly value: Uint8Array;
  /** Metadata beside the value (e.g. where a dead-lettered record came from); absent = none. Consumers get them as published. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A record as a consumer gets it: with its position in the partition. */
export interface ConsumedRecord extends BusRecord {
  /** Position in its partition, in decimal (Kafka offsets are 64-bit): 0, 1, 2, ... in publish order. */
  readonly offset: string;
}

/** Consecutive records of one partition, in offset order. */
export interface BusBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
}

/**
 * Processes one batch. Resolving commits the batch's offsets (the effect is durable:
 * the handler must only resolve after it). Rejecting means nothing of the batch is
 * committed: the same records are handed again (to this or another consumer of the
 * group) after a backoff, so handlers must be idempotent.
 *
 * A rejection therefore blocks its partition until a later call resolves: a handler must
 * reject only for a failure that will pass (the infrastructure unavailable). A record that
 * can never be handled (a poison record) has to be dealt with inside the handler, or the
 * partition stops for good; the runtime's consumer (`startConsumer`) does that for every
 * service: it retries a failed batch once, then splits it down to the record that fails, and
 * dead-letters that record.
 */
export type BatchHandler = (batch: BusBatch) => Promise<void | SettlingBatch>;

/**
 * What a handler may resolve with instead of nothing: its call is over, but effects it issued
 * (in order: a Redis pipeline queued, a publish queued behind the producer's request in flight)
 * are still on their way. The bus may then hand the partition's next records at once, without
 * waiting for those effects, while it commits the batch's offsets only once `settled` resolved
 * and every earlier batch of the partition is committed or settled too. If `settled` rejects,
 * nothing from the earliest batch not settled on is committed: the partition is handed again
 * from there after a backoff (never skipped), so everything after the failed batch is handled
 * again as well (handlers are idempotent).
 *
 * A handler that resolves with it promises that the next call may start before these effects
 * land: whatever the next call reads must not depend on them (it may depend on what the call
 * awaited before resolving). A bus may also wait for `settled` before the next call (the memory
 * bus does; so does any bus while it closes).
 */
export interface SettlingBatch {
  /** Resolves once every effect of the call is durable; rejects when one failed. */
  readonly settled: Promise<void>;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /**
   * Keep at least the latest record of every key, forever, and let older records of a key go
   * (Kafka `cleanup.policy=compact`): a log of full snapshots keyed by what they describe.
   * Compaction is lazy: a reader may still see older records of a key, always before its
   * latest. Default false (records kept for the topic's retention). Only applied when the
   * topic is created: an existing topic keeps its policy.
   */
  readonly compacted?: boolean;
}

/** Called with consecutive records of one partition, in offset order; resolving asks for the next. */
export type ReadVisitor = (batch: BusBatch) => Promise<void> | void;

export interface SubscribeOptions {
  readonly topic: string;
  /** Consumer group: each partition is owned by exactly one member of the group at a time. */
  readonly group: string;
  readonly handler: BatchHandler;
  /**
   * Called when the consumer stopped for good (a non-retriable error, a crash the
   * client will not restart from). The process must not stay up without consuming:
   * services exit so a supervisor restarts them.
   */
  readonly onFatal: (error: Error) => void;
  /** Where a group with no committed offset starts. Default: 'earliest'. */
  readonly fromBeginning?: boolean;
}

export interface Subscription {
  /** Stops consuming; in-flight handler calls finish first. */
  close(): Promise<void>;
  /**
   * Records not yet committed on each partition this subscriber owns now (empty while it owns
   * none), for the stall watchdog: unlike `Bus.lag`, another member's backlog does not count,
   * and one stuck partition shows even while the others flow. Optional.
   */
  lagByPartition?(): Promise<ReadonlyMap<number, number>>;
}

export interface Bus {
  /** Creates the topics that do not exist yet, with the given partition counts. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /**
   * Appends records; resolves when every record is durable (Kafka: acks from all
   * in-sync replicas). On rejection some records may have been written: callers
   * retry, and consumers dedupe.
   */
  publish(topic: string, records: readonly BusRecord[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Reads `topic` from its oldest kept record to its end as of the call (records published
   * after the call starts may or may not be seen), partition by partition or interleaved, each
   * partition in offset order; resolves once every partition has been read to that end. Joins
   * no consumer group and commits nothing. A rejection (the bus unavailable, or `visit`
   * rejecting) ends the read: callers read again from the start. For rebuilding a store from
   * a compacted topic.
   */
  readToEnd(topic: string, visit: ReadVisitor): Promise<void>;
  /** Current consumer lag (records not yet committed) per group and topic, for metrics. */
  lag?(group: string, topic: string): Promise<number>;
}
