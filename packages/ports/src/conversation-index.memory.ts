// ConversationIndex kept in this process's memory: per user, last activity and acked
// position per conversation.
import type { ConversationId, Epoch, Seq, UserId } from '@parley/protocol';
import type { AckedPosition, ConversationActivity, ConversationEntry, ConversationIndex } from './conversation-index';

interface Acked {
  readonly epoch: Epoch;
  readonly seq: Seq;
}

/**
 * Single process only, lost on restart. `list` sorts all of the user's conversations on
 * each call (fine for tests and the embedded mode); ties in activity time come in
 * descending conversation id order, like Redis's ZREVRANGE.
 */
export class MemoryConversationIndex implements ConversationIndex {
  private readonly activityByUser = new Map<UserId, Map<ConversationId, number>>();
  private readonly ackedByUser = new Map<UserId, Map<ConversationId, Acked>>();
  private readonly readByUser = new Map<UserId, Map<ConversationId, Acked>>();

  async touch(activity: readonly ConversationActivity[]): Promise<void> {
    for (const { user, conversation, atMs } of activity) {
      const conversations = entriesOf(this.activityByUser, user);
      const previous = conversations.get(conversation);
      if (previous === undefined || atMs > previous) conversations.set(conversation, atMs);
    }
  }

  async ack(positions: readonly AckedPosition[]): Promise<void> {
    record(this.ackedByUser, positions, 'acked');
  }

  async read(positions: readonly AckedPosition[]): Promise<void> {
    record(this.readByUser, positions, 'read');
  }

  async reads(conversation: ConversationId, users: readonly UserId[]): Promise<Array<{ epoch: Epoch; seq: Seq } | undefined>> {
    return users.map((user) => copy(this.readByUser.get(user)?.get(conversation)));
  }

  async list(user: UserId, limit: number): Promise<ConversationEntry[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`conversation list limit must be >= 1, got ${limit}`);
    const acked = this.ackedByUser.get(user);
    const read = this.readByUser.get(user);
    return [...(this.activityByUser.get(user) ?? [])]
      .sort(([a, atA], [b, atB]) => atB - atA || (a < b ? 1 : a > b ? -1 : 0))
      .slice(0, limit)
      .map(([conversation, lastActivityMs]) => ({ conversation, lastActivityMs, acked: copy(acked?.get(conversation)), read: copy(read?.get(conversation)) }));
  }

  async acked(conversation: ConversationId, users: readonly UserId[]): Promise<Array<{ epoch: Epoch; seq: Seq } | undefined>> {
    return users.map((user) => copy(this.ackedByUser.get(user)?.get(conversation)));
  }
}

/** Records positions by the `supersedes` rule (all checked before any is written). */
function record(byUser: Map<UserId, Map<ConversationId, Acked>>, positions: readonly AckedPosition[], what: string): void {
  for (const { seq } of positions) {
    if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`${what} seq must be a non-negative integer, got ${seq}`);
  }
  for (const { user, conversation, epoch, seq } of positions) {
    const kept = entriesOf(byUser, user);
    if (supersedes({ epoch, seq }, kept.get(conversation))) kept.set(conversation, { epoch, seq });
  }
}

/**
 * Whether an ack replaces the stored one: within one epoch a higher seq (acks are
 * cumulative and may arrive out of order); otherwise a later epoch (epochs sort by
 * creation time, so an ack of the previous life arriving late is ignored).
 */
function supersedes(next: Acked, current: Acked | undefined): boolean {
  if (!current) return true;
  if (next.epoch === current.epoch) return next.seq > current.seq;
  return next.epoch > current.epoch;
}

function entriesOf<V>(byUser: Map<UserId, Map<ConversationId, V>>, user: UserId): Map<ConversationId, V> {
  let entries = byUser.get(user);
  if (!entries) byUser.set(user, (entries = new Map()));
  return entries;
}

function copy(acked: Acked | undefined): { epoch: Epoch; seq: Seq } | undefined {
  return acked && { epoch: acked.epoch, seq: acked.seq };
}
