// What follows a change in the receive order: the 1:1 ack:R of one message, a group's
// cumulative ack and the gap watch (review), and the 'message' / 'reset' events (deliver).
import { isGroupConversation, type ConversationId } from '@parley/protocol';
import type { EmitClientEvent } from './client-events';
import type { ClientCounters } from './client-stats';
import type { ConnectionStatus } from './connection';
import type { DirectAcks } from './direct-acks';
import type { ReceivedMessage } from './frames';
import type { GapWatch } from './gap-watch';
import type { GroupAcks } from './group-acks';
import type { Delivery, ReceiveOrder } from './receive-order';

export interface ReceiveFollowUpDeps {
  readonly status: ConnectionStatus;
  readonly counters: ClientCounters;
  readonly receiveOrder: ReceiveOrder;
  readonly groupAcks: GroupAcks;
  readonly directAcks: DirectAcks;
  readonly gapWatch: GapWatch;
  readonly emit: EmitClientEvent;
}

export class ReceiveFollowUp {
  constructor(private readonly deps: ReceiveFollowUpDeps) {}

  /** A 1:1 ack:R for one message (at most one per position per interval, see DirectAcks). */
  ackOne(message: ReceivedMessage): void {
    if (this.deps.directAcks.ack(message.conversation, message.position)) this.deps.counters.acksSent += 1;
  }

  /**
   * After the receive state of these conversations changed: a group's cumulative ack is
   * due at its contiguous position (`pushed`: a msg:N came, so even an unchanged position
   * is acked again), and a gap left open is watched (a new epoch waiting is synced at once).
   */
  review(conversations: Iterable<ConversationId>, pushed = false): void {
    const { receiveOrder, groupAcks, gapWatch } = this.deps;
    for (const conversation of conversations) {
      if (isGroupConversation(conversation)) {
        const position = receiveOrder.position(conversation);
        if (position) groupAcks.due(conversation, position, pushed);
      }
      gapWatch.observe(conversation, receiveOrder.gapSize(conversation), receiveOrder.awaitsEpoch(conversation));
    }
  }

  /** Emits after the protocol work is done, so a listener calling close() cannot cut it short. */
  deliver(deliveries: readonly Delivery[]): void {
    for (const delivery of deliveries) {
      if (this.deps.status.closed) return;
      if (delivery.kind === 'message') this.deps.emit('message', delivery.message);
      else this.deps.emit('reset', delivery.reset);
    }
  }
}
