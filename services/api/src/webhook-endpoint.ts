// One webhook endpoint: a consumer of the deliver topic in a group of its own
// (`<prefix>.webhooks.<name>`), so an endpoint that is down holds back only its own events,
// never another endpoint's and never message delivery. Each partition's events go out one at
// a time, in record order: a conversation's events (a user's, for connection events) arrive
// in order. A failed callback is retried in place, the partition waiting behind it (so a
// later event never overtakes it), with exponential backoff and jitter (webhook-retry.ts),
// until PARLEY_WEBHOOK_RETRY_FOR_MS after its first failure; then it goes to
// `<prefix>.webhooks.dead-letter` and the partition moves on. Retrying in place, rather than
// rejecting the batch to the bus, keeps the bus's client from logging each retry: this
// logs one line when a failing streak starts and one when it ends, and counts every failure.
import { UnavailableError, type Clock, type BusBatch, type TimerHandle } from '@parley/ports';
import type { Logger, Registry } from '@parley/observability';
import { startConsumer, topicNames, type Consumer } from '@parley/runtime';
import type { ApiPorts } from './api-ports';
import { readDeliverRecord } from './deliver-record';
import { eventsOfRecord, webhookBody, type WebhookEvent, type WebhookEventType } from './webhook-events';
import type { WebhookMetrics } from './webhook-metrics';
import { retryDelayMs, retryExhausted, type RetryPolicy } from './webhook-retry';
import { sendWebhook, type SendOutcome } from './webhook-sender';

export interface WebhookEndpointOptions {
  readonly name: string;
  readonly url: string;
  readonly secret: string;
  readonly events: ReadonlySet<WebhookEventType>;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly topicPrefix: string;
  readonly stallMs: number;
}

export interface WebhookEndpointDeps {
  readonly infrastructure: ApiPorts;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metrics: WebhookMetrics;
  /** Jitter source in [0, 1); default Math.random. */
  readonly random?: () => number;
  /** The callback itself; default sendWebhook (tests pass a receiver of their own). */
  readonly send?: (event: WebhookEvent) => Promise<SendOutcome>;
}

export const webhookTopics = (prefix: string, endpoint: string) => ({
  source: topicNames(prefix).deliver,
  group: `${prefix}.webhooks.${endpoint}`,
  deadLetter: `${prefix}.webhooks.dead-letter`,
});

/** Thrown out of a wait cut short by stop(): the batch is handed again to whoever consumes next. */
class EndpointStoppedError extends UnavailableError {}

export class WebhookEndpoint {
  private consumer: Consumer | undefined;
  /** Per partition, the last record whose events all went out (or were dead-lettered): not sent again if the batch is handed again. */
  private readonly doneThrough = new Map<number, bigint>();
  private readonly topics;
  private readonly send: (event: WebhookEvent) => Promise<SendOutcome>;
  /** The failing streak: since when and how many failures. */
  private streak: { since: number; failures: number } | undefined;
  /** Per partition, events now waiting for a retry. */
  private readonly waiting = new Map<number, number>();
  private readonly timers = new Set<{ handle: TimerHandle; wake: () => void }>();
  private stopped = false;

  constructor(
    private readonly options: WebhookEndpointOptions,
    private readonly deps: WebhookEndpointDeps,
  ) {
    this.topics = webhookTopics(options.topicPrefix, options.name);
    this.send = deps.send ?? ((event) => sendWebhook(options.url, options.secret, event, options.timeoutMs, deps.clock));
    // Every series of the endpoint exists from the start, so alerts and dashboards see zeros.
    const labels = { webhook: options.name };
    deps.metrics.failing.set(labels, 0);
    for (const counter of [deps.metrics.sent, deps.metrics.failed, deps.metrics.deadLettered]) counter.inc(labels, 0);
  }

  get name(): string {
    return this.options.name;
  }

  async start(): Promise<void> {
    const { infrastructure } = this.deps;
    await infrastructure.bus.ensureTopics([{ name: this.topics.deadLetter, partitions: 1 }]);
    this.consumer = await startConsumer({
      bus: infrastructure.bus,
      downlink: infrastructure.downlink,
      topic: this.topics.source,
      group: this.topics.group,
      deadLetterTopic: this.topics.deadLetter,
      handler: (batch) => this.handle(batch),
      stallMs: this.options.stallMs,
      // A partition waiting for a receiver to come back is not stalled: its wait has its own deadline.
      waiting: (partition) => (this.waiting.get(partition) ?? 0) > 0,
      // A new endpoint gets the events from its first start on, not the topic's whole retention.
      fromBeginning: false,
      registry: this.deps.registry,
      logger: this.deps.logger,
      clock: this.deps.clock,
    });
  }

  get healthy(): boolean {
    return this.consumer?.healthy ?? true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) {
      this.deps.clock.clearTimeout(timer.handle);
      timer.wake();
    }
    await this.consumer?.close();
    this.consumer = undefined;
  }

  /** Exposed for tests: the events of one batch, in order, each until sent or dead-lettered. */
  async handle(batch: BusBatch): Promise<void> {
    for (const record of batch.records) {
      const done = this.doneThrough.get(batch.partition);
      if (done !== undefined && BigInt(record.offset) <= done) continue;
      const read = readDeliverRecord(record.value);
      if (read.kind === 'invalid') this.invalidRecord(read.invalid, batch.partition, record.offset);
      const events = await eventsOfRecord(read, this.deps.infrastructure, this.options.events);
      for (const event of events) await this.deliver(event, batch.partition);
      this.doneThrough.set(batch.partition, BigInt(record.offset));
    }
  }

  /** Sends `event` until it is answered 2xx or its retry time is over (then dead-letters it). */
  private async deliver(event: WebhookEvent, partition: number): Promise<void> {
    const { clock, metrics } = this.deps;
    const endpoint = this.options.name;
    let firstFailureAt: number | undefined;
    for (let failures = 0; ; ) {
      if (this.stopped) throw new EndpointStoppedError(`webhook endpoint ${endpoint} stopping`);
      const outcome = await this.send(event);
      if (outcome.seconds !== undefined) metrics.latency.observe({ webhook: endpoint }, outcome.seconds);
      if (outcome.ok) {
        metrics.sent.inc({ webhook: endpoint });
        this.recovered();
        return;
      }
      metrics.failed.inc({ webhook: endpoint });
      failures += 1;
      firstFailureAt ??= clock.now();
      this.failed(event, outcome.reason);
      if (retryExhausted(this.options.retry, firstFailureAt, clock.now())) {
        await this.deadLetter(event, failures, outcome.reason);
        return;
      }
      await this.wait(retryDelayMs(this.options.retry, failures, (this.deps.random ?? Math.random)()), partition);
    }
  }

  /** A record no event can be built from (a field missing): counted and passed over, never sent with an empty id. */
  private invalidRecord(field: string, partition: number, offset: string): void {
    this.deps.metrics.invalidRecords.inc({ webhook: this.options.name, field });
    this.deps.logger.warn({ endpoint: this.options.name, partition, offset, field }, 'deliver-topic record with an invalid field: no webhook event for it');
  }

  private failed(event: WebhookEvent, reason: string): void {
    if (this.streak) {
      this.streak.failures += 1;
      return;
    }
    this.streak = { since: this.deps.clock.now(), failures: 1 };
    this.deps.metrics.failing.set({ webhook: this.options.name }, 1);
    this.deps.logger.warn(
      { endpoint: this.options.name, eventId: event.id, reason, retryForMs: this.options.retry.retryForMs },
      'webhook endpoint failing: its events wait and are retried with backoff (one line per failing streak; parley_webhook_failed_total counts each failure)',
    );
  }

  private recovered(): void {
    const streak = this.streak;
    if (!streak) return;
    this.streak = undefined;
    this.deps.metrics.failing.set({ webhook: this.options.name }, 0);
    this.deps.logger.info({ endpoint: this.options.name, failures: streak.failures, failingForMs: this.deps.clock.now() - streak.since }, 'webhook endpoint answers again');
  }

  private wait(ms: number, partition: number): Promise<void> {
    this.waiting.set(partition, (this.waiting.get(partition) ?? 0) + 1);
    return new Promise<void>((resolve) => {
      const timer = {
        handle: undefined as unknown as TimerHandle,
        wake: () => {
          this.timers.delete(timer);
          this.waiting.set(partition, (this.waiting.get(partition) ?? 1) - 1);
          resolve();
        },
      };
      timer.handle = this.deps.clock.setTimeout(() => timer.wake(), ms);
      this.timers.add(timer);
    });
  }

  private async deadLetter(event: WebhookEvent, attempts: number, reason: string): Promise<void> {
    this.deps.metrics.deadLettered.inc({ webhook: this.options.name });
    this.deps.logger.warn({ eventId: event.id, endpoint: this.options.name, attempts, reason }, 'webhook event dead-lettered after PARLEY_WEBHOOK_RETRY_FOR_MS of failures');
    await this.deps.infrastructure.bus.publish(this.topics.deadLetter, [
      {
        key: event.key,
        value: Buffer.from(webhookBody(event)),
        headers: { 'parley-webhook-endpoint': this.options.name, 'parley-webhook-attempts': String(attempts), 'parley-webhook-reason': reason },
      },
    ]);
  }
}
