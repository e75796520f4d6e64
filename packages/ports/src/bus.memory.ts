// The in-process Bus: partitioned topics kept in arrays, consumer groups with committed offsets,
// at-least-once delivery with a backoff before a rejected batch is handed again.
import { backoffCeilingMs } from '@parley/protocol';
import type {
  BatchHandler,
  Bus,
  BusBatch,
  BusRecord,
  ConsumedRecord,
  ReadVisitor,
  SettlingBatch,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './bus';
import { SystemClock, type Clock, type TimerHandle } from './clock';
import type { Closable } from './closable';

export interface MemoryBusOptions {
  /** Most records handed to one handler call. Default 500. */
  readonly maxBatchRecords?: number;
  /** Wait before the first re-delivery of a rejected batch, in ms; doubles per consecutive rejection. Default 50. */
  readonly retryInitialMs?: number;
  /** Longest wait between re-deliveries of a rejected batch, in ms. Default 1000. */
  readonly retryMaxMs?: number;
  /** Drives the re-delivery backoff (a FakeClock in tests). Default: the system clock. */
  readonly clock?: Clock;
  /** Told about every rejected handler call (the batch is handed again after the backoff). */
  readonly onHandlerError?: (error: unknown, batch: BusBatch) => void;
  /**
   * Drop records every existing group has committed (Kafka's retention, for a process that runs
   * for days): memory then holds only what some group still has to process. A group seen for
   * the first time afterwards starts at the oldest record kept. Default false (everything kept).
   */
  readonly dropCommitted?: boolean;
}

const RESOLVED = Promise.resolve();

/** Committed records are dropped in chunks of at least this many, so a drop's array shift stays amortised. */
const DROP_CHUNK = 1024;

interface TopicLog {
  readonly name: string;
  /** One append-only array per partition; a record's offset is `dropped[p]` + its index. */
  readonly partitions: ConsumedRecord[][];
  /** Records dropped from the front of each partition (all committed by every group, or compacted away). */
  readonly dropped: number[];
  /** Older records of a key are dropped (TopicSpec.compacted). */
  readonly compacted: boolean;
  /** Per partition: the length at which the next compaction is tried (twice what the last one left). */
  readonly compactAt: number[];
}

interface Member {
  readonly handler: BatchHandler;
  closed: boolean;
  /** Handler calls handed to this member that have not settled yet. */
  readonly inFlight: Set<Promise<void>>;
}

interface PartitionCursor {
  /** Offset of the first record not committed by the group: the next one to hand out. */
  committed: number;
  /** A handler call, or the backoff after a rejection, is pending: nothing else is handed out. */
  busy: boolean;
  /** Consecutive rejections, for the backoff. */
  failures: number;
  retryTimer: TimerHandle | undefined;
  /** The call in hand (while `busy`): its batch, the offset committed when it succeeds, its member and its promise. */
  batch: BusBatch | undefined;
  end: number;
  owner: Member | undefined;
  call: Promise<void> | undefined;
  /**
   * The partition's callbacks, made once per group and partition rather than per call: hand the
   * next batch out, and settle the call in hand (only one is in hand per partition and group).
   */
  readonly deliverNext: () => void;
  readonly handled: (handled: void | SettlingBatch) => Promise<void> | void;
  readonly succeeded: () => void;
  readonly failed: (error: unknown) => void;
}

/** One consumer group's view of one topic; kept after its last member leaves, like Kafka's committed offsets. */
interface GroupState {
  readonly topic: TopicLog;
  readonly cursors: PartitionCursor[];
  /** Live members in join order. */
  readonly members: Member[];
  /** owners[p] receives partition p's batches; undefined while the group has no member. */
  owners: (Member | undefined)[];
}

/**
 * Bus for the embedded single-process mode and unit tests.
 *
 * Behaves like the Kafka adapter where the port promises something: a record's partition is
 * `murmur2(key) % partitions` (the same hash as Kafka's default partitioner, so a key lands on the
 * same partition number in both); each partition of a group is owned by one member (partition `p`
 * goes to the `p % n`-th live member in join order) and moves to the others when that member
 * closes; batches of at most `maxBatchRecords` are handed in offset order, never two at a time for
 * one partition of one group; a resolved call commits its records for the group, a rejected one is
 * handed again (to whichever member then owns the partition) after a backoff; a new member resumes
 * after the group's last committed record. A group seen for the first time starts at the first
 * record (or at the end with `fromBeginning: false`). `lag` counts every record of a group that
 * never subscribed. A compacted topic drops the older records of a key whenever a partition
 * doubled since its last compaction, but only while no consumer group reads it.
 *
 * Limits: single process only (publishers and subscribers must share this instance); nothing is
 * durable (records and offsets are lost with the process); unless `dropCommitted` is set, nothing
 * is ever deleted, so memory grows with every record published; `onFatal` is never called. Handlers receive the stored
 * records themselves: they must not modify `value`.
 */
export class MemoryBus implements Bus, Closable {
  private readonly topics = new Map<string, TopicLog>();
  /** Keyed by `${group}\u0000${topic}`. */
  private readonly groups = new Map<string, GroupState>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly maxBatchRecords: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly clock: Clock;
  private readonly onHandlerError: ((error: unknown, batch: BusBatch) => void) | undefined;
  private readonly dropCommitted: boolean;
  private closed = false;

  constructor(options: MemoryBusOptions = {}) {
    this.maxBatchRecords = positiveInteger(options.maxBatchRecords ?? 500, 'maxBatchRecords');
    this.retryInitialMs = Math.max(0, options.retryInitialMs ?? 50);
    this.retryMaxMs = Math.max(this.retryInitialMs, options.retryMaxMs ?? 1000);
    this.clock = options.clock ?? new SystemClock();
    this.onHandlerError = options.onHandlerError;
    this.dropCommitted = options.dropCommitted ?? false;
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    for (const spec of topics) {
      const partitions = positiveInteger(spec.partitions, `partitions of topic ${spec.name}`);
      // Like Kafka's adapter: an existing topic keeps its partition count.
      if (!this.topics.has(spec.name)) {
        this.topics.set(spec.name, {
          name: spec.name,
          partitions: Array.from({ length: partitions }, () => []),
          dropped: new Array<number>(partitions).fill(0),
          compacted: spec.compacted === true,
          compactAt: new Array<number>(partitions).fill(DROP_CHUNK),
        });
      }
    }
  }

  async publish(topic: string, records: readonly BusRecord[]): Promise<void> {
    this.assertOpen();
    const log = this.topicLog(topic);
    // A lone record (most calls of a quiet process) needs no set of the partitions it touched.
    if (records.length === 1) {
      this.wake(log, this.append(log, records[0]!));
      return;
    }
    const touched = new Set<number>();
    // Appended synchronously, so one call's records are contiguous per partition and calls are
    // ordered by when they were made.
    for (const record of records) touched.add(this.append(log, record));
    if (log.compacted) for (const partition of touched) this.compact(log, partition);
    for (const group of this.groups.values()) {
      if (group.topic !== log) continue;
      for (const partition of touched) this.schedule(group, partition);
    }
  }

  /** Appends one record to its partition; returns the partition. */
  private append(log: TopicLog, record: BusRecord): number {
    const partition = partitionForKey(record.key, log.partitions.length);
    const stored = log.partitions[partition]!;
    const offset = String(log.dropped[partition]! + stored.length);
    // Copied: the publisher may reuse its buffer once publish resolves, as with Kafka.
    const value = copyOf(record.value);
    stored.push(record.headers ? { key: record.key, value, headers: { ...record.headers }, offset } : { key: record.key, value, offset });
    return partition;
  }

  /** After a call's only append, to `partition`: compacts it if due, and hands its new records to every group of the topic. */
  private wake(log: TopicLog, partition: number): void {
    if (log.compacted) this.compact(log, partition);
    for (const group of this.groups.values()) if (group.topic === log) this.schedule(group, partition);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    const log = this.topicLog(options.topic);
    const groupKey = `${options.group}\u0000${options.topic}`;
    let group = this.groups.get(groupKey);
    if (!group) {
      const fromBeginning = options.fromBeginning ?? true;
      const cursors: PartitionCursor[] = [];
      const created: GroupState = { topic: log, cursors, members: [], owners: [] };
      log.partitions.forEach((records, partition) => cursors.push(this.cursor(created, partition, log.dropped[partition]! + (fromBeginning ? 0 : records.length))));
      group = created;
      this.groups.set(groupKey, group);
    }
    const member: Member = { handler: options.handler, closed: false, inFlight: new Set() };
    group.members.push(member);
    this.assign(group);

    const joined = group;
    let closing: Promise<void> | undefined;
    const subscription: Subscription = {
      close: () => {
        closing ??= (async () => {
          member.closed = true;
          const index = joined.members.indexOf(member);
          if (index >= 0) joined.members.splice(index, 1);
          this.assign(joined);
          // Calls already handed to this member finish (and commit) before close resolves; the
          // partitions' next batches wait for them, so the new owners never overlap with them.
          while (member.inFlight.size > 0) await Promise.allSettled([...member.inFlight]);
          this.subscriptions.delete(subscription);
        })();
        return closing;
      },
      lagByPartition: async () => {
        const lag = new Map<number, number>();
        joined.cursors.forEach((cursor, partition) => {
          if (joined.owners[partition] !== member) return;
          lag.set(partition, joined.topic.dropped[partition]! + joined.topic.partitions[partition]!.length - cursor.committed);
        });
        return lag;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async readToEnd(topic: string, visit: ReadVisitor): Promise<void> {
    this.assertOpen();
    const log = this.topicLog(topic);
    const ends = log.partitions.map((records, partition) => log.dropped[partition]! + records.length);
    for (let partition = 0; partition < ends.length; partition++) {
      const end = ends[partition]!;
      // By offset, not array position: a compaction between two visits shifts the array.
      let next = 0;
      for (;;) {
        const records = log.partitions[partition]!;
        const from = firstAtOrAfter(records, next);
        const batch: ConsumedRecord[] = [];
        for (let i = from; i < records.length && batch.length < this.maxBatchRecords && Number(records[i]!.offset) < end; i++) batch.push(records[i]!);
        if (batch.length === 0) break;
        await visit({ topic, partition, records: batch });
        next = Number(batch[batch.length - 1]!.offset) + 1;
      }
    }
  }

  /** Records of `topic` not committed by `group`: all of them when the group never subscribed. */
  async lag(group: string, topic: string): Promise<number> {
    const log = this.topicLog(topic);
    const state = this.groups.get(`${group}\u0000${topic}`);
    let lag = 0;
    log.partitions.forEach((records, partition) => {
      const end = log.dropped[partition]! + records.length;
      lag += end - (state?.cursors[partition]!.committed ?? log.dropped[partition]!);
    });
    return lag;
  }

  /** Closes every subscription (in-flight handler calls finish first) and cancels pending re-deliveries. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    for (const group of this.groups.values()) {
      for (const cursor of group.cursors) {
        if (cursor.retryTimer) this.clock.clearTimeout(cursor.retryTimer);
        cursor.retryTimer = undefined;
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MemoryBus is closed');
  }

  private topicLog(topic: string): TopicLog {
    const log = this.topics.get(topic);
    if (!log) throw new Error(`unknown topic ${topic}: create it with ensureTopics first`);
    return log;
  }

  /** Drops the partition's records every group of the topic has committed, a chunk at a time. */
  private dropCommittedRecords(log: TopicLog, partition: number): void {
    let committedByAll = Number.POSITIVE_INFINITY;
    for (const group of this.groups.values()) {
      if (group.topic === log) committedByAll = Math.min(committedByAll, group.cursors[partition]!.committed);
    }
    const droppable = committedByAll - log.dropped[partition]!;
    const records = log.partitions[partition]!;
    if (!Number.isFinite(droppable) || droppable < Math.max(DROP_CHUNK, records.length / 2)) return;
    records.splice(0, droppable);
    log.dropped[partition]! += droppable;
  }

  /**
   * Keeps only the latest record of each key, tried whenever the partition doubled since the
   * last try (amortised O(1) per record; memory stays within about twice the keys). Only while
   * no consumer group reads the topic: a group's cursor counts array positions, which
   * compaction would shift under it.
   */
  private compact(log: TopicLog, partition: number): void {
    const records = log.partitions[partition]!;
    if (records.length < log.compactAt[partition]!) return;
    for (const group of this.groups.values()) if (group.topic === log) return;
    const latest = new Map<string, number>();
    records.forEach((record, index) => latest.set(record.key, index));
    const kept = records.filter((record, index) => latest.get(record.key) === index);
    log.dropped[partition]! += records.length - kept.length;
    // In place (subscribers and readers hold this array); no spread: it may hold more records than a call takes arguments.
    records.length = 0;
    for (const record of kept) records.push(record);
    log.compactAt[partition] = Math.max(DROP_CHUNK, 2 * kept.length);
  }

  /** Recomputes which member owns each partition and wakes every partition up. */
  private assign(group: GroupState): void {
    const n = group.members.length;
    group.owners = group.cursors.map((_, partition) => (n === 0 ? undefined : group.members[partition % n]));
    group.cursors.forEach((_, partition) => this.schedule(group, partition));
  }

  /** A partition's cursor for a group, starting at `committed`, with its callbacks. */
  private cursor(group: GroupState, partition: number, committed: number): PartitionCursor {
    const cursor: PartitionCursor = {
      committed,
      busy: false,
      failures: 0,
      retryTimer: undefined,
      batch: undefined,
      end: committed,
      owner: undefined,
      call: undefined,
      deliverNext: () => this.deliver(group, partition),
      // A call that resolves with effects still settling (SettlingBatch) is over only once they
      // settled: the memory bus hands a partition's next batch after its effects, so a failed
      // effect is a rejection like any other.
      handled: (handled) => (handled ? handled.settled.then(cursor.succeeded, cursor.failed) : cursor.succeeded()),
      succeeded: () => this.succeeded(group, partition, cursor),
      failed: (error) => this.failed(group, partition, cursor, error),
    };
    return cursor;
  }

  /**
   * Hands the partition's next batch out on a later tick, never inside publish or subscribe
   * (a resolved promise's callback: queueMicrotask's timing without its AsyncResource per call).
   */
  private schedule(group: GroupState, partition: number): void {
    void RESOLVED.then(group.cursors[partition]!.deliverNext);
  }

  private deliver(group: GroupState, partition: number): void {
    const cursor = group.cursors[partition]!;
    const owner = group.owners[partition];
    const records = group.topic.partitions[partition]!;
    const dropped = group.topic.dropped[partition]!;
    if (this.closed || cursor.busy || !owner || owner.closed || cursor.committed >= dropped + records.length) return;

    const end = Math.min(dropped + records.length, cursor.committed + this.maxBatchRecords);
    const batch: BusBatch = {
      topic: group.topic.name,
      partition,
      records: records.slice(cursor.committed - dropped, end - dropped),
    };
    cursor.busy = true;
    cursor.batch = batch;
    cursor.end = end;
    cursor.owner = owner;
    // The partition's own settlement callbacks (no async frame, closure or `finally` promise
    // per call); a synchronous throw counts as a rejection.
    let started: Promise<void | SettlingBatch>;
    try {
      started = Promise.resolve(owner.handler(batch));
    } catch (error) {
      started = Promise.reject(error);
    }
    const call = started.then(cursor.handled, cursor.failed);
    cursor.call = call;
    owner.inFlight.add(call);
  }

  /** The call in hand resolved (and its effects settled): its records are committed for the group. */
  private succeeded(group: GroupState, partition: number, cursor: PartitionCursor): void {
    cursor.owner!.inFlight.delete(cursor.call!);
    cursor.committed = cursor.end;
    cursor.failures = 0;
    cursor.busy = false;
    cursor.batch = cursor.owner = cursor.call = undefined;
    if (this.dropCommitted) this.dropCommittedRecords(group.topic, partition);
    this.schedule(group, partition);
  }

  /** The call in hand rejected (or an effect of it failed): nothing is committed, and the same records go out again after the backoff. */
  private failed(group: GroupState, partition: number, cursor: PartitionCursor, error: unknown): void {
    const batch = cursor.batch!;
    cursor.owner!.inFlight.delete(cursor.call!);
    cursor.batch = cursor.owner = cursor.call = undefined;
    try {
      this.onHandlerError?.(error, batch);
    } catch {
      // A failing observer must not stop re-delivery.
    }
    // Nothing is committed: the same records (from `committed` on) go out again after the
    // backoff; `busy` stays set meanwhile so a publish does not cut the backoff short.
    cursor.failures += 1;
    const delay = backoffCeilingMs({ minDelayMs: this.retryInitialMs, maxDelayMs: this.retryMaxMs }, cursor.failures - 1);
    cursor.retryTimer = this.clock.setTimeout(() => {
      cursor.retryTimer = undefined;
      cursor.busy = false;
      this.deliver(group, partition);
    }, delay);
  }
}

/** Index of the first record at or after `offset` (records are in offset order, maybe with gaps). */
function firstAtOrAfter(records: readonly ConsumedRecord[], offset: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (Number(records[mid]!.offset) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A record's value as its own Node Buffer, as Kafka's and Redis' clients hand values over:
 * protobufjs decodes a Buffer about twice as fast as a plain Uint8Array (native UTF-8 reads
 * for the strings), and each consumer decodes every record. One buffer per record, not from
 * Node's shared pool nor shared with the other records of the call: what a consumer keeps of
 * a record (a group message held for re-pushes, a compacted topic's latest record) keeps only
 * that record's bytes alive.
 */
function copyOf(value: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafeSlow(value.byteLength);
  copy.set(value);
  return copy;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, got ${value}`);
  return value;
}

/** Kafka's default partitioner for keyed records: `toPositive(murmur2(utf8(key))) % partitions`. */
export function partitionForKey(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils#murmur2), on 32-bit ints. */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The 1 to 3 trailing bytes (Java's switch with fall-through).
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}
