// The ConversationIndex port: each user's conversations (for a chat list), with the
// position the user acknowledged and the position the user marked read in each.
import type { ConversationId, Epoch, Seq, UserId } from '@parley/protocol';

export interface ConversationActivity {
  readonly user: UserId;
  readonly conversation: ConversationId;
  readonly atMs: number;
}

export interface AckedPosition {
  readonly user: UserId;
  readonly conversation: ConversationId;
  readonly epoch: Epoch;
  readonly seq: Seq;
}

export interface ConversationEntry {
  readonly conversation: ConversationId;
  readonly lastActivityMs: number;
  /** The highest acknowledged position in the newest epoch acked; undefined when none. */
  readonly acked: { readonly epoch: Epoch; readonly seq: Seq } | undefined;
  /** The highest read position (read:R) in the newest epoch read; undefined when none. */
  readonly read: { readonly epoch: Epoch; readonly seq: Seq } | undefined;
}

export interface ConversationIndex {
  /** Records activity (a message sent or received); later times win. Idempotent. */
  touch(activity: readonly ConversationActivity[]): Promise<void>;
  /**
   * Records acknowledged positions. Within one epoch the highest seq wins (acks are
   * cumulative, may arrive out of order); a later epoch (epochs sort by creation time,
   * see newEpoch) replaces the old one whatever its seq, an earlier one is ignored.
   */
  ack(positions: readonly AckedPosition[]): Promise<void>;
  /**
   * Records read positions (read:R), by the same rule as `ack`: within one epoch the highest
   * seq wins, a later epoch replaces an older one, so a lower or older position never moves
   * a read position back. Idempotent.
   */
  read(positions: readonly AckedPosition[]): Promise<void>;
  /** Read positions of `users` in one conversation, in order (undefined when none). */
  reads(conversation: ConversationId, users: readonly UserId[]): Promise<Array<{ epoch: Epoch; seq: Seq } | undefined>>;
  /** The user's conversations, most recent activity first, at most `limit`. */
  list(user: UserId, limit: number): Promise<ConversationEntry[]>;
  /** Acked positions of `users` in one conversation, in order (undefined when none). */
  acked(conversation: ConversationId, users: readonly UserId[]): Promise<Array<{ epoch: Epoch; seq: Seq } | undefined>>;
}
