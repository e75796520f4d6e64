// Notices a consumer that has records waiting on one of its partitions but has not finished a
// batch of that partition for too long: a handler stuck forever, a retry loop that never
// succeeds, a client library that stopped fetching one partition. Such a process looks alive
// (its HTTP server answers, its other partitions flow) while the users whose conversations hash
// to the stuck partition get nothing; the watchdog makes it say so (/healthz fails) and lets it
// end, so its supervisor restarts it and the partition moves on.
import type { Clock, TimerHandle } from '@parley/ports';

export interface Stall {
  /** The partition that made no progress. */
  readonly partition: number;
  /** How long no batch of it was finished while records waited on it, in ms. */
  readonly idleMs: number;
  /** Records waiting on it at the last check. */
  readonly lag: number;
}

export interface StallWatchdogOptions {
  readonly clock: Clock;
  /** No finished batch of a partition for this long while records wait on it = stalled, in ms. */
  readonly stallMs: number;
  /** Between two lag readings, in ms. Default: a quarter of `stallMs`, at most 5000. */
  readonly checkEveryMs?: number;
  /** Records waiting per partition this consumer owns now. A rejection skips that check. */
  readonly lag: () => Promise<ReadonlyMap<number, number>>;
  /** Called once, when the consumer is found stalled. */
  readonly onStall: (stall: Stall) => void;
  /**
   * True while the handler of `partition` is knowingly waiting (a webhook retrying a receiver
   * that is down, with its own deadline): counts as progress, so only a partition stuck for no
   * reason stalls.
   */
  readonly waiting?: (partition: number) => boolean;
}

export class StallWatchdog {
  /** Per owned partition: the last finished batch, or when records were first seen waiting. */
  private readonly lastProgressAt = new Map<number, number>();
  private timer: TimerHandle | undefined;
  private running = false;
  private stall: Stall | undefined;
  private readonly checkEveryMs: number;

  constructor(private readonly options: StallWatchdogOptions) {
    if (!(options.stallMs > 0)) throw new RangeError(`stallMs must be positive, got ${options.stallMs}`);
    this.checkEveryMs = options.checkEveryMs ?? Math.min(5_000, Math.max(1, Math.floor(options.stallMs / 4)));
  }

  /** The consumer finished a batch of `partition` (its handler call resolved). */
  progressed(partition: number): void {
    this.lastProgressAt.set(partition, this.options.clock.now());
  }

  /** False from the moment a stall is found. */
  get healthy(): boolean {
    return this.stall === undefined;
  }

  get stalled(): Stall | undefined {
    return this.stall;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastProgressAt.clear();
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (!this.running || this.stall) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.check().finally(() => this.schedule());
    }, this.checkEveryMs);
  }

  /**
   * One reading. A partition with nothing waiting counts as progressing (an idle partition is
   * never stalled); one seen waiting for the first time (just assigned, or after an idle spell)
   * gets the whole bound from now; one no longer owned is forgotten.
   */
  async check(): Promise<void> {
    let lag: ReadonlyMap<number, number>;
    try {
      lag = await this.options.lag();
    } catch {
      return; // no reading, no verdict (the bus reports its own failures)
    }
    if (!this.running || this.stall) return;
    const now = this.options.clock.now();
    for (const partition of [...this.lastProgressAt.keys()]) {
      if (!lag.has(partition)) this.lastProgressAt.delete(partition);
    }
    for (const [partition, waiting] of lag) {
      const since = this.lastProgressAt.get(partition);
      if (waiting <= 0 || since === undefined || this.options.waiting?.(partition)) {
        this.lastProgressAt.set(partition, now);
        continue;
      }
      const idleMs = now - since;
      if (idleMs < this.options.stallMs) continue;
      this.stall = { partition, idleMs, lag: waiting };
      this.options.onStall(this.stall);
      return;
    }
  }
}
