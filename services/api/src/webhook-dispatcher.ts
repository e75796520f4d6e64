// The server API's webhooks: one WebhookEndpoint per configured endpoint (PARLEY_WEBHOOKS),
// each with its own consumer group, retry state and metrics label, sharing one set of metrics.
import type { Clock } from '@parley/ports';
import type { Logger, Registry } from '@parley/observability';
import type { ApiPorts } from './api-ports';
import type { WebhookEndpointConfig } from './api-config';
import { WebhookEndpoint } from './webhook-endpoint';
import { webhookMetrics } from './webhook-metrics';
import type { RetryPolicy } from './webhook-retry';

export interface WebhookSettings {
  readonly endpoints: readonly WebhookEndpointConfig[];
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly topicPrefix: string;
  readonly stallMs: number;
}

export interface WebhookDeps {
  readonly infrastructure: ApiPorts;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
}

export class WebhookDispatcher {
  private readonly endpoints: WebhookEndpoint[];

  constructor(settings: WebhookSettings, deps: WebhookDeps) {
    const metrics = webhookMetrics(deps.registry);
    this.endpoints = settings.endpoints.map(
      (endpoint) =>
        new WebhookEndpoint(
          {
            name: endpoint.name,
            url: endpoint.url,
            secret: endpoint.secret,
            events: new Set(endpoint.events),
            timeoutMs: settings.timeoutMs,
            retry: settings.retry,
            topicPrefix: settings.topicPrefix,
            stallMs: settings.stallMs,
          },
          { ...deps, metrics },
        ),
    );
  }

  async start(): Promise<void> {
    for (const endpoint of this.endpoints) await endpoint.start();
  }

  /** False once some endpoint's consumer is stalled (/healthz). */
  get healthy(): boolean {
    return this.endpoints.every((endpoint) => endpoint.healthy);
  }

  async stop(): Promise<void> {
    await Promise.all(this.endpoints.map((endpoint) => endpoint.stop()));
  }
}
