// How far each partition of a subscription is durable, when a handler call may end before its
// effects settle (SettlingBatch): the fetch position moves on as soon as a call is over, the
// commit position only over calls whose effects all settled, in offset order. A failed effect
// sends the partition back to the first record not durable.
import type { OffsetsByTopicPartition } from 'kafkajs';

/** Told when an effect failed: hand `partition` again from `offset` (the first record not durable). */
export type SettleFailed = (partition: number, offset: string, error: unknown) => void;

interface Call {
  /** First offset of the call's records. */
  readonly first: string;
  /** Offset after the call's last record: where the commit position moves once it settled. */
  readonly next: string;
  settled: boolean;
}

interface PartitionLine {
  /** Moves on at every failure and rebalance: a call from an older epoch counts for nothing. */
  epoch: number;
  /** Calls over whose effects (or an earlier call's) have not all settled, in offset order. */
  readonly calls: Call[];
  /** Offset after the last record durable with everything before it; undefined = none yet. */
  durable: string | undefined;
  /** Last position committed (or being committed) from this line. */
  committed: string | undefined;
}

/**
 * One per subscription (one topic). The bus takes an epoch before each handler call and reports
 * the call with it once over; a call reported with an older epoch (it began before a failure of
 * an earlier call of its partition, or before a rebalance) is dropped: its records are handed
 * again from the failure's offset, or by the partition's next owner, from the committed one.
 */
export class SettlingOffsets {
  private readonly lines = new Map<number, PartitionLine>();
  /** Effects still settling, for close(): every one ends (settled or failed). */
  private readonly unsettled = new Set<Promise<unknown>>();

  constructor(
    private readonly topic: string,
    private readonly onFailed: SettleFailed,
    /** Told when a call's effects of `partition` settled (e.g. to reset a backoff). */
    private readonly onSettled?: (partition: number) => void,
  ) {}

  /** Taken before a handler call of `partition`; handed back to `handled`. */
  epochOf(partition: number): number {
    return this.line(partition).epoch;
  }

  /**
   * A handler call of `partition` that began at `epoch` is over, with records `first`..`last`.
   * `settled`: its effects still on their way (undefined: durable already). False when the
   * call was dropped (its epoch is gone): then its fetch position must not move either.
   */
  handled(partition: number, epoch: number, first: string, last: string, settled?: Promise<void>): boolean {
    const line = this.line(partition);
    if (line.epoch !== epoch) {
      // Its records are handed again; how its own effects end does not matter any more.
      settled?.catch(() => undefined);
      return false;
    }
    const call: Call = { first, next: (BigInt(last) + 1n).toString(), settled: settled === undefined };
    line.calls.push(call);
    if (settled) {
      const watched = settled.then(
        () => {
          if (line.epoch !== epoch) return;
          call.settled = true;
          advance(line);
          this.onSettled?.(partition);
        },
        (error: unknown) => {
          if (line.epoch !== epoch) return;
          const from = line.calls[0]!.first;
          line.epoch += 1;
          line.calls.length = 0;
          this.onFailed(partition, from, error);
        },
      );
      this.unsettled.add(watched);
      void watched.finally(() => this.unsettled.delete(watched));
    } else {
      advance(line);
    }
    return true;
  }

  /** Durable positions not committed yet (kafkajs' commit format): what the committer commits. */
  uncommitted(): OffsetsByTopicPartition {
    const partitions: Array<{ partition: number; offset: string }> = [];
    for (const [partition, line] of this.lines) {
      if (line.durable !== undefined && line.durable !== line.committed) partitions.push({ partition, offset: line.durable });
    }
    return { topics: partitions.length === 0 ? [] : [{ topic: this.topic, partitions }] };
  }

  /** `offsets` (from `uncommitted`) were committed. */
  committed(offsets: OffsetsByTopicPartition): void {
    for (const { topic, partitions } of offsets.topics) {
      if (topic !== this.topic) continue;
      for (const { partition, offset } of partitions) {
        const line = this.lines.get(partition);
        if (line && line.durable !== undefined && BigInt(offset) <= BigInt(line.durable)) line.committed = offset;
      }
    }
  }

  /**
   * The group was joined again (a rebalance): positions start over from what the group has
   * committed; effects still settling from before count for nothing (their records are handed
   * again, here or to the partition's new owner).
   */
  rejoined(): void {
    for (const line of this.lines.values()) {
      line.epoch += 1;
      line.calls.length = 0;
      line.durable = undefined;
      line.committed = undefined;
    }
  }

  /** Resolves once every effect reported so far has settled or failed. */
  async idle(): Promise<void> {
    while (this.unsettled.size > 0) await Promise.allSettled([...this.unsettled]);
  }

  private line(partition: number): PartitionLine {
    let line = this.lines.get(partition);
    if (!line) {
      line = { epoch: 0, calls: [], durable: undefined, committed: undefined };
      this.lines.set(partition, line);
    }
    return line;
  }
}

/** Moves the durable position over the settled calls at the front. */
function advance(line: PartitionLine): void {
  while (line.calls.length > 0 && line.calls[0]!.settled) line.durable = line.calls.shift()!.next;
}
