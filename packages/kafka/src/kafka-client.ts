// Owns building the kafkajs client: brokers, client id, and kafkajs' own log lines routed to a
// small structured callback instead of kafkajs' console logger.
import { Kafka, Partitioners, logLevel as KafkaJsLogLevel, type ICustomPartitioner, type logCreator } from 'kafkajs';
import { correctRequestQueueTimers } from './request-queue-timers';

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** One log line from kafkajs (or from the bus about Kafka). */
export interface KafkaLogEntry {
  readonly level: KafkaLogLevel;
  /** kafkajs' component, e.g. `Consumer`, `Runner`, `Connection`; `KafkaBus` for the adapter's own lines. */
  readonly namespace: string;
  readonly message: string;
  /** The rest of kafkajs' structured fields (groupId, topic, error, stack, ...). */
  readonly fields: Readonly<Record<string, unknown>>;
}

export type KafkaLogger = (entry: KafkaLogEntry) => void;

export interface KafkaClientOptions {
  /** `host:port` of one or more brokers. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Receives kafkajs' log lines at `logLevel` and above. Default: one JSON line per entry on stderr. */
  readonly logger?: KafkaLogger;
  /** Default `warn`. */
  readonly logLevel?: KafkaLogLevel;
  /** TCP connect timeout, in ms. Default 3000. */
  readonly connectionTimeoutMs?: number;
  /** Timeout of one request to a broker, in ms. Default 30000. */
  readonly requestTimeoutMs?: number;
}

/** Keys remembered per partition count before the memo starts over (bounds its memory). */
const MEMO_KEYS = 100_000;

/**
 * The partitioner every parley producer uses: kafkajs' DefaultPartitioner, murmur2 like the Java
 * client (so a key lands on the same partition as with MemoryBus and Java tools). Naming it
 * explicitly is also what keeps kafkajs from printing its v2 partitioner notice (the
 * KAFKAJS_NO_PARTITIONER_WARNING variable is then not needed).
 *
 * kafkajs' own runs murmur2 on 64-bit emulated integers and filters the topic's partition list
 * for every message (a visible share of a gateway's CPU in profiles); a key's partition depends
 * only on the key and the partition count, so it is computed once per key and remembered.
 * Records without a key, or with a partition set, go to kafkajs' partitioner as they are.
 */
export const defaultPartitioner: ICustomPartitioner = () => {
  const partitionOf = Partitioners.DefaultPartitioner();
  const memo = new Map<number, Map<string, number>>();
  return (args) => {
    const { message, partitionMetadata } = args;
    const key = message.key;
    if (typeof key !== 'string' || (message.partition !== null && message.partition !== undefined)) return partitionOf(args);
    const count = partitionMetadata.length;
    let byKey = memo.get(count);
    if (!byKey) memo.set(count, (byKey = new Map()));
    let partition = byKey.get(key);
    if (partition === undefined) {
      partition = partitionOf(args);
      if (byKey.size >= MEMO_KEYS) byKey.clear();
      byKey.set(key, partition);
    }
    return partition;
  };
};

const toKafkaJs: Record<KafkaLogLevel, KafkaJsLogLevel> = {
  error: KafkaJsLogLevel.ERROR,
  warn: KafkaJsLogLevel.WARN,
  info: KafkaJsLogLevel.INFO,
  debug: KafkaJsLogLevel.DEBUG,
};

function fromKafkaJs(level: KafkaJsLogLevel): KafkaLogLevel {
  switch (level) {
    case KafkaJsLogLevel.ERROR:
    case KafkaJsLogLevel.NOTHING:
      return 'error';
    case KafkaJsLogLevel.WARN:
      return 'warn';
    case KafkaJsLogLevel.INFO:
      return 'info';
    case KafkaJsLogLevel.DEBUG:
      return 'debug';
  }
}

/** Writes one JSON line per entry to stderr: the fallback when the caller passes no logger. */
export const stderrKafkaLogger: KafkaLogger = (entry) => {
  process.stderr.write(
    `${JSON.stringify({
      time: new Date().toISOString(),
      level: entry.level,
      component: `kafkajs.${entry.namespace}`,
      msg: entry.message,
      ...entry.fields,
    })}\n`,
  );
};

const severity: Record<KafkaLogLevel, number> = { error: 3, warn: 2, info: 1, debug: 0 };

/**
 * The broker answers kafkajs retries by itself (its own table of error codes, the one its
 * retrier reads): "coordinator is loading", "group coordinator is not available", "not the
 * leader for that topic-partition", ... A fresh broker gives them for a few seconds while it
 * elects leaders and loads __consumer_offsets.
 */
const RETRIABLE_ANSWERS: ReadonlySet<string> = new Set(
  (require('kafkajs/src/protocol/error') as { errorCodes: ReadonlyArray<{ message: string; retriable: boolean }> }).errorCodes
    .filter((code) => code.retriable)
    .map((code) => code.message),
);

/**
 * kafkajs' Connection logs every error answer from a broker at error level, including the
 * "group is rebalancing" answers every member gets to its heartbeats and commits during a
 * routine rebalance, and the retriable answers of a broker that is starting or moving a
 * leader: those are reported as info (a request that keeps failing ends in an error of its
 * caller, which is logged as such).
 */
export function levelOf(level: KafkaLogLevel, namespace: string, fields: Record<string, unknown>): KafkaLogLevel {
  if (level !== 'error' || namespace !== 'Connection') return level;
  const answer = String(fields.error ?? '');
  return /rebalanc/i.test(answer) || RETRIABLE_ANSWERS.has(answer) ? 'info' : level;
}

export function createKafka(options: KafkaClientOptions): Kafka {
  if (options.brokers.length === 0) throw new Error('Kafka client needs at least one broker');
  // Without it every broker connection wakes the process up every millisecond (see the file).
  correctRequestQueueTimers();
  const logger = options.logger ?? stderrKafkaLogger;
  const minimum = options.logLevel ?? 'warn';
  const creator: logCreator =
    () =>
    ({ namespace, level, log }) => {
      // kafkajs' entry: { timestamp, logger: 'kafkajs', message, ...fields }.
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const mapped = levelOf(fromKafkaJs(level), namespace, fields);
      if (severity[mapped] < severity[minimum]) return;
      try {
        logger({ level: mapped, namespace, message: String(message), fields });
      } catch {
        // A failing log sink must never break the Kafka client.
      }
    };
  return new Kafka({
    brokers: [...options.brokers],
    clientId: options.clientId,
    logLevel: toKafkaJs[minimum],
    logCreator: creator,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
  });
}
