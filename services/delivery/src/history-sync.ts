// sync:R: a conversation's history after a position, by seq, for a member; `reset` when the
// position does not follow on (a new epoch, or past retention). After the store lost the
// position's epoch, what the user has not taken of it is handed over first (from its inbox and
// the group messages kept in memory), and only then the reset to the current epoch.
import type { Inbox, MessageStore } from '@parley/ports';
import { isGroupConversation, toMsgNotify, type ConversationId, type Epoch, type StoredMessage, type UserId } from '@parley/protocol';
import type { BatchScope } from './batch-scope';
import type { SyncRequest } from './deliver-record';
import type { DeliveryMetrics } from './delivery-metrics';
import type { RecentGroupMessages } from './recent-group-messages';
import { refuseNonMember, type ErrorCounter } from './refusals';
import type { StoreLossSettling } from './store-loss-recovery';

export interface HistorySyncParts {
  readonly messageStore: Pick<MessageStore, 'range'>;
  readonly inbox: Pick<Inbox, 'page'>;
  /** The group messages kept in memory (GroupDelivery's). */
  readonly recentGroupMessages: Pick<RecentGroupMessages, 'held'>;
  /** A write-back after a store loss, awaited before an old epoch is read from the inboxes. */
  readonly storeLoss: StoreLossSettling;
  /** Largest sync:A page. */
  readonly maxPage: number;
  readonly metrics: Pick<DeliveryMetrics, 'oldEpochSyncPages'>;
  readonly errors: ErrorCounter;
}

export class HistorySync {
  constructor(private readonly parts: HistorySyncParts) {}

  /** History after a position; `reset` when it does not follow on (new epoch, or beyond retention). */
  async answer({ origin, requestId, conversation, after, limit: asked }: SyncRequest, scope: BatchScope): Promise<void> {
    const user = origin.user;
    if (!(await scope.isMember(conversation, user))) return refuseNonMember(scope.out, this.parts.errors, origin, conversation, requestId);
    const max = this.parts.maxPage;
    const limit = Math.max(1, Math.min(max, asked || max));
    const store = this.parts.messageStore;
    let range = await store.range(conversation, after ? after.seq : 0, limit);
    let reset = false;
    if (after && range.epoch !== after.epoch) {
      // The store lost `after`'s epoch. What this user has not taken of it comes first, in
      // its own pages (has_more: sync on from the page's last message); only then the reset
      // to the current epoch. This request sits on the conversation's partition, so every
      // message of the old epoch sequenced before it has been handled here by now.
      const left = await this.oldEpochLeft(user, conversation, after.epoch, after.seq, limit);
      if (left.length > 0) {
        this.parts.metrics.oldEpochSyncPages.inc();
        scope.out.add(origin, {
          syncA: { requestId, conversation, messages: left.map(toMsgNotify), hasMore: true, latest: { epoch: range.epoch, seq: range.latestSeq }, reset: false },
        });
        return;
      }
      reset = true;
      range = await store.range(conversation, 0, limit);
    } else if (after && after.seq + 1 < range.oldestSeq) {
      reset = true; // messages right after `after` are past retention
    }
    const last = range.messages.at(-1);
    scope.out.add(origin, {
      syncA: {
        requestId,
        conversation,
        messages: range.messages.map(toMsgNotify),
        hasMore: last !== undefined && Number(last.position?.seq) < range.latestSeq,
        latest: { epoch: range.epoch, seq: range.latestSeq },
        reset,
      },
    });
  }

  /**
   * The messages of an epoch the store no longer holds, after `afterSeq`, that `user` has not
   * taken yet, in seq order, at most `limit`: its inbox entries of that epoch (1:1 messages
   * stay there until a device of the user takes them; written back after a loss) and, in a
   * group, the messages of that epoch this process still keeps for connections that have not
   * acked them (RecentGroupMessages, bounded). Waits for a write-back after a store loss.
   */
  private async oldEpochLeft(user: UserId, conversation: ConversationId, epoch: Epoch, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    await this.parts.storeLoss.settled();
    const page = await this.parts.inbox.page(user, { conversation, epoch, seq: afterSeq }, limit);
    const bySeq = new Map<number, StoredMessage>();
    for (const message of page.messages) {
      if (message.conversation === conversation && message.position?.epoch === epoch) bySeq.set(Number(message.position.seq), message);
    }
    if (isGroupConversation(conversation)) {
      for (const kept of this.parts.recentGroupMessages.held(conversation, epoch, afterSeq, Number.MAX_SAFE_INTEGER)) {
        if (!bySeq.has(kept.position.seq)) bySeq.set(kept.position.seq, kept.message);
      }
    }
    return [...bySeq.entries()]
      .sort((a, b) => a[0] - b[0])
      .slice(0, limit)
      .map(([, message]) => message);
  }
}
