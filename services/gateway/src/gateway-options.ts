// The Gateway's options, grouped by concern so that each part is handed only the groups it
// uses (listening, admission, client limits, heartbeat, long-poll, drain), and
// `gatewayOptionsFrom`, the one mapping from the gateway's configuration onto them.
import type * as uws from 'uWebSockets.js';
import { asGatewayId, GatewayId } from '@parley/protocol';
import type { Clock } from '@parley/ports';
import type { Logger, Registry } from '@parley/observability';
import type { AdmissionPolicy } from './admission';
import type { ConnectLimitsPolicy } from './connect-limits';
import type { DrainTiming } from './connection-drain';
import type { GatewayConfig } from './gateway-config';
import type { GatewayPorts } from './gateway-ports';
import { tlsFilesFrom, TlsFiles } from './tls-settings';

/** Where connections are accepted (gateway-listener.ts). */
export interface ListenSettings {
  readonly host: string;
  readonly port: number;
  /** Serve wss:// and https:// with these certificate files (renewals applied without a restart); undefined: ws:// and http://. */
  readonly tls?: TlsFiles | undefined;
}

/** Who may open a connection (connect-gate.ts): the token, the Origin (admission.ts, whose fields these are) and the connect limits. */
export interface AdmissionSettings extends Pick<AdmissionPolicy, 'jwtSecret' | 'allowedOrigins' | 'maxTokenBytes'> {
  readonly connectLimits: ConnectLimitsPolicy;
}

/** What one connection may send and have waiting (docs/PROTOCOL.md "Limits"; the sizes and page are told in welcome). */
export interface ClientLimits {
  readonly maxFrameBytes: number;
  readonly maxPayloadBytes: number;
  /** Most user ids one group:R may name. */
  readonly maxGroupMembers: number;
  readonly maxOfflinePage: number;
  readonly rateLimitFramesPerSec: number;
  /** Over the rate limit this long without a pause: closed 4005 FLOOD. */
  readonly floodCloseMs: number;
  /** Least time between two typing:R of one connection that are relayed, in ms. */
  readonly typingMinIntervalMs: number;
  /** Most bytes written to one connection and not yet taken by it (WebSocket backpressure, long-poll buffer). */
  readonly maxBackpressureBytes: number;
}

/** Liveness: the interval clients ping at (a link silent for two is closed) and the life of an unrefreshed presence entry. */
export interface HeartbeatSettings {
  readonly intervalMs: number;
  readonly presenceTtlMs: number;
}

/** The HTTP long-polling fallback (long-poll-routes.ts). */
export interface LongPollSettings {
  /** Longest a recv is held, in ms (a client's `hold` is capped to it; its default when absent). */
  readonly maxHoldMs: number;
}

export interface GatewayOptions {
  readonly gatewayId: GatewayId;
  readonly listen: ListenSettings;
  readonly admission: AdmissionSettings;
  readonly limits: ClientLimits;
  readonly heartbeat: HeartbeatSettings;
  readonly longPoll: LongPollSettings;
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

/** What the process gives a gateway besides its configuration. */
export type GatewayDeps = Pick<GatewayOptions, 'infrastructure' | 'registry' | 'logger' | 'clock' | 'isReady' | 'isHealthy' | 'extraRoutes'> & {
  /** The token secret (the embedded server may use its development one). */
  readonly jwtSecret: string;
  /** Overrides PARLEY_GATEWAY_HOST (the embedded server listens on loopback by default). */
  readonly host?: string;
};

/** Where a gateway listens when PARLEY_GATEWAY_HOST is unset: every IPv4 interface. */
export const DEFAULT_GATEWAY_HOST = '0.0.0.0';

export function gatewayOptionsFrom(config: GatewayConfig, deps: GatewayDeps): GatewayOptions {
  const { jwtSecret, host, ...given } = deps;
  return {
    gatewayId: asGatewayId(config.PARLEY_GATEWAY_ID),
    listen: { host: host ?? config.PARLEY_GATEWAY_HOST ?? DEFAULT_GATEWAY_HOST, port: config.PARLEY_GATEWAY_PORT, tls: tlsFilesFrom(config) },
    admission: {
      jwtSecret,
      allowedOrigins: config.PARLEY_ALLOWED_ORIGINS,
      maxTokenBytes: config.PARLEY_MAX_TOKEN_BYTES,
      connectLimits: {
        connectsPerUserPerMin: config.PARLEY_CONNECTS_PER_USER_PER_MIN,
        connectBurstPerUser: config.PARLEY_CONNECT_BURST_PER_USER,
        connectsPerAddressPerMin: config.PARLEY_CONNECTS_PER_ADDRESS_PER_MIN,
        connectBurstPerAddress: config.PARLEY_CONNECT_BURST_PER_ADDRESS,
        exemptAddresses: config.PARLEY_CONNECT_LIMIT_EXEMPT,
        maxConnectionsPerUser: config.PARLEY_MAX_CONNECTIONS_PER_USER,
      },
    },
    limits: {
      maxFrameBytes: config.PARLEY_MAX_FRAME_BYTES,
      maxPayloadBytes: config.PARLEY_MAX_PAYLOAD_BYTES,
      maxGroupMembers: config.PARLEY_MAX_GROUP_MEMBERS,
      maxOfflinePage: config.PARLEY_MAX_OFFLINE_PAGE,
      rateLimitFramesPerSec: config.PARLEY_RATE_LIMIT_FRAMES_PER_SEC,
      floodCloseMs: config.PARLEY_FLOOD_CLOSE_MS,
      typingMinIntervalMs: config.PARLEY_TYPING_MIN_INTERVAL_MS,
      maxBackpressureBytes: config.PARLEY_MAX_BACKPRESSURE_BYTES,
    },
    heartbeat: { intervalMs: config.PARLEY_HEARTBEAT_INTERVAL_MS, presenceTtlMs: config.PARLEY_PRESENCE_TTL_MS },
    longPoll: { maxHoldMs: config.PARLEY_LONG_POLL_MAX_HOLD_MS },
    topicPrefix: config.PARLEY_TOPIC_PREFIX,
    appEvents: config.PARLEY_APP_EVENTS,
    drain: { delayMs: config.PARLEY_DRAIN_DELAY_MS, windowMs: config.PARLEY_DRAIN_WINDOW_MS },
    ...given,
  };
}
