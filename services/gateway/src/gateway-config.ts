// The gateway's configuration: environment variables, defaults, units and validation.
import { env, loadConfig } from '@parley/observability';
import { infrastructureSettings } from '@parley/runtime';
import { z } from 'zod';
import { hostname } from 'node:os';

export const gatewaySettings = {
  ...infrastructureSettings,
  /** Stable id of this gateway (presence entries are keyed by it; a restart with the same id clears its old entries). */
  PARLEY_GATEWAY_ID: env.string(hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'gateway'),
  PARLEY_GATEWAY_HOST: env.string('0.0.0.0'),
  PARLEY_GATEWAY_PORT: env.int(0, 65535, 8080),
  /** HS256 secret of connection tokens. Required outside the embedded mode. */
  PARLEY_JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Allowed Origin headers, comma-separated; `*` allows any. Requests without Origin (non-browser clients) are allowed. */
  PARLEY_ALLOWED_ORIGINS: env.list('*'),
  PARLEY_HEARTBEAT_INTERVAL_MS: env.int(1_000, 300_000, 25_000),
  PARLEY_MAX_FRAME_BYTES: env.int(1_024, 16 * 1024 * 1024, 64 * 1024),
  PARLEY_MAX_PAYLOAD_BYTES: env.int(16, 16 * 1024 * 1024, 32 * 1024),
  PARLEY_MAX_BACKPRESSURE_BYTES: env.int(16 * 1024, 256 * 1024 * 1024, 1024 * 1024),
  /** Longest a long-poll recv is held open, in ms (keep it under the idle timeout of proxies in front). */
  PARLEY_LONG_POLL_MAX_HOLD_MS: env.int(1_000, 120_000, 25_000),
  PARLEY_PRESENCE_TTL_MS: env.int(3_000, 3_600_000, 60_000),
  /** Frames per second a connection may send (token bucket; burst = 2 s worth). */
  PARLEY_RATE_LIMIT_FRAMES_PER_SEC: env.int(1, 1_000_000, 200),
  PARLEY_MAX_OFFLINE_PAGE: env.int(1, 10_000, 200),
  /** Most user ids one group request may name. */
  PARLEY_MAX_GROUP_MEMBERS: env.int(2, 1_000_000, 100_000),
};

type Shape = typeof gatewaySettings;
export type GatewayConfig = ReturnType<typeof loadConfig<Shape>>;

export function loadGatewayConfig(source: NodeJS.ProcessEnv, knownElsewhere: readonly string[] = []): GatewayConfig {
  const config = loadConfig(gatewaySettings, source, knownElsewhere);
  return config;
}
