// Commits a subscription's processed offsets every `intervalMs` from a timer instead of inside
// the handler path: a commit is a round trip to the group coordinator, and kafkajs issues the
// next fetch only after the current batches are done, so a commit awaited there adds a round
// trip to the latency of every record fetched after it.
import type { EachBatchPayload, OffsetsByTopicPartition } from 'kafkajs';

/** The part of kafkajs' eachBatch payload that commits: valid for the consumer's lifetime. */
export type CommitAccess = Pick<EachBatchPayload, 'uncommittedOffsets' | 'commitOffsetsIfNecessary'>;

/**
 * Only what `access.uncommittedOffsets()` names is committed: the bus hands the positions its
 * SettlingOffsets holds durable (records whose handler call and effects are done), so nothing
 * unprocessed is ever committed; waiting only widens
 * what a crash hands again (at-least-once, handlers are idempotent). One commit in flight at a
 * time, so commits never land out of order. With an interval, pending offsets are committed by a
 * timer every interval (a handler call never waits for a commit) and on close; with 0, at the
 * end of every handler call, which then waits for it.
 */
export class OffsetCommitter {
  private access: CommitAccess | undefined;
  private committing: Promise<void> | undefined;
  private closed = false;
  /** Commits what is pending every interval; none when every call commits. */
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.commitPending().catch(this.onError), intervalMs);
      this.timer.unref();
    }
  }

  /**
   * After a handler call's offsets were resolved: remembers where to commit them. Commits (and
   * waits for it) only without an interval or once closing; otherwise the timer commits.
   */
  async resolved(access: CommitAccess): Promise<void> {
    this.access = access;
    if (this.closed || this.intervalMs <= 0) await this.commitPending();
  }

  /** Commits whatever is resolved and not committed yet (waits for a commit in flight first). */
  async commitPending(): Promise<void> {
    while (this.committing) await this.committing.catch(() => undefined);
    const access = this.access;
    if (!access) return;
    const pending: OffsetsByTopicPartition = access.uncommittedOffsets();
    if (pending.topics.length === 0) return;
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
