// Settings that pick and configure the adapters; part of every service's schema. The
// composition root (@parley/composition) builds the adapters from them.
import { env } from '@parley/config';
import { z } from 'zod';

/** `redis+cluster://[user:password@]host:port[,host:port...]` */
const CLUSTER_URL = /^redis\+cluster:\/\/([^@/]*@)?[^:,/@]+:\d{1,5}(,[^:,/@]+:\d{1,5})*\/?$/i;

/** A produce linger's default, in ms (PARLEY_KAFKA_PRODUCE_LINGER_MS). */
export const DEFAULT_PRODUCE_LINGER_MS = 2;

/** Environment variables read by createInfrastructure (merged into each service's schema). */
export const infrastructureSettings = {
  /** pino log level (read by the logger before the configuration is loaded). */
  PARLEY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` or `pretty` log lines (read by the logger before the configuration is loaded); unset = pretty on a terminal. */
  PARLEY_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** Comma-separated Kafka bootstrap brokers; unset = embedded in-memory bus. */
  PARLEY_KAFKA_BROKERS: env.optionalString(),
  /**
   * Redis URL; unset = embedded in-memory stores. `redis://host:port` (or `rediss://`) for one
   * server, `redis+cluster://host:port,host:port,...` (seed nodes) for Redis Cluster.
   */
  PARLEY_REDIS_URL: env
    .optionalString()
    .refine((url) => url === undefined || !/^redis\+cluster:/i.test(url) || CLUSTER_URL.test(url), {
      message: 'a Redis Cluster URL names its seed nodes: redis+cluster://[user:password@]host:port,host:port,...',
    }),
  /** Prefix of every topic and consumer group name. */
  PARLEY_TOPIC_PREFIX: env.string('parley'),
  /** Partitions of each topic when parley creates it. */
  PARLEY_TOPIC_PARTITIONS: env.int(1, 10_000, 12),
  /** Prefix of every Redis key and channel. */
  PARLEY_REDIS_PREFIX: env.string('parley:'),
  /**
   * Replicas that must hold a seq assignment before the sequencer gives it out (Redis WAIT):
   * set it to the replicas per master when Redis fails over to replicas, so a promotion never
   * hands out a seq someone was already told. 0 = no wait (one server, no failover).
   */
  PARLEY_REDIS_REPLICA_ACKS: env.int(0, 5, 0),
  /** How long the sequencer waits for those replicas before refusing (and later retrying) the assignments, in ms. */
  PARLEY_REDIS_REPLICA_ACK_TIMEOUT_MS: env.int(10, 60_000, 1_000),
  /** Kafka consumer session timeout: how soon a dead consumer's partitions move to another. */
  PARLEY_KAFKA_SESSION_TIMEOUT_MS: env.int(6_000, 300_000, 10_000),
  /**
   * Partitions one consumer processes at the same time (each partition stays in order); unset =
   * PARLEY_TOPIC_PARTITIONS, every partition of a fetch at once. kafkajs fetches again only once
   * every batch of the last fetch is handled, so a smaller value makes the batches of one fetch
   * wait for each other and every record arriving meanwhile wait for all of them.
   */
  PARLEY_KAFKA_PARTITIONS_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).optional(),
  /**
   * A consumer hands a partition its next records while the effects the last handler call
   * issued (the sequencer's forward to delivery and its msg:A answers) are still on their way;
   * the records are committed only once those effects are durable, and a failed one hands the
   * partition again from there. false = every handler call waits for its effects before the next.
   */
  PARLEY_KAFKA_HANDLE_WHILE_SETTLING: env.bool(true),
  /**
   * How long a process's publish made while no produce request is in flight waits for others
   * to share its request, in ms; 0 = sent at once. At low rates every request carries about one
   * record, and each request costs the broker and the client a whole round of work: a linger
   * trades up to this much latency per Kafka hop (two before msg:N) for fewer requests. 2 ms:
   * bench/results/produce-linger-2026-12-07d.md (Kafka 4.0's own producers linger 5 ms by default).
   */
  PARLEY_KAFKA_PRODUCE_LINGER_MS: env.int(0, 1_000, DEFAULT_PRODUCE_LINGER_MS),
  /** Newest messages kept per conversation for sync (older ones are trimmed). */
  PARLEY_RETENTION_MAX_MESSAGES: env.int(1, 10_000_000, 10_000),
  /** Messages older than this are gone from sync history. */
  PARLEY_RETENTION_MAX_AGE_MS: env.int(60_000, 3650 * 86_400_000, 30 * 86_400_000),
  /** How long a client msgId is remembered for deduplication. */
  PARLEY_DEDUPE_WINDOW_MS: env.int(60_000, 90 * 86_400_000, 7 * 86_400_000),
  /** How often the store's generation marker is read to notice that Redis lost its data, in ms (also read at every reconnect). */
  PARLEY_STORE_CHECK_INTERVAL_MS: env.int(100, 60_000, 1_000),
};

export interface InfrastructureConfig {
  readonly PARLEY_KAFKA_BROKERS?: string | undefined;
  readonly PARLEY_REDIS_URL?: string | undefined;
  readonly PARLEY_TOPIC_PREFIX: string;
  readonly PARLEY_TOPIC_PARTITIONS: number;
  readonly PARLEY_REDIS_PREFIX: string;
  readonly PARLEY_REDIS_REPLICA_ACKS: number;
  readonly PARLEY_REDIS_REPLICA_ACK_TIMEOUT_MS: number;
  readonly PARLEY_DEDUPE_WINDOW_MS: number;
  readonly PARLEY_KAFKA_SESSION_TIMEOUT_MS: number;
  readonly PARLEY_RETENTION_MAX_MESSAGES: number;
  readonly PARLEY_KAFKA_PARTITIONS_CONCURRENCY?: number | undefined;
  /** Absent = true. */
  readonly PARLEY_KAFKA_HANDLE_WHILE_SETTLING?: boolean | undefined;
  /** Absent = DEFAULT_PRODUCE_LINGER_MS. */
  readonly PARLEY_KAFKA_PRODUCE_LINGER_MS?: number | undefined;
  readonly PARLEY_RETENTION_MAX_AGE_MS: number;
  readonly PARLEY_STORE_CHECK_INTERVAL_MS: number;
}
