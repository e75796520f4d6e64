// message.delivered application events (webhooks) to the deliver topic, off delivery's
// critical path: a batch hands its events over once its own effects are done and goes on; one
// publish at a time takes everything queued (so the events keep their order), and a publish
// the bus refuses is tried again after a pause. Awaiting a Kafka produce in every batch doubled
// the send-to-msg:N time under load (bench/results, app events), so the events are not part of
// the batch's commit: a delivery process that dies before its queue is out loses those events,
// and past MAX_QUEUED the oldest are dropped (counted), as a webhook is not worth holding
// messages for.
import type { Bus, BusRecord, Clock } from '@parley/ports';
import type { Counter, Logger } from '@parley/observability';

/** Most events waiting (a bus outage): past it the oldest are dropped. */
const MAX_QUEUED = 100_000;
/** Pause after a refused publish, in ms. */
const RETRY_MS = 1_000;
/** At most one log line about refused publishes per this long, in ms. */
const LOG_EVERY_MS = 10_000;

export class AppEventPublisher {
  private queued: BusRecord[] = [];
  private running = false;
  private stopped = false;
  private loggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly bus: Bus,
    private readonly topic: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** `parley_delivery_app_events_dropped_total`. */
    private readonly dropped: Counter<string>,
  ) {}

  publish(records: readonly BusRecord[]): void {
    if (records.length === 0 || this.stopped) return;
    this.queued.push(...records);
    if (this.queued.length > MAX_QUEUED) {
      const over = this.queued.length - MAX_QUEUED;
      this.queued.splice(0, over);
      this.dropped.inc(over);
    }
    if (!this.running) void this.drain();
  }

  /** Stops taking events; what is queued is tried once more. */
  async stop(): Promise<void> {
    this.stopped = true;
    const last = this.queued.splice(0);
    if (last.length > 0) await this.bus.publish(this.topic, last).catch(() => this.dropped.inc(last.length));
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queued.length > 0 && !this.stopped) {
      const records = this.queued;
      this.queued = [];
      try {
        await this.bus.publish(this.topic, records);
      } catch (err) {
        this.queued = [...records, ...this.queued];
        const now = this.clock.now();
        if (now - this.loggedAt >= LOG_EVERY_MS) {
          this.loggedAt = now;
          this.logger.warn({ err, queued: this.queued.length }, 'message.delivered events refused by the bus; retrying');
        }
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, RETRY_MS));
      }
    }
    this.running = false;
  }
}
