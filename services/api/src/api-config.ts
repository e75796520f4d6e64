// The server API's configuration: environment variables, defaults, units and validation.
import { ConfigError, env, loadConfig } from '@parley/config';
import { consumerSettings, infrastructureSettings, PARLEY_SETTING_NAMES } from '@parley/runtime';
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';

/** A webhook endpoint's name: its consumer group's suffix and its metrics' `webhook` label. */
const ENDPOINT_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** Most webhook endpoints: bounds the consumers of one process and the `webhook` label's values. */
export const MAX_WEBHOOK_ENDPOINTS = 16;

const webhookEndpoint = z
  .object({
    name: z.string().regex(ENDPOINT_NAME, '1..32 chars of [a-z0-9_-], starting with a letter or digit'),
    url: z
      .string()
      .url()
      .refine((url) => /^https?:$/.test(new URL(url).protocol), 'an http:// or https:// URL'),
    secret: z.string().min(16, 'at least 16 characters'),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).default([...WEBHOOK_EVENT_TYPES]),
  })
  .strict();

export type WebhookEndpointConfig = z.infer<typeof webhookEndpoint>;

const webhookEndpoints = z
  .string()
  .default('[]')
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a JSON array of {"name","url","secret","events"}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(webhookEndpoint)
      .max(MAX_WEBHOOK_ENDPOINTS)
      .refine((endpoints) => new Set(endpoints.map((e) => e.name)).size === endpoints.length, 'endpoint names must be unique'),
  );

/** An API key: long enough that guessing it is hopeless, no separators. */
const API_KEY_PATTERN = /^[A-Za-z0-9_.~+/=-]{24,256}$/;

export const apiSettings = {
  ...infrastructureSettings,
  ...consumerSettings,
  /** Comma-separated API keys accepted as `Authorization: Bearer <key>` (each 24..256 chars); none = every request refused. */
  PARLEY_API_KEYS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .refine((keys) => keys.every((key) => API_KEY_PATTERN.test(key)), 'each key is 24..256 chars of [A-Za-z0-9_.~+/=-]'),
  /**
   * HS256 secret of server API tokens (`Authorization: Bearer <jwt>`, audience `parley:server-api`,
   * exp required, at most a day long), at least 32 chars and never the client secret; unset = API keys only.
   */
  PARLEY_API_JWT_SECRET: z.string().min(32).optional(),
  /** Address the API listens on: loopback by default, since it speaks for every user. */
  PARLEY_API_HOST: env.string('127.0.0.1'),
  /** Port of the server API (never the gateway's public client port); 0 = any free port. */
  PARLEY_API_PORT: env.int(0, 65535, 8090),
  /** This API process's downlink id: the sequencer answers its sends there, as it answers a gateway. Unique per process. */
  PARLEY_API_ID: env.optionalString(),
  /** The user a send without `from` speaks as ("the system"). */
  PARLEY_API_SYSTEM_USER: env.string('system'),
  /** How long a send or group change waits for the sequencer's answer before 503 UNAVAILABLE (the caller retries with the same id), in ms. */
  PARLEY_API_ANSWER_TIMEOUT_MS: env.int(100, 120_000, 10_000),
  /** Largest page of history or conversations one request may ask for. */
  PARLEY_API_MAX_PAGE: env.int(1, 1_000, 100),
  /** Largest request body, in bytes. */
  PARLEY_API_MAX_BODY_BYTES: env.int(1_024, 10_485_760, 262_144),
  /** Largest message payload a send may carry, in bytes (the gateway's setting: one ConfigMap gives both the same). */
  PARLEY_MAX_PAYLOAD_BYTES: env.int(16, 16 * 1024 * 1024, 32 * 1024),
  /**
   * Webhook endpoints, a JSON array of `{"name", "url", "secret", "events"}` (docs/SERVER-API.md):
   * each gets the events it names, signed with its secret, from a consumer of its own; [] = none.
   */
  PARLEY_WEBHOOKS: webhookEndpoints,
  /** How long one callback may take before it counts as failed, in ms. */
  PARLEY_WEBHOOK_TIMEOUT_MS: env.int(100, 60_000, 5_000),
  /** Wait after an endpoint's first failed callback of an event, in ms; each further failure doubles it (with jitter). */
  PARLEY_WEBHOOK_RETRY_BASE_MS: env.int(10, 600_000, 1_000),
  /** Longest wait between two callbacks of one event, in ms. */
  PARLEY_WEBHOOK_RETRY_MAX_MS: env.int(10, 3_600_000, 60_000),
  /** How long an endpoint keeps retrying one event before writing it to <prefix>.webhooks.dead-letter and moving on, in ms (default an hour). */
  PARLEY_WEBHOOK_RETRY_FOR_MS: env.int(0, 7 * 86_400_000, 3_600_000),
  /** Port of /healthz and /metrics. */
  PARLEY_API_ADMIN_PORT: env.int(0, 65535, 9093),
};

export type ApiConfig = ReturnType<typeof loadConfig<typeof apiSettings>>;

/** The API's settings from `source`; the other services' settings are ignored (settings-catalog.ts). */
export function loadApiConfig(source: NodeJS.ProcessEnv): ApiConfig {
  const config = loadConfig(apiSettings, source, PARLEY_SETTING_NAMES);
  const issues = apiConfigIssues(config, source);
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}

/**
 * Checks across settings: the server API token secret is not the client token secret (the
 * audience keeps the two kinds apart, but one leaked secret must not give both powers).
 */
export function apiConfigIssues(config: Pick<ApiConfig, 'PARLEY_API_JWT_SECRET'>, source: NodeJS.ProcessEnv): string[] {
  const secret = config.PARLEY_API_JWT_SECRET;
  if (secret !== undefined && secret === source.PARLEY_JWT_SECRET) return ['PARLEY_API_JWT_SECRET: must differ from PARLEY_JWT_SECRET (the clients\' token secret)'];
  return [];
}
