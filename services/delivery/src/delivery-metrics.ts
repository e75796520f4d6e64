// Metrics the delivery service records.
import { Counter, Gauge, Histogram, Registry } from '@parley/observability';

export interface DeliveryMetrics {
  readonly redeliveries: Counter<string>;
  /** message.delivered events dropped (a bus outage past the publisher's queue bound, or at stop). */
  readonly redeliveriesPostponed: Counter<string>;
  /** Re-pushes that waited in line because this process's re-push budget was spent. */
  readonly redeliveriesThrottled: Counter<string>;
  /** Sender retransmits met while behind with nothing pending: tracked, their push left to the ack timeout. */
  readonly retransmitPushesDeferred: Counter<string>;
  readonly outcomes: Counter<'outcome'>;
  readonly pending: Gauge<string>;
  readonly pushLatency: Histogram<string>;
  readonly ackLatency: Histogram<string>;
  readonly downlinkBatches: Counter<string>;
  readonly groupFanoutGateways: Counter<string>;
  readonly groupFanoutMembers: Counter<string>;
  /** ack:N published again because its gateway's batch reached no subscriber. */
  readonly noticesRepeated: Counter<string>;
  /** Messages put back in receivers' inboxes after the store lost its data (1:1 pending, group unacknowledged). */
  readonly inboxRestored: Counter<'kind'>;
  /** sync:A pages of an epoch the store lost (what the user had not taken of it), answered before the reset. */
  readonly oldEpochSyncPages: Counter<string>;
  /** Group messages held in memory for re-pushes and for a write-back after a store loss. */
  readonly groupMessagesKept: Gauge<string>;
  /** Group messages dropped from that memory to stay within its bounds. */
  readonly groupMessagesEvicted: Counter<string>;
  /** Deliver-topic records not handled, by reason (deliver-record.ts SkipReason). */
  readonly skippedRecords: Counter<'reason'>;
}

const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function deliveryMetrics(registry: Registry): DeliveryMetrics {
  return {
    redeliveries: new Counter({
      name: 'parley_retransmits_total',
      help: 'msg:N pushed again because the receiver did not ack in time',
      registers: [registry],
    }),
    redeliveriesPostponed: new Counter({
      name: 'parley_delivery_redeliveries_postponed_total',
      help: 'Re-pushes put off by one ack timeout because delivery was behind on the deliver topic (the ack may be in the backlog)',
      registers: [registry],
    }),
    redeliveriesThrottled: new Counter({
      name: 'parley_delivery_redeliveries_throttled_total',
      help: "Re-pushes that waited in line because this process's re-push budget (a token bucket) was spent",
      registers: [registry],
    }),
    retransmitPushesDeferred: new Counter({
      name: 'parley_delivery_retransmit_pushes_deferred_total',
      help: 'Sender retransmits (msg:R duplicates) met while delivery was behind and had nothing pending for them: tracked, not pushed at once (the ack may be in the backlog); the ack timeout pushes them if no ack comes',
      registers: [registry],
    }),
    outcomes: new Counter({
      name: 'parley_delivery_outcomes_total',
      help: 'How messages reached receivers: delivered (acked), stored_offline, gave_up (left in the inbox)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'parley_delivery_pending_acks',
      help: '1:1 msg:N pushed and not yet acknowledged, per receiving connection',
      registers: [registry],
    }),
    pushLatency: new Histogram({
      name: 'parley_e2e_push_latency_seconds',
      help: 'From the gateway receiving msg:R to delivery publishing msg:N',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    ackLatency: new Histogram({
      name: 'parley_e2e_ack_latency_seconds',
      help: 'From the gateway receiving msg:R to delivery receiving the receiver\'s ack:R',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    groupFanoutGateways: new Counter({
      name: 'parley_delivery_group_fanout_gateway_batches_total',
      help: 'Group messages times the gateways they were sent to: the fan-out cost (one downlink item per gateway, not per member)',
      registers: [registry],
    }),
    noticesRepeated: new Counter({
      name: 'parley_delivery_notices_repeated_total',
      help: "Downlink batches of senders' ack:N published again because the first reached no gateway subscriber (e.g. its subscription re-opening after a store restart)",
      registers: [registry],
    }),
    inboxRestored: new Counter({
      name: 'parley_delivery_inbox_restored_total',
      help: "Messages put back in receivers' inboxes after the store lost its data: kind=direct pending 1:1 messages, kind=group group messages a member's connection had not acknowledged",
      labelNames: ['kind'],
      registers: [registry],
    }),
    oldEpochSyncPages: new Counter({
      name: 'parley_delivery_old_epoch_sync_pages_total',
      help: "sync:A pages of an epoch the store lost (the user's inbox entries and the group messages kept for it), answered before the reset to the new epoch",
      registers: [registry],
    }),
    groupMessagesKept: new Gauge({
      name: 'parley_delivery_group_messages_kept',
      help: 'Group messages held in memory because a member connection has not acknowledged them (re-pushed from there; written back to inboxes after a store loss)',
      registers: [registry],
    }),
    groupMessagesEvicted: new Counter({
      name: 'parley_delivery_group_messages_evicted_total',
      help: 'Group messages dropped from that memory to stay within its bounds (a re-push then reads the message store)',
      registers: [registry],
    }),
    groupFanoutMembers: new Counter({
      name: 'parley_delivery_group_fanout_members_total',
      help: 'Group messages times the members they were for',
      registers: [registry],
    }),
    downlinkBatches: new Counter({
      name: 'parley_delivery_downlink_batches_total',
      help: 'Downlink batches published by delivery (one per gateway per bus batch)',
      registers: [registry],
    }),
    skippedRecords: new Counter({
      name: 'parley_delivery_skipped_records_total',
      help: 'Records on the deliver topic not handled: undecodable, without a message or a user, a frame delivery does not answer, or an application event',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
