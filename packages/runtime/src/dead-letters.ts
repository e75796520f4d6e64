// Where a poison record goes: the dead-letter topic (`<prefix>.dead-letter`), with its key and
// value as consumed and headers naming its source and the error; counted, logged, and its
// client answered with an error frame when the record was a client's request.
import { ErrorCode, ErrorCodeValue, errorCodeName, isRetryable, ParleyError, parley, asConnectionId, asGatewayId, asUserId } from '@parley/protocol';
import { DownlinkBatcher, type Bus, type BusRecord, type ConsumedRecord, type Downlink } from '@parley/ports';
import type { Counter, Logger } from '@parley/observability';

/** Headers of a dead-lettered record (its own headers are kept beside them). */
export const DEAD_LETTER_HEADERS = {
  topic: 'parley-source-topic',
  partition: 'parley-source-partition',
  offset: 'parley-source-offset',
  errorName: 'parley-error-name',
  error: 'parley-error',
} as const;

/** Longest error text kept in a header. */
const MAX_ERROR_CHARS = 2_000;

/** Who sent the request a record carries, so the failure can be answered; undefined when nobody waits for an answer. */
export interface Requester {
  readonly origin: parley.v1.IOrigin;
  /** The msg_id or request_id the answer names ('' when the request has none). */
  readonly msgId: string;
}

/** Each service says who, if anyone, a record of its topic answers to. */
export type RequesterOf = (record: ConsumedRecord) => Requester | undefined;

export interface DeadLetterSource {
  readonly topic: string;
  readonly partition: number;
}

export interface DeadLettersOptions {
  readonly bus: Bus;
  readonly downlink: Downlink;
  /** `<prefix>.dead-letter`. */
  readonly topic: string;
  /** parley_consumer_dead_letters_total{topic, reason}. */
  readonly counter: Counter<'topic' | 'reason'>;
  readonly logger: Logger;
  readonly requesterOf?: RequesterOf;
}

export class DeadLetters {
  constructor(private readonly options: DeadLettersOptions) {}

  /**
   * Writes the record to the dead-letter topic (rejects when the bus is unavailable: then the
   * record is not skipped, its batch is handed again), then counts, logs and answers it.
   */
  async write(source: DeadLetterSource, record: ConsumedRecord, error: unknown): Promise<void> {
    const { bus, topic, counter, logger } = this.options;
    const reason = reasonOf(error);
    await bus.publish(topic, [deadLetterRecord(source, record, error)]);
    counter.inc({ topic: source.topic, reason });
    logger.error(
      { topic: source.topic, partition: source.partition, offset: record.offset, key: record.key, reason, err: error, deadLetterTopic: topic },
      'poison record: handling it failed on its own; written to the dead-letter topic and skipped',
    );
    await this.answer(record, error);
  }

  /** Best effort: the record is already safe in the dead-letter topic; a lost answer is retried by the client's own timeout. */
  private async answer(record: ConsumedRecord, error: unknown): Promise<void> {
    let requester: Requester | undefined;
    try {
      requester = this.options.requesterOf?.(record);
    } catch {
      requester = undefined;
    }
    if (!requester?.origin.gatewayId || !requester.origin.userId) return;
    const code: ErrorCodeValue = error instanceof ParleyError ? error.code : ErrorCode.INTERNAL;
    const message = error instanceof ParleyError ? error.message : 'the server failed to handle this request; retry later';
    const out = new DownlinkBatcher();
    out.add(
      {
        gatewayId: asGatewayId(requester.origin.gatewayId),
        user: asUserId(requester.origin.userId),
        connectionId: asConnectionId(requester.origin.connectionId ?? ''),
      },
      { error: { code, message, retryable: isRetryable(code), msgId: requester.msgId } },
    );
    try {
      await out.flush(this.options.downlink);
    } catch (err) {
      this.options.logger.warn({ err, offset: record.offset }, 'could not answer the client of a poison record');
    }
  }
}

export function deadLetterRecord(source: DeadLetterSource, record: ConsumedRecord, error: unknown): BusRecord {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [DEAD_LETTER_HEADERS.topic]: source.topic,
      [DEAD_LETTER_HEADERS.partition]: String(source.partition),
      [DEAD_LETTER_HEADERS.offset]: record.offset,
      [DEAD_LETTER_HEADERS.errorName]: reasonOf(error),
      [DEAD_LETTER_HEADERS.error]: text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text,
    },
  };
}

/** A small set of label values: the error code name, else the error class name. */
export function reasonOf(error: unknown): string {
  if (error instanceof ParleyError) return errorCodeName(error.code) ?? String(error.code);
  if (error instanceof Error) return /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(error.name) ? error.name : 'Error';
  return 'non_error';
}
