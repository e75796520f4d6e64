// The Membership port: who belongs to each group conversation.
import type { ConversationId, UserId } from '@parley/protocol';

export interface Membership {
  /**
   * Creates the group with these members (deduplicated). Returns false, changing
   * nothing, when the conversation already exists.
   */
  create(conversation: ConversationId, members: readonly UserId[]): Promise<boolean>;
  /**
   * Adds then removes members atomically; returns the members afterwards (sorted).
   * Changing a group that does not exist creates nothing and returns [].
   */
  change(conversation: ConversationId, add: readonly UserId[], remove: readonly UserId[]): Promise<UserId[]>;
  /** Members, sorted by user id; [] for an unknown group. */
  members(conversation: ConversationId): Promise<UserId[]>;
  /** One answer per asked user, in order. */
  areMembers(conversation: ConversationId, users: readonly UserId[]): Promise<boolean[]>;
}
