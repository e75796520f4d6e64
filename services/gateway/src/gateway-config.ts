// The gateway's configuration: environment variables, defaults, units and validation.
import { ConfigError, env, loadConfig } from '@parley/config';
import { appEventSettings, infrastructureSettings, PARLEY_SETTING_NAMES } from '@parley/runtime';
import { z } from 'zod';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { isAddressOrSubnet } from './connect-limits';
import { tlsConfigIssues, tlsSettings } from './tls-settings';

/**
 * Drain defaults for Kubernetes: 5 s for the endpoint removal to reach every load balancer,
 * then 10 s of slices, so with the uplink flush a gateway exits in about 16 s, well inside the
 * default terminationGracePeriodSeconds of 30.
 */
export const DEFAULT_DRAIN_DELAY_MS = 5_000;
export const DEFAULT_DRAIN_WINDOW_MS = 10_000;

/**
 * The gateway's limits a client can run into: docs/PROTOCOL.md "Limits" lists exactly these,
 * with these defaults (limits-doc.test.ts reads the table against this object).
 */
export const clientLimitSettings = {
  PARLEY_HEARTBEAT_INTERVAL_MS: env.int(1_000, 300_000, 25_000),
  PARLEY_MAX_FRAME_BYTES: env.int(1_024, 16 * 1024 * 1024, 64 * 1024),
  PARLEY_MAX_PAYLOAD_BYTES: env.int(16, 16 * 1024 * 1024, 32 * 1024),
  /** Frames per second a connection may send (token bucket; burst = 2 s worth). */
  PARLEY_RATE_LIMIT_FRAMES_PER_SEC: env.int(1, 1_000_000, 200),
  /** Time a connection may stay over its frame rate limit without a quiet second before it is closed (4005 FLOOD). */
  PARLEY_FLOOD_CLOSE_MS: env.int(1_000, 600_000, 5_000),
  /** Connections one user may hold on this gateway (more are refused: 2006 CONNECTION_LIMIT). */
  PARLEY_MAX_CONNECTIONS_PER_USER: env.int(1, 100_000, 16),
  /** Connection attempts per minute one user may make on this gateway, after the burst (2007 CONNECT_RATE_LIMITED). */
  PARLEY_CONNECTS_PER_USER_PER_MIN: env.int(1, 1_000_000, 120),
  PARLEY_CONNECT_BURST_PER_USER: env.int(1, 1_000_000, 30),
  /** Connection attempts per minute from one source address, after the burst (2007 CONNECT_RATE_LIMITED). */
  PARLEY_CONNECTS_PER_ADDRESS_PER_MIN: env.int(1, 10_000_000, 1_200),
  PARLEY_CONNECT_BURST_PER_ADDRESS: env.int(1, 1_000_000, 200),
  /** Addresses and CIDR subnets the per-address limit skips, comma-separated (a proxy in front; loopback by default). */
  PARLEY_CONNECT_LIMIT_EXEMPT: env
    .list('127.0.0.0/8,::1')
    .refine((entries) => entries.every(isAddressOrSubnet), 'expected IP addresses or CIDR subnets (10.0.0.0/8), comma-separated'),
  /** Longest token accepted, in bytes (longer: HTTP 431, 2008 TOKEN_TOO_LARGE). */
  PARLEY_MAX_TOKEN_BYTES: env.int(256, 65_536, 4_096),
  PARLEY_MAX_OFFLINE_PAGE: env.int(1, 10_000, 200),
  /** Most user ids one group request may name. */
  PARLEY_MAX_GROUP_MEMBERS: env.int(2, 1_000_000, 100_000),
  /** Least time between two typing:R of one connection that are relayed, in ms (the others are dropped). */
  PARLEY_TYPING_MIN_INTERVAL_MS: env.int(0, 60_000, 1_000),
  /** Bytes written to a connection and not yet taken by its client beyond which it is closed 4004 SLOW_CONSUMER. */
  PARLEY_MAX_BACKPRESSURE_BYTES: env.int(16 * 1024, 256 * 1024 * 1024, 1024 * 1024),
};

export const gatewaySettings = {
  ...infrastructureSettings,
  ...tlsSettings,
  ...appEventSettings,
  /** Stable id of this gateway (presence entries are keyed by it; a restart with the same id clears its old entries). */
  PARLEY_GATEWAY_ID: env.string(hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'gateway'),
  /**
   * The address the gateway listens on: an IPv4 or IPv6 address (`0.0.0.0` = every IPv4
   * interface, `::` = every interface). Unset: every IPv4 interface, except in the embedded
   * mode, which listens on 127.0.0.1 only (services/server).
   */
  PARLEY_GATEWAY_HOST: z.string().refine((host) => isIP(host) !== 0, 'expected an IP address to listen on (127.0.0.1, 0.0.0.0, ::1, ::)').optional(),
  PARLEY_GATEWAY_PORT: env.int(0, 65535, 8080),
  /**
   * Serve the development routes (dev-routes.ts): the demo page and /dev/token?user=NAME, a token
   * for any user. Never in production; `npm run start:distributed` turns it on (on 127.0.0.1).
   */
  PARLEY_DEV_TOKENS: env.bool(false),
  /** HS256 secret of connection tokens. Required outside the embedded mode. */
  PARLEY_JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Allowed Origin headers, comma-separated; `*` allows any. Requests without Origin (non-browser clients) are allowed. */
  PARLEY_ALLOWED_ORIGINS: env.list('*'),
  /** Longest a long-poll recv is held open, in ms (keep it under the idle timeout of proxies in front). */
  PARLEY_LONG_POLL_MAX_HOLD_MS: env.int(1_000, 120_000, 25_000),
  PARLEY_PRESENCE_TTL_MS: env.int(3_000, 3_600_000, 60_000),
  /**
   * On SIGTERM, how long /readyz fails before connections start to close, in ms: the time a
   * load balancer (Kubernetes endpoints) takes to stop sending new connections here.
   */
  PARLEY_DRAIN_DELAY_MS: env.int(0, 120_000, DEFAULT_DRAIN_DELAY_MS),
  /** Over how long, after that delay, the connections are closed (4007 DRAINING) in even slices, in ms (0: all at once). */
  PARLEY_DRAIN_WINDOW_MS: env.int(0, 600_000, DEFAULT_DRAIN_WINDOW_MS),
  ...clientLimitSettings,
};

type Shape = typeof gatewaySettings;
export type GatewayConfig = ReturnType<typeof loadConfig<Shape>>;

/** The gateway's settings from `source`; the other services' settings are ignored (settings-catalog.ts). */
export function loadGatewayConfig(source: NodeJS.ProcessEnv): GatewayConfig {
  const config = loadConfig(gatewaySettings, source, PARLEY_SETTING_NAMES);
  const issues = tlsConfigIssues(config);
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}
