// The Gateway's options, and how the gateway's configuration maps onto them.
import type * as uws from 'uWebSockets.js';
import { asGatewayId, GatewayId } from '@parley/protocol';
import type { Clock } from '@parley/ports';
import type { Logger, Registry } from '@parley/observability';
import type { ConnectLimitsPolicy } from './connect-limits';
import type { DrainTiming } from './connection-drain';
import type { GatewayConfig } from './gateway-config';
import type { GatewayPorts } from './gateway-ports';
import { tlsFilesFrom, TlsFiles } from './tls-settings';

export interface GatewayOptions {
  readonly gatewayId: GatewayId;
  readonly host: string;
  readonly port: number;
  /** Serve wss:// and https:// with these certificate files (renewals applied without a restart); undefined: ws:// and http://. */
  readonly tls?: TlsFiles | undefined;
  readonly jwtSecret: string;
  readonly allowedOrigins: readonly string[];
  readonly heartbeatIntervalMs: number;
  readonly maxFrameBytes: number;
  readonly maxPayloadBytes: number;
  readonly maxBackpressureBytes: number;
  /** Longest a long-poll recv is held, in ms (a client's `hold` is capped to it; its default when absent). */
  readonly longPollMaxHoldMs: number;
  readonly presenceTtlMs: number;
  readonly rateLimitFramesPerSec: number;
  readonly floodCloseMs: number;
  readonly maxTokenBytes: number;
  readonly connectLimits: ConnectLimitsPolicy;
  readonly maxOfflinePage: number;
  readonly maxGroupMembers: number;
  /** Least time between two typing:R of one connection that are relayed, in ms. */
  readonly typingMinIntervalMs: number;
  readonly topicPrefix: string;
  /** Publish user.connected/disconnected for the server API's webhooks (PARLEY_APP_EVENTS); default false. */
  readonly appEvents?: boolean;
  /** The drain on SIGTERM (drain()): delay before the first close, window of the slices. */
  readonly drain: DrainTiming;
  /** The adapters the gateway uses (not the process's whole set). */
  readonly infrastructure: GatewayPorts;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Readiness of the other parts of this process (embedded mode), ANDed with the gateway's own. */
  readonly isReady?: () => boolean;
  /** Liveness of the other parts of this process (embedded mode: a stalled consumer), for /healthz. */
  readonly isHealthy?: () => boolean;
  /** Adds more HTTP routes (the embedded mode's /dev/token and demo page). */
  readonly extraRoutes?: (app: uws.TemplatedApp) => void;
}

/** Where a gateway listens when PARLEY_GATEWAY_HOST is unset: every IPv4 interface. */
export const DEFAULT_GATEWAY_HOST = '0.0.0.0';

export function gatewayOptionsFrom(
  config: GatewayConfig,
  deps: Pick<GatewayOptions, 'infrastructure' | 'registry' | 'logger' | 'clock' | 'jwtSecret'> & Partial<GatewayOptions>,
): GatewayOptions {
  return {
    gatewayId: asGatewayId(config.PARLEY_GATEWAY_ID),
    host: config.PARLEY_GATEWAY_HOST ?? DEFAULT_GATEWAY_HOST,
    port: config.PARLEY_GATEWAY_PORT,
    tls: tlsFilesFrom(config),
    allowedOrigins: config.PARLEY_ALLOWED_ORIGINS,
    heartbeatIntervalMs: config.PARLEY_HEARTBEAT_INTERVAL_MS,
    maxFrameBytes: config.PARLEY_MAX_FRAME_BYTES,
    maxPayloadBytes: config.PARLEY_MAX_PAYLOAD_BYTES,
    maxBackpressureBytes: config.PARLEY_MAX_BACKPRESSURE_BYTES,
    longPollMaxHoldMs: config.PARLEY_LONG_POLL_MAX_HOLD_MS,
    presenceTtlMs: config.PARLEY_PRESENCE_TTL_MS,
    appEvents: config.PARLEY_APP_EVENTS,
    rateLimitFramesPerSec: config.PARLEY_RATE_LIMIT_FRAMES_PER_SEC,
    floodCloseMs: config.PARLEY_FLOOD_CLOSE_MS,
    maxTokenBytes: config.PARLEY_MAX_TOKEN_BYTES,
    connectLimits: {
      connectsPerUserPerMin: config.PARLEY_CONNECTS_PER_USER_PER_MIN,
      connectBurstPerUser: config.PARLEY_CONNECT_BURST_PER_USER,
      connectsPerAddressPerMin: config.PARLEY_CONNECTS_PER_ADDRESS_PER_MIN,
      connectBurstPerAddress: config.PARLEY_CONNECT_BURST_PER_ADDRESS,
      exemptAddresses: config.PARLEY_CONNECT_LIMIT_EXEMPT,
      maxConnectionsPerUser: config.PARLEY_MAX_CONNECTIONS_PER_USER,
    },
    maxOfflinePage: config.PARLEY_MAX_OFFLINE_PAGE,
    maxGroupMembers: config.PARLEY_MAX_GROUP_MEMBERS,
    typingMinIntervalMs: config.PARLEY_TYPING_MIN_INTERVAL_MS,
    topicPrefix: config.PARLEY_TOPIC_PREFIX,
    drain: { delayMs: config.PARLEY_DRAIN_DELAY_MS, windowMs: config.PARLEY_DRAIN_WINDOW_MS },
    ...deps,
  };
}
