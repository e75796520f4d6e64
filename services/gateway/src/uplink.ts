// Client packets to the bus. Records are gathered per topic and published in batches,
// one publish in flight per topic so a connection's packets keep their order; a failed
// batch fails everything queued behind it too (the clients retransmit in order). A batch
// that fails because the bus is unavailable (a broker restarting) is first held and tried
// again for a while, everything else waiting behind it: refused, every client of the
// gateway would enter its retry backoff (jittered, doubling up to tens of seconds) and keep
// its messages back long after the broker is back; held, they go out as soon as it answers.
import type { Bus, BusRecord, Clock } from '@parley/ports';
import { isTransientFailure } from '@parley/runtime';

/** How long a batch that failed transiently is held and tried again before its records are refused. */
export interface UplinkHold {
  readonly clock: Clock;
  /** A batch whose first failure is this old is refused at its next failure, in ms. */
  readonly holdMs: number;
  /** Wait between two attempts, in ms (the bus client retries within each attempt too). */
  readonly retryDelayMs: number;
  /** Records waiting behind a held batch past which it is refused at once (memory bound). */
  readonly maxWaitingRecords: number;
}

/** Defaults: a broker restart of 10 to 20 s is held through; a longer outage is refused after about that plus one attempt. */
export const DEFAULT_UPLINK_HOLD = { holdMs: 20_000, retryDelayMs: 250, maxWaitingRecords: 100_000 } as const;

export interface UplinkItem {
  readonly record: BusRecord;
  /** Called when the record could not be published (the client is told to retry). */
  readonly onFailure: (error: Error) => void;
}

class TopicQueue {
  private queued: UplinkItem[] = [];
  private inFlight = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly bus: Bus,
    private readonly topic: string,
    private readonly maxBatch: number,
    private readonly hold: UplinkHold | undefined,
  ) {}

  push(item: UplinkItem): void {
    this.queued.push(item);
    if (!this.inFlight) {
      this.inFlight = true;
      setImmediate(() => void this.drain());
    }
  }

  get depth(): number {
    return this.queued.length;
  }

  /** Settles once nothing is queued or being published (at once when idle). */
  idle(): Promise<void> {
    if (!this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0, this.maxBatch);
      const records = batch.map((item) => item.record);
      let failedSince: number | undefined;
      for (;;) {
        try {
          await this.bus.publish(this.topic, records);
          break;
        } catch (err) {
          const now = this.hold?.clock.now() ?? 0;
          failedSince ??= now;
          if (this.hold && isTransientFailure(err) && now - failedSince < this.hold.holdMs && this.queued.length <= this.hold.maxWaitingRecords) {
            await new Promise<void>((resolve) => this.hold!.clock.setTimeout(resolve, this.hold!.retryDelayMs));
            continue;
          }
          // What was queued behind the failed batch fails with it: published, it would land
          // before the failed records' retransmits and break their senders' order.
          const behind = this.queued.splice(0);
          for (const item of batch) item.onFailure(err as Error);
          for (const item of behind) item.onFailure(err as Error);
          break;
        }
      }
    }
    this.inFlight = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

export class Uplink {
  private readonly queues = new Map<string, TopicQueue>();

  constructor(
    private readonly bus: Bus,
    private readonly maxBatch = 1000,
    /** Without it, a failed batch is refused at once. */
    private readonly hold?: UplinkHold,
  ) {}

  publish(topic: string, item: UplinkItem): void {
    let queue = this.queues.get(topic);
    if (!queue) {
      queue = new TopicQueue(this.bus, topic, this.maxBatch, this.hold);
      this.queues.set(topic, queue);
    }
    queue.push(item);
  }

  /**
   * Settles once every record handed so far was published or failed (its client told to
   * retry): a stopping gateway waits for it, so frames it received reach the bus (while the
   * bus is unavailable, up to the hold and one more attempt).
   */
  async flushed(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.idle()));
  }

  get depth(): number {
    let total = 0;
    for (const queue of this.queues.values()) total += queue.depth;
    return total;
  }
}
