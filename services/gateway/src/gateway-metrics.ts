// Metrics the gateway records.
import { Counter, Gauge, Registry } from '@parley/observability';

export interface GatewayMetrics {
  readonly connections: Gauge<string>;
  readonly rejectedUpgrades: Counter<'reason'>;
  readonly closes: Counter<'code'>;
  readonly downlinkBatches: Counter<string>;
  readonly droppedWrites: Counter<'reason'>;
}

export function gatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    connections: new Gauge({ name: 'parley_gateway_connections', help: 'Open client connections', registers: [registry] }),
    rejectedUpgrades: new Counter({
      name: 'parley_gateway_rejected_upgrades_total',
      help: 'WebSocket upgrades refused, by error code name',
      labelNames: ['reason'],
      registers: [registry],
    }),
    closes: new Counter({
      name: 'parley_gateway_closes_total',
      help: 'Connections closed, by close code',
      labelNames: ['code'],
      registers: [registry],
    }),
    downlinkBatches: new Counter({
      name: 'parley_gateway_downlink_batches_total',
      help: 'Downlink batches received by this gateway',
      registers: [registry],
    }),
    droppedWrites: new Counter({
      name: 'parley_gateway_dropped_writes_total',
      help: 'Frames not written to a client (connection gone, or closed for backpressure)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
