// Notices a consumer that has records waiting but has not finished a batch for too long: a
// handler stuck forever, a retry loop that never succeeds, a client library that stopped
// fetching. Such a process looks alive (its HTTP server answers) while the users whose traffic
// goes through its partitions get nothing; the watchdog makes it say so (/healthz fails) and
// lets it end, so its supervisor restarts it and the partitions move on.
import type { Clock, TimerHandle } from '@parley/ports';

export interface Stall {
  /** How long no batch was finished, in ms. */
  readonly idleMs: number;
  /** Records waiting on the consumer's partitions at the last check. */
  readonly lag: number;
}

export interface StallWatchdogOptions {
  readonly clock: Clock;
  /** No finished batch for this long while records wait = stalled, in ms. */
  readonly stallMs: number;
  /** Between two lag readings, in ms. Default: a quarter of `stallMs`, at most 5000. */
  readonly checkEveryMs?: number;
  /** Records waiting on the partitions this consumer owns. A rejection skips that check. */
  readonly lag: () => Promise<number>;
  /** Called once, when the consumer is found stalled. */
  readonly onStall: (stall: Stall) => void;
}

export class StallWatchdog {
  private lastProgressAt: number;
  private timer: TimerHandle | undefined;
  private running = false;
  private stall: Stall | undefined;
  private readonly checkEveryMs: number;

  constructor(private readonly options: StallWatchdogOptions) {
    if (!(options.stallMs > 0)) throw new RangeError(`stallMs must be positive, got ${options.stallMs}`);
    this.checkEveryMs = options.checkEveryMs ?? Math.min(5_000, Math.max(1, Math.floor(options.stallMs / 4)));
    this.lastProgressAt = options.clock.now();
  }

  /** The consumer finished a batch (its handler call resolved). */
  progressed(): void {
    this.lastProgressAt = this.options.clock.now();
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
    this.lastProgressAt = this.options.clock.now();
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

  /** One reading: nothing waiting counts as progress (an idle consumer is never stalled). */
  async check(): Promise<void> {
    let lag: number;
    try {
      lag = await this.options.lag();
    } catch {
      return; // no reading, no verdict (the bus reports its own failures)
    }
    if (!this.running || this.stall) return;
    const now = this.options.clock.now();
    if (lag <= 0) {
      this.lastProgressAt = now;
      return;
    }
    const idleMs = now - this.lastProgressAt;
    if (idleMs < this.options.stallMs) return;
    this.stall = { idleMs, lag };
    this.options.onStall(this.stall);
  }
}
