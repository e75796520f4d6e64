// Metrics the gateway records.
import { Counter, Gauge, Registry } from '@parley/observability';

/**
 * Every reason of parley_gateway_limit_hits_total, each a refusal of docs/PROTOCOL.md "Limits"
 * (its unit test holds the table to this list): `rate_limited` (a frame), `flood` (a connection
 * closed), `connection_limit`, `connect_rate_user`, `connect_rate_address`, `token_too_large`,
 * `frame_too_large`, `text_frame`, `replaced` (a device's old connection closed at the
 * connection limit for its new one), `typing` (a typing:R within PARLEY_TYPING_MIN_INTERVAL_MS
 * of the last one relayed, dropped) and `revoked` (a token issued before the user's revocation).
 */
export const LIMIT_HIT_REASONS = [
  'rate_limited',
  'flood',
  'connection_limit',
  'connect_rate_user',
  'connect_rate_address',
  'token_too_large',
  'frame_too_large',
  'text_frame',
  'replaced',
  'typing',
  'revoked',
  'slow_consumer',
] as const;
export type LimitHitReason = (typeof LIMIT_HIT_REASONS)[number];

export interface GatewayMetrics {
  /** Open connections by transport (`websocket`, `long_poll`). */
  readonly connections: Gauge<'transport'>;
  readonly rejectedUpgrades: Counter<'reason' | 'transport'>;
  /** Every time a limit refused something, by which (LIMIT_HIT_REASONS: no other reason type-checks). */
  readonly limitHits: { inc(labels: { reason: LimitHitReason }): void };
  readonly closes: Counter<'code' | 'transport'>;
  readonly downlinkBatches: Counter<string>;
  readonly droppedWrites: Counter<'reason'>;
  /** Long-poll recv requests held open until a frame or the hold time. */
  readonly longPollHolds: Counter<string>;
  /** Long-poll batches answered again because the client's ack showed the first answer lost. */
  readonly longPollBatchesResent: Counter<string>;
  /** user.connected/disconnected events the bus refused (dropped: the webhooks miss them). */
  readonly appEventsDropped: Counter<string>;
}

export function gatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    connections: new Gauge({
      name: 'parley_gateway_connections',
      help: 'Open client connections, by transport (websocket, long_poll)',
      labelNames: ['transport'],
      registers: [registry],
    }),
    appEventsDropped: new Counter({
      name: 'parley_gateway_app_events_dropped_total',
      help: 'user.connected/disconnected application events the bus refused (dropped; the webhooks miss them)',
      registers: [registry],
    }),
    rejectedUpgrades: new Counter({
      name: 'parley_gateway_rejected_upgrades_total',
      help: 'WebSocket upgrades and long-poll opens refused, by error code name and transport',
      labelNames: ['reason', 'transport'],
      registers: [registry],
    }),
    limitHits: new Counter({
      name: 'parley_gateway_limit_hits_total',
      help: 'Frames, connections and connection attempts refused by a limit, by limit (docs/PROTOCOL.md "Limits")',
      labelNames: ['reason'],
      registers: [registry],
    }),
    closes: new Counter({
      name: 'parley_gateway_closes_total',
      help: 'Connections closed, by close code and transport',
      labelNames: ['code', 'transport'],
      registers: [registry],
    }),
    downlinkBatches: new Counter({
      name: 'parley_gateway_downlink_batches_total',
      help: 'Downlink batches received by this gateway',
      registers: [registry],
    }),
    droppedWrites: new Counter({
      name: 'parley_gateway_dropped_writes_total',
      help: 'Frames not written to a client (connection gone, not yet welcomed, or closed for backpressure)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    longPollHolds: new Counter({
      name: 'parley_gateway_long_poll_recv_holds_total',
      help: 'Long-poll recv requests held open waiting for frames',
      registers: [registry],
    }),
    longPollBatchesResent: new Counter({
      name: 'parley_gateway_long_poll_batches_resent_total',
      help: 'Long-poll batches answered again because the first answer was not acknowledged',
      registers: [registry],
    }),
  };
}
