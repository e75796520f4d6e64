// Commits a subscription's processed offsets at most every `intervalMs` instead of after every
// handler call: a commit is a round trip to the group coordinator, and kafkajs issues the next
// fetch only after the current batches (commit included) are done, so a per-batch commit adds a
// round trip to every record's latency.
import type { EachBatchPayload, OffsetsByTopicPartition } from 'kafkajs';

/** The part of kafkajs' eachBatch payload that commits: valid for the consumer's lifetime. */
export type CommitAccess = Pick<EachBatchPayload, 'uncommittedOffsets' | 'commitOffsetsIfNecessary'>;

/**
 * Only offsets kafkajs holds as resolved are committed, and the bus resolves a record's offset
 * after its handler call resolved, so nothing unprocessed is ever committed; waiting only widens
 * what a crash hands again (at-least-once, handlers are idempotent). One commit in flight at a
 * time, so commits never land out of order. Pending offsets are committed when the interval has
 * passed at the end of a handler call, by a timer when no more records come, and on close.
 */
export class OffsetCommitter {
  private access: CommitAccess | undefined;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private committing: Promise<void> | undefined;
  private closed = false;
  /** Commits what stays pending when records stop coming; none when every call commits. */
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.commitPending().catch(this.onError), intervalMs);
      this.timer.unref();
    }
  }

  /** After a handler call's offsets were resolved: commits when the interval has passed (always once closing). */
  async resolved(access: CommitAccess): Promise<void> {
    this.access = access;
    if (this.closed || this.now() - this.lastCommitAt >= this.intervalMs) await this.commitPending();
  }

  /** Commits whatever is resolved and not committed yet (waits for a commit in flight first). */
  async commitPending(): Promise<void> {
    while (this.committing) await this.committing.catch(() => undefined);
    const access = this.access;
    if (!access) return;
    const pending: OffsetsByTopicPartition = access.uncommittedOffsets();
    if (pending.topics.length === 0) return;
    this.lastCommitAt = this.now();
    this.committing = access.commitOffsetsIfNecessary(pending).finally(() => {
      this.committing = undefined;
    });
    await this.committing;
  }

  /**
   * Stops the timer after a last commit of what is pending (its failure is reported, not thrown);
   * from then on every resolved() commits at once, so the handler call still running while the
   * consumer disconnects commits before the consumer leaves its group.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.commitPending().catch(this.onError);
  }
}
