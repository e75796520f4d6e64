// Keeps one record that can never be handled from blocking its partition. A batch that fails
// transiently (the infrastructure unavailable: failure-kind.ts) is rejected as a whole, so the
// bus hands it again after a backoff and nothing is skipped. A batch that fails otherwise is
// tried once more, then record by record; a record that fails on its own (and not transiently)
// goes to the dead-letter topic and the others are handled. Handlers are idempotent, so the
// records handled again on the way are harmless.
import type { BatchHandler, BusBatch, ConsumedRecord } from '@parley/ports';
import { classifyFailure } from './failure-kind';

export interface PoisonIsolationHooks {
  /** Sets the poison record aside; rejecting (bus unavailable) rejects the batch, so it is retried. */
  readonly deadLetter: (batch: BusBatch, record: ConsumedRecord, error: unknown) => Promise<void>;
  /** Told about every transient failure (the batch is handed again after the bus's backoff). */
  readonly onTransient?: (batch: BusBatch, error: unknown) => void;
}

export function isolatePoisonRecords(handler: BatchHandler, hooks: PoisonIsolationHooks): BatchHandler {
  const attempt = async (batch: BusBatch): Promise<unknown> => {
    try {
      await handler(batch);
      return undefined;
    } catch (error) {
      if (classifyFailure(error) === 'transient') {
        hooks.onTransient?.(batch, error);
        throw error;
      }
      return error ?? new Error('handler rejected without a reason');
    }
  };
  return async (batch) => {
    if ((await attempt(batch)) === undefined) return;
    const second = await attempt(batch);
    if (second === undefined) return;
    if (batch.records.length === 1) return hooks.deadLetter(batch, batch.records[0]!, second);
    for (const record of batch.records) {
      const error = await attempt({ topic: batch.topic, partition: batch.partition, records: [record] });
      if (error !== undefined) await hooks.deadLetter(batch, record, error);
    }
  };
}
