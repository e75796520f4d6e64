// The server API's metrics: requests by route and status, their latency, and the records read
// at its edges (sequencer answers, stored messages) that lacked a field.
import { Counter, Histogram, Registry } from '@parley/observability';

export interface ApiMetrics {
  readonly requests: Counter<'route' | 'status'>;
  readonly latency: Histogram<'route'>;
  /** Sequencer answers and stored messages with a missing or invalid field (the request failed INTERNAL). */
  readonly invalidRecords: Counter<'source' | 'field'>;
}

export function createApiMetrics(registry: Registry): ApiMetrics {
  return {
    requests: new Counter({ name: 'parley_api_requests_total', help: 'Server API requests by route and HTTP status', labelNames: ['route', 'status'], registers: [registry] }),
    latency: new Histogram({
      name: 'parley_api_request_seconds',
      help: 'Server API request latency by route (a send includes the wait for the sequencer)',
      labelNames: ['route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    invalidRecords: new Counter({
      name: 'parley_api_invalid_records_total',
      help: 'Sequencer answers (source sequencer_answer) and stored messages (source message_store) with a missing or invalid field, by field; each failed its request',
      labelNames: ['source', 'field'],
      registers: [registry],
    }),
  };
}
