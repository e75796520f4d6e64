// The webhooks' metrics, each with a `webhook` label: the configured endpoint names (at most
// MAX_WEBHOOK_ENDPOINTS), never a URL or anything a caller chooses. Not `endpoint`: the
// prometheus-operator gives every scraped series an `endpoint` label of its own (the scraped
// port's name), which would push ours aside to `exported_endpoint`.
import { Counter, Gauge, Histogram, type Registry } from '@parley/observability';

export interface WebhookMetrics {
  readonly sent: Counter<'webhook'>;
  readonly failed: Counter<'webhook'>;
  readonly deadLettered: Counter<'webhook'>;
  readonly latency: Histogram<'webhook'>;
  /** 1 while the endpoint is in a failing streak (retrying an event), else 0. */
  readonly failing: Gauge<'webhook'>;
  /** Deliver-topic records passed over for a missing or invalid field (deliver-record.ts), by field. */
  readonly invalidRecords: Counter<'webhook' | 'field'>;
}

export function webhookMetrics(registry: Registry): WebhookMetrics {
  return {
    sent: new Counter({ name: 'parley_webhook_sent_total', help: 'Webhook callbacks answered 2xx, per endpoint', labelNames: ['webhook'], registers: [registry] }),
    failed: new Counter({ name: 'parley_webhook_failed_total', help: 'Webhook callbacks that failed (error, timeout or non-2xx), per endpoint; each is retried', labelNames: ['webhook'], registers: [registry] }),
    deadLettered: new Counter({ name: 'parley_webhook_dead_letters_total', help: 'Webhook events given up after PARLEY_WEBHOOK_RETRY_FOR_MS of failures, per endpoint', labelNames: ['webhook'], registers: [registry] }),
    latency: new Histogram({ name: 'parley_webhook_latency_seconds', help: 'Webhook callback latency (answered callbacks), per endpoint', labelNames: ['webhook'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    invalidRecords: new Counter({
      name: 'parley_webhook_invalid_records_total',
      help: 'Deliver-topic records with a missing or invalid field, passed over with no event, per endpoint and field',
      labelNames: ['webhook', 'field'],
      registers: [registry],
    }),
    failing: new Gauge({ name: 'parley_webhook_failing', help: '1 while the endpoint fails and its events wait for a retry, per endpoint', labelNames: ['webhook'], registers: [registry] }),
  };
}
