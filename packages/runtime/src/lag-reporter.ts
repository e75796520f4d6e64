// Polls a consumer group's lag on the bus into the parley_bus_consumer_lag gauge.
import type { Bus, Clock, TimerHandle } from '@parley/ports';
import type { Logger, SharedMetrics } from '@parley/observability';

export class LagReporter {
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly bus: Bus,
    private readonly group: string,
    private readonly topic: string,
    private readonly metrics: SharedMetrics,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    if (!this.bus.lag) return;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.bus.lag!(this.group, this.topic)
        .then((lag) => this.metrics.consumerLag.set({ group: this.group, topic: this.topic }, lag))
        .catch((err: unknown) => this.logger.debug({ err }, 'consumer lag poll failed'))
        .finally(() => this.schedule());
    }, this.intervalMs);
  }
}
