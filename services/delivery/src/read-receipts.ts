// read:R: a member marks a conversation read up to a position. The position is checked
// against the conversation (member, current epoch, no further than its latest message),
// recorded durably and monotonically in the conversation index (a lower or older position
// never moves it back), then the recorded position goes out as read:N to the reader's
// other devices and to the other members' devices (one frame per gateway, like a message).
import type { AckedPosition, ConversationIndex, MessageStore } from '@parley/ports';
import { asEpoch, directPeer, isGroupConversation } from '@parley/protocol';
import type { BatchScope } from './batch-scope';
import type { ReadRequest, RequestOrigin } from './deliver-record';
import { fanOut } from './fanout';
import { refuseNonMember, type ErrorCounter } from './refusals';

export interface ReadReceiptsParts {
  readonly messageStore: Pick<MessageStore, 'range'>;
  readonly conversationIndex: Pick<ConversationIndex, 'read' | 'reads'>;
  readonly errors: ErrorCounter;
}

/**
 * Where a read position may be recorded: `undefined` when the position is of another epoch
 * than the conversation's current one (a read of a previous life is moot), else the position
 * with its seq capped at the latest message (a client cannot mark unsent messages read).
 */
export function acceptedReadSeq(requested: { epoch: string; seq: number }, latest: { epoch: string; latestSeq: number }): number | undefined {
  if (!latest.epoch || requested.epoch !== latest.epoch) return undefined;
  return Math.min(requested.seq, latest.latestSeq);
}

export class ReadReceipts {
  constructor(private readonly parts: ReadReceiptsParts) {}

  async handleAll(marks: readonly ReadRequest[], scope: BatchScope): Promise<void> {
    if (marks.length === 0) return;
    const accepted: Array<AckedPosition & { origin: RequestOrigin }> = [];
    for (const { origin, position: read } of marks) {
      const user = origin.user;
      const conversation = read.conversation;
      if (!(await scope.isMember(conversation, user))) {
        refuseNonMember(scope.out, this.parts.errors, origin, conversation);
        continue;
      }
      const latest = await this.parts.messageStore.range(conversation, Number.MAX_SAFE_INTEGER, 1);
      const seq = acceptedReadSeq(read, latest);
      if (seq === undefined || seq < 1) continue;
      accepted.push({ origin, user, conversation, epoch: asEpoch(latest.epoch), seq });
    }
    if (accepted.length === 0) return;
    const index = this.parts.conversationIndex;
    await index.read(accepted);
    // What is recorded now (at least what was asked, or higher): what every device is told.
    const recorded = await Promise.all(accepted.map((a) => index.reads(a.conversation, [a.user])));
    for (let i = 0; i < accepted.length; i += 1) {
      const { origin, user, conversation } = accepted[i]!;
      const position = recorded[i]![0];
      if (!position) continue;
      const audience = isGroupConversation(conversation) ? await scope.membersOf(conversation) : [user, directPeer(conversation, user)!];
      const online = await scope.connectionsOf(audience);
      const entries = audience.flatMap((member) => online.get(member) ?? []);
      fanOut(scope.out, { readN: { conversation, user, position: { epoch: position.epoch, seq: position.seq } } }, entries, origin);
    }
  }
}
