// Maps the gateway's configuration onto the Gateway's options.
import { asGatewayId } from '@parley/protocol';
import type { GatewayConfig } from './gateway-config';
import type { GatewayOptions } from './gateway';
export function gatewayOptionsFrom(
  config: GatewayConfig,
  deps: Pick<GatewayOptions, 'infrastructure' | 'registry' | 'logger' | 'clock' | 'jwtSecret'> & Partial<GatewayOptions>,
): GatewayOptions {
  return {
    gatewayId: asGatewayId(config.PARLEY_GATEWAY_ID),
    host: config.PARLEY_GATEWAY_HOST,
    port: config.PARLEY_GATEWAY_PORT,
    allowedOrigins: config.PARLEY_ALLOWED_ORIGINS,
    heartbeatIntervalMs: config.PARLEY_HEARTBEAT_INTERVAL_MS,
    maxFrameBytes: config.PARLEY_MAX_FRAME_BYTES,
    maxPayloadBytes: config.PARLEY_MAX_PAYLOAD_BYTES,
    maxBackpressureBytes: config.PARLEY_MAX_BACKPRESSURE_BYTES,
    presenceTtlMs: config.PARLEY_PRESENCE_TTL_MS,
    rateLimitFramesPerSec: config.PARLEY_RATE_LIMIT_FRAMES_PER_SEC,
    maxOfflinePage: config.PARLEY_MAX_OFFLINE_PAGE,
    maxGroupMembers: config.PARLEY_MAX_GROUP_MEMBERS,
    topicPrefix: config.PARLEY_TOPIC_PREFIX,
    ...deps,
  };
}
