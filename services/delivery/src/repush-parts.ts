// What both pushing flows (1:1 in direct-delivery.ts, group in group-delivery.ts) use to
// re-push on an ack timeout: re-pushes run on their timers, outside any deliver batch, so they
// read presence themselves and publish through the publisher they are given.
import type { Logger } from '@parley/observability';
import type { Clock, Presence } from '@parley/ports';
import type { DeliveryMetrics } from './delivery-metrics';
import type { FramePublisher } from './frame-publisher';
import type { IntakeLag } from './intake-lag';
import type { RedeliveryPolicy } from './redelivery-policy';
import type { RepushBudget } from './repush-budget';
import type { SenderNotices } from './sender-notices';

export interface RepushParts {
  /** The receivers' connections when a re-push falls due. */
  readonly presence: Pick<Presence, 'lookup'>;
  /** Where re-pushes and the ack:N they settle go. */
  readonly publisher: Pick<FramePublisher, 'publish'>;
  /** The senders' ack:N. */
  readonly notices: Pick<SenderNotices, 'notify'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly redelivery: RedeliveryPolicy;
  /** Whether the deliver topic's backlog may still hold acks: re-pushes wait while it does. */
  readonly intake: Pick<IntakeLag, 'postpones' | 'isBehind'>;
  /** Re-pushes per second this process may send (first pushes are not limited). */
  readonly repushes: Pick<RepushBudget, 'submit'>;
  readonly metrics: Pick<DeliveryMetrics, 'pushLatency' | 'redeliveries' | 'redeliveriesPostponed' | 'redeliveriesThrottled'>;
}
