// Merges concurrent publishes into one produce call. kafkajs' idempotent producer holds a
// mutex per broker (one produce request in flight per broker, for its sequence numbers), so
// concurrent `send`s from one process queue behind each other one round trip at a time; sending
// whatever accumulated during the in-flight request as one call costs one round trip for all.

/** One topic's records in one produce call, in the order they were published. */
export interface TopicRecords<R> {
  readonly topic: string;
  readonly records: R[];
}

/** Sends every topic's records in one call; resolves once all are acknowledged. */
export type ProduceBatch<R> = (batch: readonly TopicRecords<R>[]) => Promise<void>;

interface Waiting<R> {
  readonly topic: string;
  readonly records: readonly R[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * At most one produce call in flight. A publish made while it is idle goes out at once (or, with
 * a linger, `lingerMs` later, with every publish made meanwhile); publishes made while a call is
 * in flight are merged (up to `maxRecordsPerCall` records, whole publishes only) into the next
 * call, which starts as soon as the current one settles.
 *
 * Order: records of one publish stay contiguous and in order, and publishes go out in the order
 * they were made, so per-key order is kept. A failed call rejects every publish it carried;
 * nothing of them is retried here (the caller retries, as with a direct send).
 */
export class ProduceCoalescer<R> {
  private waiting: Waiting<R>[] = [];
  private waitingRecords = 0;
  private inFlight = false;
  private lingering: NodeJS.Timeout | undefined;

  constructor(
    private readonly produce: ProduceBatch<R>,
    private readonly maxRecordsPerCall = 10_000,
    /**
     * How long a publish made while nothing is in flight waits for others to share its produce
     * call, in ms (0: none). Each call is a request the broker answers and appends per
     * partition, so at low rates, where every call would carry one record, this trades up to
     * `lingerMs` of latency for fewer requests; a full call goes out at once.
     */
    private readonly lingerMs = 0,
  ) {}

  /** Publishes waiting for a produce call (not counting the one in flight). */
  get depth(): number {
    return this.waiting.length;
  }

  publish(topic: string, records: readonly R[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ topic, records, resolve, reject });
      this.waitingRecords += records.length;
      if (this.inFlight) return;
      if (this.lingerMs <= 0 || this.waitingRecords >= this.maxRecordsPerCall) {
        clearTimeout(this.lingering);
        this.lingering = undefined;
        void this.drain();
      } else {
        this.lingering ??= setTimeout(() => {
          this.lingering = undefined;
          void this.drain();
        }, this.lingerMs);
      }
    });
  }

  private async drain(): Promise<void> {
    this.inFlight = true;
    while (this.waiting.length > 0) {
      const carried = this.takeCall();
      try {
        await this.produce(groupByTopic(carried));
        for (const publish of carried) publish.resolve();
      } catch (error) {
        for (const publish of carried) publish.reject(error);
      }
    }
    this.inFlight = false;
  }

  /** The next call's publishes: at least one, then whole publishes while under the record limit. */
  private takeCall(): Waiting<R>[] {
    let count = 0;
    let taken = 0;
    while (taken < this.waiting.length) {
      const size = this.waiting[taken]!.records.length;
      if (taken > 0 && count + size > this.maxRecordsPerCall) break;
      count += size;
      taken += 1;
    }
    this.waitingRecords -= count;
    return this.waiting.splice(0, taken);
  }
}

function groupByTopic<R>(publishes: readonly Waiting<R>[]): TopicRecords<R>[] {
  const byTopic = new Map<string, R[]>();
  for (const publish of publishes) {
    let records = byTopic.get(publish.topic);
    if (!records) {
      records = [];
      byTopic.set(publish.topic, records);
    }
    for (const record of publish.records) records.push(record);
  }
  return [...byTopic].map(([topic, records]) => ({ topic, records }));
}
