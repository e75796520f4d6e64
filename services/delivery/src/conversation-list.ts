// conversations:R: the user's chat list, most recent first, each conversation with its latest
// position, the user's acked and read positions and, in a 1:1 conversation, the peer's read
// position and how far the user's messages were delivered (taken by a device of the peer).
import type { ConversationIndex, Inbox, MessageStore } from '@parley/ports';
import { asEpoch, directPeer, type ConversationId, type UserId } from '@parley/protocol';
import type { BatchScope } from './batch-scope';
import type { ConversationsRequest } from './deliver-record';

/** Default and largest conversations:R page. */
const CONVERSATIONS_PAGE = 100;

export interface ConversationListParts {
  readonly conversationIndex: Pick<ConversationIndex, 'list' | 'reads' | 'acked'>;
  readonly messageStore: Pick<MessageStore, 'range'>;
  readonly inbox: Pick<Inbox, 'firstHeld'>;
}

export class ConversationList {
  constructor(private readonly parts: ConversationListParts) {}

  async answer({ origin, requestId, limit: asked }: ConversationsRequest, scope: BatchScope): Promise<void> {
    const user = origin.user;
    const limit = Math.max(1, Math.min(CONVERSATIONS_PAGE, asked || CONVERSATIONS_PAGE));
    const entries = await this.parts.conversationIndex.list(user, limit);
    const conversations = await Promise.all(
      entries.map(async (entry) => {
        // Past the latest seq: the answer carries the epoch and latest seq, no messages.
        const latest = await this.parts.messageStore.range(entry.conversation, Number.MAX_SAFE_INTEGER, 1);
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
    const index = this.parts.conversationIndex;
    const [[read], [acked], [held]] = await Promise.all([
      index.reads(conversation, [peer]),
      index.acked(conversation, [peer]),
      this.parts.inbox.firstHeld([{ user: peer, conversation, epoch: asEpoch(epoch) }]),
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
