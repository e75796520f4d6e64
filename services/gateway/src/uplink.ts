// Client packets to the bus. Records are gathered per topic and published in batches,
// one publish in flight per topic so a connection's packets keep their order; a failed
// batch fails everything queued behind it too (the clients retransmit in order).
import type { Bus, BusRecord } from '@parley/ports';

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
      try {
        await this.bus.publish(
          this.topic,
          batch.map((item) => item.record),
        );
      } catch (err) {
        // What was queued behind the failed batch fails with it: published, it would land
        // before the failed records' retransmits and break their senders' order.
        const behind = this.queued.splice(0);
        for (const item of batch) item.onFailure(err as Error);
        for (const item of behind) item.onFailure(err as Error);
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
  ) {}

  publish(topic: string, item: UplinkItem): void {
    let queue = this.queues.get(topic);
    if (!queue) {
      queue = new TopicQueue(this.bus, topic, this.maxBatch);
      this.queues.set(topic, queue);
    }
    queue.push(item);
  }

  /**
   * Settles once every record handed so far was published or failed (its client told to
   * retry): a stopping gateway waits for it, so frames it received reach the bus.
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
