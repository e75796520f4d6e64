// The server API service: its HTTP listener and its line to the sequencer, on the adapters
// it is given (the composition root, main.ts or a test, chooses them).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { asGatewayId, asUserId, isValidGatewayId } from '@parley/protocol';
import { ConfigError } from '@parley/config';
import type { Logger, Registry } from '@parley/observability';
import type { Clock } from '@parley/ports';
import { topicNames } from '@parley/runtime';
import type { ApiConfig } from './api-config';
import { ApiAuth } from './api-auth';
import { ApiKeys } from './api-keys';
import type { ApiPorts } from './api-ports';
import { createApiMetrics } from './api-metrics';
import { ApiServer } from './api-server';
import { SequencerRequests } from './sequencer-requests';
import { WebhookDispatcher } from './webhook-dispatcher';

export interface ServerApiDependencies {
  /** The adapters the server API uses (not the process's whole set). */
  readonly infrastructure: ApiPorts;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
}

export class ServerApi {
  private readonly requests: SequencerRequests;
  private readonly server: ApiServer;
  private boundPort = 0;
  private readonly webhooks: WebhookDispatcher | undefined;
  readonly apiId: string;

  constructor(config: ApiConfig, deps: ServerApiDependencies) {
    if (config.PARLEY_API_KEYS.length === 0 && config.PARLEY_API_JWT_SECRET === undefined) {
      throw new ConfigError(['PARLEY_API_KEYS or PARLEY_API_JWT_SECRET: required (at least one API key of 24..256 chars, or a token secret of at least 32)']);
    }
    // Its downlink id must not collide with a gateway's: `api-` and a random tail unless set.
    this.apiId = config.PARLEY_API_ID ?? `api-${hostname().replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 32)}-${randomBytes(4).toString('hex')}`;
    if (!isValidGatewayId(this.apiId)) throw new ConfigError(['PARLEY_API_ID: 1..64 chars of [A-Za-z0-9_.-]']);
    const metrics = createApiMetrics(deps.registry);
    this.requests = new SequencerRequests({
      bus: deps.infrastructure.bus,
      downlink: deps.infrastructure.downlink,
      sendTopic: topicNames(config.PARLEY_TOPIC_PREFIX).send,
      apiId: asGatewayId(this.apiId),
      clock: deps.clock,
      answerTimeoutMs: config.PARLEY_API_ANSWER_TIMEOUT_MS,
      countInvalidAnswer: (field) => metrics.invalidRecords.inc({ source: 'sequencer_answer', field }),
    });
    const { infrastructure } = deps;
    this.webhooks =
      config.PARLEY_WEBHOOKS.length > 0
        ? new WebhookDispatcher(
            {
              endpoints: config.PARLEY_WEBHOOKS,
              timeoutMs: config.PARLEY_WEBHOOK_TIMEOUT_MS,
              retry: { baseMs: config.PARLEY_WEBHOOK_RETRY_BASE_MS, maxMs: config.PARLEY_WEBHOOK_RETRY_MAX_MS, retryForMs: config.PARLEY_WEBHOOK_RETRY_FOR_MS },
              topicPrefix: config.PARLEY_TOPIC_PREFIX,
              stallMs: config.PARLEY_CONSUMER_STALL_MS,
            },
            deps,
          )
        : undefined;
    this.server = new ApiServer({
      host: config.PARLEY_API_HOST,
      port: config.PARLEY_API_PORT,
      auth: new ApiAuth(config.PARLEY_API_KEYS.length > 0 ? new ApiKeys(config.PARLEY_API_KEYS) : undefined, config.PARLEY_API_JWT_SECRET, () => deps.clock.now()),
      maxBodyBytes: config.PARLEY_API_MAX_BODY_BYTES,
      logger: deps.logger,
      metrics,
      context: {
        requests: this.requests,
        messageStore: infrastructure.messageStore,
        conversationIndex: infrastructure.conversationIndex,
        presence: infrastructure.presence,
        membership: infrastructure.membership,
        revocations: infrastructure.revocations,
        downlink: infrastructure.downlink,
        clock: deps.clock,
        send: { systemUser: asUserId(config.PARLEY_API_SYSTEM_USER), maxPayloadBytes: config.PARLEY_MAX_PAYLOAD_BYTES },
        maxPage: config.PARLEY_API_MAX_PAGE,
        countInvalidStored: (field) => metrics.invalidRecords.inc({ source: 'message_store', field }),
      },
    });
  }

  /** Subscribes to its downlink, then listens; resolves with the bound port. */
  async start(): Promise<number> {
    await this.requests.start();
    await this.webhooks?.start();
    this.boundPort = await this.server.listen();
    return this.boundPort;
  }

  /** True once started (/readyz): the downlink is subscribed and the port listens. */
  get ready(): boolean {
    return this.boundPort > 0;
  }

  /** False once the webhook consumer is stalled (/healthz). */
  get healthy(): boolean {
    return this.webhooks?.healthy ?? true;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Stops taking requests, fails those still waiting (retryable), leaves the downlink. */
  async stop(): Promise<void> {
    await this.server.close();
    await this.requests.stop();
    await this.webhooks?.stop();
  }
}
