// Keeps one record that can never be handled from blocking its partition. A batch that fails
// transiently (the infrastructure unavailable: failure-kind.ts) is rejected as a whole, so the
// bus hands it again after a backoff and nothing is skipped. A batch that fails otherwise is
// tried once more, then split in halves, in order, down to the records that fail on their own
// (about 2 log2(n) calls for one poison record among n, instead of n); such a record (failing,
// and not transiently) goes to the dead-letter topic and the others are handled. Handlers are
// idempotent, so the records handled again on the way are harmless.
import type { BatchHandler, BusBatch, ConsumedRecord, SettlingBatch } from '@parley/ports';
import { classifyFailure } from './failure-kind';

export interface PoisonIsolationHooks {
  /** Sets the poison record aside; rejecting (bus unavailable) rejects the batch, so it is retried. */
  readonly deadLetter: (batch: BusBatch, record: ConsumedRecord, error: unknown) => Promise<void>;
  /** Told about every transient failure (the batch is handed again after the bus's backoff). */
  readonly onTransient?: (batch: BusBatch, error: unknown) => void;
  /** Told when a batch's call resolves (its records handled or dead-lettered; its settling effects may still be on their way). */
  readonly onHandled?: (batch: BusBatch) => void;
}

/**
 * A handler call may end with effects still settling (SettlingBatch): they are passed on to the
 * bus, which hands the partition again from the failed batch if one fails. The partition's next
 * call then waits for its own effects, so that a failure there (transient or poison) goes
 * through the rules above like a rejection; so does every call while a batch is being split.
 */
export function isolatePoisonRecords(handler: BatchHandler, hooks: PoisonIsolationHooks): BatchHandler {
  /** Partitions whose last settling effects failed: their next call waits for its effects. */
  const awaitEffects = new Set<number>();
  /** Undefined when the records were handled; the error when they failed for good; throws a transient failure. */
  const attempt = async (batch: BusBatch, records: readonly ConsumedRecord[]): Promise<unknown> => {
    try {
      const handled = await handler(records === batch.records ? batch : { topic: batch.topic, partition: batch.partition, records });
      if (handled) await handled.settled;
      return undefined;
    } catch (error) {
      return failedWith(batch, error);
    }
  };
  const failedWith = (batch: BusBatch, error: unknown): unknown => {
    if (classifyFailure(error) === 'transient') {
      hooks.onTransient?.(batch, error);
      throw error;
    }
    return error ?? new Error('handler rejected without a reason');
  };
  /** `records` failed for good together (with `error`): handles each half in order, recursing into a failing one. */
  const split = async (batch: BusBatch, records: readonly ConsumedRecord[], error: unknown): Promise<void> => {
    if (records.length === 1) return hooks.deadLetter(batch, records[0]!, error);
    const middle = Math.ceil(records.length / 2);
    for (const half of [records.slice(0, middle), records.slice(middle)]) {
      const failed = await attempt(batch, half);
      if (failed !== undefined) await split(batch, half, failed);
    }
  };
  /**
   * After a batch's first call: `error` undefined when it handled the records, else what it
   * failed with for good (the batch is then tried once more, and split if that fails too).
   */
  const recover = async (batch: BusBatch, error: unknown): Promise<void> => {
    const again = error === undefined ? undefined : await attempt(batch, batch.records);
    if (again !== undefined) await split(batch, batch.records, again);
    awaitEffects.delete(batch.partition);
    hooks.onHandled?.(batch);
  };
  /** The first call of a partition whose last settling effects failed waits for its own effects. */
  const awaitingEffects = async (batch: BusBatch): Promise<void> => recover(batch, await attempt(batch, batch.records));
  /** A first call's failure: a transient one rejects the batch as a whole (`failedWith` throws it), any other is retried and split. */
  const recoverFrom = async (batch: BusBatch, error: unknown): Promise<void> => recover(batch, failedWith(batch, error));
  /** The first call resolved: its settling effects are passed on (a failure among them makes the partition's next call wait for its own). */
  const handledFirst = (batch: BusBatch, handled: void | SettlingBatch): void | SettlingBatch => {
    hooks.onHandled?.(batch);
    if (!handled) {
      awaitEffects.delete(batch.partition);
      return handled;
    }
    const settled = handled.settled.catch((error: unknown) => {
      awaitEffects.add(batch.partition);
      if (classifyFailure(error) === 'transient') hooks.onTransient?.(batch, error);
      throw error;
    });
    return { settled };
  };
  // The common case (the partition's last effects did not fail, the call resolves) is one
  // settlement callback on the handler's own promise: no async frame, closure or promise of
  // its own per call. A rejection (or a synchronous throw) goes through `recoverFrom`.
  return (batch) => {
    if (awaitEffects.has(batch.partition)) return awaitingEffects(batch);
    let call: Promise<void | SettlingBatch>;
    try {
      // Promise.resolve hands a native promise back as it is (a handler that is not async still works).
      call = Promise.resolve(handler(batch));
    } catch (error) {
      return recoverFrom(batch, error);
    }
    return call.then(
      (handled) => handledFirst(batch, handled),
      (error: unknown) => recoverFrom(batch, error),
    );
  };
}
