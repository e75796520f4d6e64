// The sync:R pages of ConversationSync's runs: asks for the next page, feeds each answer
// into the receive order, and gives up the gap of a conversation the server will not sync.
import { asEpoch, isGroupConversation, type ConversationId } from '@parley/protocol';
import type { ClientCounters } from './client-stats';
import type { ConnectionStatus } from './connection';
import type { ConversationSync } from './conversation-sync';
import type { Position, SyncPage } from './frames';
import type { PendingRequests } from './pending-requests';
import type { ReceiveFollowUp } from './receive-follow-up';
import type { Delivery, ReceiveOrder } from './receive-order';

export interface SyncPagesDeps {
  readonly status: ConnectionStatus;
  readonly counters: ClientCounters;
  /** Messages asked per sync:R (capped by the welcome's maxOfflinePage). */
  readonly syncPageSize: number;
  readonly requests: PendingRequests;
  readonly receiveOrder: ReceiveOrder;
  readonly conversationSync: ConversationSync;
  readonly followUp: ReceiveFollowUp;
}

export class SyncPages {
  constructor(private readonly deps: SyncPagesDeps) {}

  /** Sends one sync:R; `after` undefined: from the delivered position now (none: from the oldest kept message). */
  request(conversation: ConversationId, after: Position | undefined): void {
    const { status, receiveOrder, syncPageSize } = this.deps;
    if (status.closed) return;
    const from = after ?? receiveOrder.position(conversation) ?? { epoch: asEpoch(''), seq: 0 };
    const cap = status.welcome?.maxOfflinePage ?? 0;
    const limit = cap > 0 ? Math.min(syncPageSize, cap) : syncPageSize;
    this.deps.requests.issue({
      expects: 'sync',
      retry: 'idempotent',
      deadlineMs: undefined, // a sync outlives reconnects; the next welcome asks again anyway
      frame: (requestId) => ({ syncR: { requestId, conversation, after: { epoch: from.epoch, seq: from.seq }, limit } }),
      onAnswer: (page) => this.onPage(conversation, page),
      onFailure: (error) => this.onRefused(conversation, error),
    });
  }

  private onPage(conversation: ConversationId, page: SyncPage): void {
    const { receiveOrder, followUp } = this.deps;
    this.deps.counters.malformedFrames += page.malformed;
    const released: Delivery[] = [];
    const first = page.messages[0];
    if (page.reset) {
      // The page does not follow our position: the conversation continues right before its first message.
      const to = first ? { epoch: first.position.epoch, seq: first.position.seq - 1 } : page.latest;
      // latest epoch '': the server has no message of the conversation at all (its store lost
      // them, nothing new yet): nothing to continue to; the next epoch's first message is
      // entered through a sync as usual.
      if (to && to.epoch !== '') released.push(...receiveOrder.resetTo(conversation, to));
    }
    const direct = !isGroupConversation(conversation);
    for (const message of page.messages) {
      const result = receiveOrder.accept(message, 'sync');
      // 1:1 acks stay per message: what the page brought for the first time is acked (the
      // server stops re-pushing it, and its sender learns it was delivered).
      if (direct && (result.verdict === 'delivered' || result.verdict === 'buffered')) followUp.ackOne(message);
      released.push(...result.deliver);
    }
    const last = page.messages[page.messages.length - 1]?.position;
    const verdict = this.deps.conversationSync.pageProcessed(conversation, { hasMore: page.hasMore, last }, receiveOrder.gapSize(conversation) > 0);
    if (verdict === 'done' && !page.hasMore && page.latest) {
      // The server sent all it has up to its latest seq: a seq we still lack up to there is gone.
      released.push(...receiveOrder.skipMissing(conversation, page.latest));
    }
    followUp.review([conversation]);
    followUp.deliver(released);
  }

  /** The server will not sync the conversation (e.g. NOT_A_MEMBER): a gap in it can never fill. */
  private onRefused(conversation: ConversationId, error: Error): void {
    this.deps.conversationSync.failed(conversation, error);
    if (this.deps.status.closed) return;
    const released = this.deps.receiveOrder.skipMissing(conversation, undefined);
    this.deps.followUp.review([conversation]);
    this.deps.followUp.deliver(released);
  }
}
