// What every part of delivery works with: the adapters, the clock, metrics and limits.
import type { Clock } from '@parley/ports';
import type { Logger, SharedMetrics } from '@parley/observability';
import type { DeliveryMetrics } from './delivery-metrics';
import type { DeliveryPorts } from './delivery-ports';
import type { IntakeLag } from './intake-lag';
import type { RedeliveryPolicy } from './redelivery-policy';
import type { RepushBudget } from './repush-budget';
import type { SenderNotices } from './sender-notices';

export interface DeliveryContext {
  readonly infrastructure: DeliveryPorts;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: DeliveryMetrics;
  readonly shared: SharedMetrics;
  readonly redelivery: RedeliveryPolicy;
  readonly maxOfflinePage: number;
  /** Whether the deliver topic's backlog may still hold acks: re-pushes wait while it does. */
  readonly intake: IntakeLag;
  /** Re-pushes per second this process may send (first pushes are not limited). */
  readonly repushes: RepushBudget;
  /** The senders' ack:N (routing and repetition). */
  readonly notices: SenderNotices;
  /** Whether message.delivered application events are published (PARLEY_APP_EVENTS). */
  readonly appEvents: boolean;
}

