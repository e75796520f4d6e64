// The one place that tells a transient failure from a poison record. Transient: the bus or a
// store is unavailable (connection refused or lost, timeouts, a server that is loading or
// failing over); the same records must be handed again later and nothing skipped, or messages
// would be lost. Anything else (a bug, an unexpected value) will fail again on the same record:
// the consumer isolates that record instead of blocking its partition.
import { UnavailableError } from '@parley/ports';

export type FailureKind = 'transient' | 'poison';

/** Node's socket and DNS errors: the peer is down or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTCONN',
]);

/** ioredis' own errors when it cannot get a command to Redis. */
const REDIS_CLIENT_ERRORS = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const REDIS_CLIENT_MESSAGES = [/^Connection is closed\.?$/, /^Stream isn't writeable/, /^Connection timeout/];
/**
 * Redis replies about the server, not the command: loading, failing over, a busy script, the
 * cluster reshaping, out of memory, snapshots failing, scripts flushed, credentials refused. A
 * record is never at fault for these; dead-lettering it would lose it, while a retry (or the
 * restart the stall watchdog forces) can succeed.
 */
const REDIS_TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOREPLICAS|MOVED|ASK|OOM|MISCONF|NOSCRIPT|NOAUTH|WRONGPASS|NOPERM)\b|^ERR max number of clients reached/;

/** kafkajs errors that say the broker is unreachable even when kafkajs does not mark them retriable. */
const KAFKA_UNAVAILABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
]);

/**
 * kafkajs protocol errors (`type`) about the producer's own state, not the records: a producer
 * whose sequence numbers or id the broker no longer accepts. The bus retires such a producer
 * after a failed send, so the same records go out again on a new one; dead-lettering them
 * would lose messages.
 */
const KAFKA_PRODUCER_STATE = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'DUPLICATE_SEQUENCE_NUMBER', 'INVALID_PRODUCER_EPOCH', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_ID_MAPPING']);

/** Transient when any error in the chain (`cause`, aggregated errors) says the infrastructure is unavailable. */
export function classifyFailure(error: unknown): FailureKind {
  return isTransient(error, 0) ? 'transient' : 'poison';
}

export const isTransientFailure = (error: unknown): boolean => classifyFailure(error) === 'transient';

function isTransient(error: unknown, depth: number): boolean {
  if (depth > 8 || typeof error !== 'object' || error === null) return false;
  if (error instanceof UnavailableError) return true;
  const e = error as { name?: unknown; code?: unknown; type?: unknown; message?: unknown; transient?: unknown; retriable?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.transient === true) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (REDIS_CLIENT_ERRORS.has(name) || REDIS_CLIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (name === 'ReplyError' && REDIS_TRANSIENT_REPLY.test(message)) return true;
  if (name.startsWith('KafkaJS') && (e.retriable === true || KAFKA_UNAVAILABLE.has(name))) return true;
  if (name === 'KafkaJSProtocolError' && typeof e.type === 'string' && KAFKA_PRODUCER_STATE.has(e.type)) return true;
  if (isTransient(e.cause, depth + 1) || isTransient(e.originalError, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isTransient(inner, depth + 1));
}
