// Webhook callbacks from the deliver topic, in a consumer group of their own (`<prefix>.webhooks`):
// message delivery never waits for them. Each partition's events go out one at a time, in
// record order, so a conversation's events arrive in order. A failed callback rejects the
// batch as transient: the bus hands the same records again after its backoff (at least once,
// nothing skipped, what was already sent is not sent again by this process). After
// `maxAttempts` failures of one event it goes to `<prefix>.webhooks.dead-letter` and the
// partition moves on.
import { ConsumedRecord, BusBatch, UnavailableError, type Clock } from '@parley/ports';
import { Counter, Histogram, type Logger, type Registry } from '@parley/observability';
import { startConsumer, type Consumer } from '@parley/runtime';
import type { ApiPorts } from './api-ports';
import { eventsOf, storedMessageOf, WebhookEvent, WebhookEventType } from './webhook-events';
import { EVENT_ID_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature';

export interface WebhookOptions {
  readonly url: string;
  readonly secret: string;
  readonly events: ReadonlySet<WebhookEventType>;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly topicPrefix: string;
  readonly stallMs: number;
}

export interface WebhookDeps {
  readonly infrastructure: ApiPorts;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
}

export const webhookTopics = (prefix: string) => ({ source: `${prefix}.deliver`, group: `${prefix}.webhooks`, deadLetter: `${prefix}.webhooks.dead-letter` });

export class WebhookDispatcher {
  private consumer: Consumer | undefined;
  /** Per partition, the last record whose events all went out (or were dead-lettered). */
  private readonly doneThrough = new Map<number, bigint>();
  /** Events sent while their record's later events failed: not sent again on the retry. */
  private readonly sent = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private readonly topics;
  private readonly endpoint: string;
  private readonly metrics;

  constructor(
    private readonly options: WebhookOptions,
    private readonly deps: WebhookDeps,
  ) {
    this.topics = webhookTopics(options.topicPrefix);
    this.endpoint = new URL(options.url).host;
    this.metrics = {
      sent: new Counter({ name: 'parley_webhook_sent_total', help: 'Webhook callbacks answered 2xx, per endpoint', labelNames: ['endpoint'], registers: [deps.registry] }),
      failed: new Counter({ name: 'parley_webhook_failed_total', help: 'Webhook callbacks that failed (error, timeout or non-2xx), per endpoint', labelNames: ['endpoint'], registers: [deps.registry] }),
      deadLettered: new Counter({ name: 'parley_webhook_dead_letters_total', help: 'Webhook events given up after the most attempts, per endpoint', labelNames: ['endpoint'], registers: [deps.registry] }),
      latency: new Histogram({ name: 'parley_webhook_latency_seconds', help: 'Webhook callback latency, per endpoint', labelNames: ['endpoint'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [deps.registry] }),
    };
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
      registry: this.deps.registry,
      logger: this.deps.logger,
      clock: this.deps.clock,
    });
  }

  get healthy(): boolean {
    return this.consumer?.healthy ?? true;
  }

  async stop(): Promise<void> {
    await this.consumer?.close();
    this.consumer = undefined;
  }

  private async handle(batch: BusBatch): Promise<void> {
    for (const record of batch.records) {
      const done = this.doneThrough.get(batch.partition);
      if (done !== undefined && BigInt(record.offset) <= done) continue;
      await this.handleRecord(record);
      this.doneThrough.set(batch.partition, BigInt(record.offset));
    }
  }

  private async handleRecord(record: ConsumedRecord): Promise<void> {
    const message = storedMessageOf(record.value);
    if (!message) return;
    const events = await eventsOf(message, this.deps.infrastructure, this.options.events);
    for (const event of events) {
      if (this.sent.has(event.id)) continue;
      if (await this.post(event)) {
        this.attempts.delete(event.id);
        this.sent.add(event.id);
        continue;
      }
      const attempts = (this.attempts.get(event.id) ?? 0) + 1;
      this.attempts.set(event.id, attempts);
      if (attempts < this.options.maxAttempts) throw new UnavailableError(`webhook ${this.endpoint} refused ${event.id} (attempt ${attempts} of ${this.options.maxAttempts})`);
      await this.deadLetter(event);
      this.attempts.delete(event.id);
      this.sent.add(event.id);
    }
    for (const event of events) this.sent.delete(event.id);
  }

  /** One callback: true when answered 2xx within the timeout. */
  private async post(event: WebhookEvent): Promise<boolean> {
    const body = JSON.stringify({ id: event.id, type: event.type, data: event.data });
    const timestamp = Math.floor(this.deps.clock.now() / 1000);
    const started = process.hrtime.bigint();
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(this.options.secret, timestamp, body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [EVENT_ID_HEADER]: event.id,
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      this.metrics.latency.observe({ endpoint: this.endpoint }, Number(process.hrtime.bigint() - started) / 1e9);
      if (res.ok) {
        this.metrics.sent.inc({ endpoint: this.endpoint });
        return true;
      }
    } catch {
      // refused, reset or timed out: counted below, retried by the bus
    }
    this.metrics.failed.inc({ endpoint: this.endpoint });
    return false;
  }

  private async deadLetter(event: WebhookEvent): Promise<void> {
    this.metrics.deadLettered.inc({ endpoint: this.endpoint });
    this.deps.logger.warn({ eventId: event.id, endpoint: this.endpoint, attempts: this.options.maxAttempts }, 'webhook event dead-lettered after the most attempts');
    await this.deps.infrastructure.bus.publish(this.topics.deadLetter, [
      { key: event.conversation, value: Buffer.from(JSON.stringify({ id: event.id, type: event.type, data: event.data })), headers: { 'parley-webhook-endpoint': this.endpoint } },
    ]);
  }
}
