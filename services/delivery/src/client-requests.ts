// Answers to client requests that reach delivery: ack:R (1:1 per message, group
// cumulative), offline:R / offlineack:R (the inbox; a 1:1 entry taken is an ack), sync:R
// (history by seq), conversations:R (the chat list, with the read and delivered positions)
// and read:R (read-receipts.ts).
import {
  asEpoch,
  ConversationId,
  directPeer,
  ErrorCode,
  errorCodeName,
  isGroupConversation,
  toMsgNotify,
  UserId,
  ConnectionId,
  encodeInboxCursor,
  Epoch,
  StoredMessage,
} from '@parley/protocol';
import type { BatchScope } from './batch-scope';
import type { DeliveryContext } from './delivery-context';
import type { AckRequest, ClientRequest, ConversationsRequest, InboxPullRequest, InboxTrimRequest, ReadRequest, RefusedRequest, RequestOrigin, SyncRequest } from './deliver-record';
import type { DirectDelivery, DirectPosition } from './direct-delivery';
import type { AckedPosition } from '@parley/ports';
import type { GroupDelivery } from './group-delivery';
import { ReadReceipts } from './read-receipts';

/** Default and largest conversations:R page. */
const CONVERSATIONS_PAGE = 100;

export class ClientRequests {
  private readonly reads: ReadReceipts;

  constructor(
    private readonly context: DeliveryContext,
    private readonly direct: DirectDelivery,
    private readonly group: GroupDelivery,
    /** Resolves once a store loss is noticed and its write-back is done (see Delivery.settleStoreLoss). */
    private readonly settleStoreLoss: () => Promise<void> = async () => {},
  ) {
    this.reads = new ReadReceipts(context);
  }

  /**
   * Handles consecutive client requests of one batch. Acks are handled together (one
   * round of store writes for all of them); the others one by one, in order.
   */
  async handleAll(requests: readonly ClientRequest[], scope: BatchScope): Promise<void> {
    const acks = requests.filter((r): r is AckRequest => r.kind === 'ack');
    if (acks.length > 0) await this.acknowledgeAll(acks, scope);
    // After the acks: a read position of messages acked in the same batch is told after their DELIVERED.
    const reads = requests.filter((r): r is ReadRequest => r.kind === 'read');
    if (reads.length > 0) await this.reads.handleAll(reads, scope);
    for (const request of requests) {
      if (request.kind === 'pull') await this.pullInbox(request, scope);
      else if (request.kind === 'trim') await this.trimInbox(request, scope);
      else if (request.kind === 'sync') await this.sync(request, scope);
      else if (request.kind === 'conversations') await this.listConversations(request, scope);
      else if (request.kind === 'refuse') this.answerRefusal(request, scope);
    }
  }

  private async isMember(conversation: ConversationId, user: UserId, scope: BatchScope): Promise<boolean> {
    if (isGroupConversation(conversation)) return scope.isMember(conversation, user);
    return directPeer(conversation, user) !== undefined;
  }

  private refuse(origin: RequestOrigin, scope: BatchScope, conversation: string, requestId = ''): void {
    scope.out.add(origin, { error: { code: ErrorCode.NOT_A_MEMBER, message: `not a member of ${conversation}`, retryable: false, msgId: requestId } });
    this.context.shared.errors.inc({ code: 'NOT_A_MEMBER', service: 'delivery' });
  }

  /** A request the edge refused (one no gateway forwards): its error, as the gateway would have answered it. */
  private answerRefusal(request: RefusedRequest, scope: BatchScope): void {
    scope.out.add(request.origin, { error: { code: request.code, message: request.message, retryable: false, ...(request.msgId ? { msgId: request.msgId } : {}) } });
    this.context.shared.errors.inc({ code: errorCodeName(request.code) ?? String(request.code), service: 'delivery' });
  }

  private async acknowledgeAll(acks: readonly AckRequest[], scope: BatchScope): Promise<void> {
    const accepted: AckedPosition[] = [];
    const direct: Array<{ user: UserId; connectionId: ConnectionId; position: DirectPosition }> = [];
    for (const { origin, position } of acks) {
      const { user, connectionId } = origin;
      const { conversation, epoch, seq } = position;
      if (!(await this.isMember(conversation, user, scope))) {
        this.refuse(origin, scope, conversation);
        continue;
      }
      scope.out.add(origin, { ackA: { conversation, position: { epoch, seq } } });
      accepted.push({ user, conversation, epoch, seq });
      if (isGroupConversation(conversation)) this.group.acked(conversation, user, connectionId, epoch, seq);
      else direct.push({ user, connectionId, position });
    }
    // Independent writes issued together: the Redis client pipelines them into one round trip.
    await Promise.all([
      this.context.infrastructure.conversationIndex.ack(accepted),
      this.direct.acknowledgeAll(direct, scope),
    ]);
  }

  private async pullInbox({ origin, after, limit: asked }: InboxPullRequest, scope: BatchScope): Promise<void> {
    const max = this.context.maxOfflinePage;
    const limit = Math.max(1, Math.min(max, asked || max));
    const page = await this.context.infrastructure.inbox.page(origin.user, after, limit);
    scope.out.add(origin, {
      offlineA: { messages: page.messages.map(toMsgNotify), hasMore: page.hasMore, nextCursor: page.next ? encodeInboxCursor(page.next) : '' },
    });
  }

  /**
   * offlineack:R: the device stored these entries. A 1:1 entry taken is the receiver's ack of
   * that message, exactly like ack:R (its acked position recorded, its sender told DELIVERED
   * when this removed it); group entries are only removed (a group's ack is cumulative and
   * its sender is told QUEUED, never per member).
   */
  private async trimInbox({ origin, refs }: InboxTrimRequest, scope: BatchScope): Promise<void> {
    const { user, connectionId } = origin;
    const direct = refs.filter((ref) => directPeer(ref.conversation, user) !== undefined);
    const groups = refs.filter((ref) => directPeer(ref.conversation, user) === undefined);
    await Promise.all([
      this.context.infrastructure.inbox.remove(user, groups),
      this.context.infrastructure.conversationIndex.ack(direct.map((ref) => ({ user, ...ref }))),
      this.direct.acknowledgeAll(direct.map((ref) => ({ user, connectionId, position: ref })), scope),
    ]);
  }

  /** History after a position; `reset` when it does not follow on (new epoch, or beyond retention). */
  private async sync({ origin, requestId, conversation, after, limit: asked }: SyncRequest, scope: BatchScope): Promise<void> {
    const user = origin.user;
    if (!(await this.isMember(conversation, user, scope))) return this.refuse(origin, scope, conversation, requestId);
    const max = this.context.maxOfflinePage;
    const limit = Math.max(1, Math.min(max, asked || max));
    const store = this.context.infrastructure.messageStore;
    let range = await store.range(conversation, after ? after.seq : 0, limit);
    let reset = false;
    if (after && range.epoch !== after.epoch) {
      // The store lost `after`'s epoch. What this user has not taken of it comes first, in
      // its own pages (has_more: sync on from the page's last message); only then the reset
      // to the current epoch. This request sits on the conversation's partition, so every
      // message of the old epoch sequenced before it has been handled here by now.
      const left = await this.oldEpochLeft(user, conversation, after.epoch, after.seq, limit);
      if (left.length > 0) {
        this.context.metrics.oldEpochSyncPages.inc();
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
    await this.settleStoreLoss();
    const page = await this.context.infrastructure.inbox.page(user, { conversation, epoch, seq: afterSeq }, limit);
    const bySeq = new Map<number, StoredMessage>();
    for (const message of page.messages) {
      if (message.conversation === conversation && message.position?.epoch === epoch) bySeq.set(Number(message.position.seq), message);
    }
    if (isGroupConversation(conversation)) {
      for (const kept of this.group.recent.held(conversation, epoch, afterSeq, Number.MAX_SAFE_INTEGER)) {
        if (!bySeq.has(kept.position.seq)) bySeq.set(kept.position.seq, kept.message);
      }
    }
    return [...bySeq.entries()]
      .sort((a, b) => a[0] - b[0])
      .slice(0, limit)
      .map(([, message]) => message);
  }

  private async listConversations({ origin, requestId, limit: asked }: ConversationsRequest, scope: BatchScope): Promise<void> {
    const user = origin.user;
    const limit = Math.max(1, Math.min(CONVERSATIONS_PAGE, asked || CONVERSATIONS_PAGE));
    const entries = await this.context.infrastructure.conversationIndex.list(user, limit);
    const conversations = await Promise.all(
      entries.map(async (entry) => {
        // Past the latest seq: the answer carries the epoch and latest seq, no messages.
        const latest = await this.context.infrastructure.messageStore.range(entry.conversation, Number.MAX_SAFE_INTEGER, 1);
        const inLatest = (p: { epoch: string; seq: number } | undefined) => ({ epoch: latest.epoch, seq: p && p.epoch === latest.epoch ? p.seq : 0 });
        const peer = directPeer(entry.conversation, user);
        const ticks = peer ? await this.peerPositions(entry.conversation, peer, latest.epoch) : undefined;
        return {
          conversation: entry.conversation,
          latest: { epoch: latest.epoch, seq: latest.latestSeq },
          acked: inLatest(entry.acked),
          lastActivityMs: entry.lastActivityMs,
          read: inLatest(entry.read),
          ...(ticks ? { peerRead: inLatest(ticks.read), delivered: { epoch: latest.epoch, seq: ticks.deliveredSeq } } : {}),
        };
      }),
    );
    scope.out.add(origin, { conversationsA: { requestId, conversations } });
  }

  /**
   * The other member of a 1:1 conversation: its read position, and how far the user's
   * messages were taken by its devices. Every 1:1 message is in its receiver's inbox before
   * any push and leaves it only when a device of the receiver takes it (ack:R,
   * offlineack:R); so in the latest epoch every message up to the receiver's acked position
   * and below the first one still held is delivered (deliveredUpTo).
   */
  private async peerPositions(conversation: ConversationId, peer: UserId, epoch: string): Promise<{ read: { epoch: string; seq: number } | undefined; deliveredSeq: number }> {
    const index = this.context.infrastructure.conversationIndex;
    const [[read], [acked], [held]] = await Promise.all([
      index.reads(conversation, [peer]),
      index.acked(conversation, [peer]),
      this.context.infrastructure.inbox.firstHeld([{ user: peer, conversation, epoch: asEpoch(epoch) }]),
    ]);
    return { read, deliveredSeq: deliveredUpTo(epoch, acked, held) };
  }
}

/**
 * The highest seq of `epoch` up to which every message to a 1:1 receiver was taken by one of
 * its devices: its acked position in that epoch (0 if of another epoch or none), and below the
 * first entry its inbox still holds in that epoch. (A message sequenced but not yet in the
 * inbox is above the acked position: delivery writes the inbox before any push, in seq order.)
 */
export function deliveredUpTo(epoch: string, acked: { epoch: string; seq: number } | undefined, firstHeld: number | undefined): number {
  const ackedSeq = acked && acked.epoch === epoch ? acked.seq : 0;
  return firstHeld === undefined ? ackedSeq : Math.min(ackedSeq, firstHeld - 1);
}
