// The server API's configuration: environment variables, defaults, units and validation.
import { ConfigError, env, loadConfig } from '@parley/config';
import { consumerSettings, infrastructureSettings, PARLEY_SETTING_NAMES } from '@parley/runtime';
import { z } from 'zod';

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
  /** Webhook endpoint: signed HTTP callbacks for the events in PARLEY_WEBHOOK_EVENTS; unset = none. */
  PARLEY_WEBHOOK_URL: z.string().url().optional(),
  /** Shared secret of the callbacks' HMAC-SHA256 signature (at least 16 chars; required with a URL). */
  PARLEY_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Events sent, comma-separated: message.stored, message.offline. */
  PARLEY_WEBHOOK_EVENTS: env.list('message.stored,message.offline').refine((events) => events.every((e) => e === 'message.stored' || e === 'message.offline'), 'known events: message.stored, message.offline'),
  /** How long one callback may take before it counts as failed, in ms. */
  PARLEY_WEBHOOK_TIMEOUT_MS: env.int(100, 60_000, 5_000),
  /** Failed callbacks of one event before it goes to <prefix>.webhooks.dead-letter (the bus's backoff between them: 0.1 s growing to 5 s; 12 span about 12 s from a fresh start). */
  PARLEY_WEBHOOK_MAX_ATTEMPTS: env.int(1, 1_000, 12),
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
