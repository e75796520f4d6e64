// The Membership port: who belongs to each group conversation, and the rebuild of that
// store from the groups log after the store lost its data.
import type { ConversationId, UserId } from '@parley/protocol';
import { UnavailableError } from './unavailable';

/** A group as the store holds it. */
export interface GroupState {
  /** Sorted by user id. */
  readonly members: readonly UserId[];
  /**
   * 1 at creation, +1 at every change: orders the snapshots of one group (a rebuild never
   * puts an older one over a newer one).
   */
  readonly version: number;
}

/**
 * Thrown (transient: retry later) by a read or write that meets a group the store does not
 * hold while the store is not restored: it lost its data (or is new) and nobody has put the
 * groups back from the groups log yet, so "no such group" is not known to be true. Never
 * answer NOT_A_MEMBER or create the group on it.
 */
export class MembershipUnavailableError extends UnavailableError {
  constructor(readonly conversation: ConversationId) {
    super(`the membership of ${conversation} is not restored yet (the store lost its data)`);
  }
}

/**
 * Every call on a group the store holds answers from it. On a group it does not hold, the
 * answer depends on the store being restored (`MembershipRestore.markRestored`, lost with
 * the store's data): restored, the group does not exist; not restored, the call rejects
 * with MembershipUnavailableError and changes nothing.
 */
export interface Membership {
  /**
   * Creates the group with these members (deduplicated), version 1. Returns false, changing
   * nothing, when the conversation already exists.
   */
  create(conversation: ConversationId, members: readonly UserId[]): Promise<boolean>;
  /**
   * Adds then removes members atomically and bumps the version; returns the group
   * afterwards. Changing a group that does not exist creates nothing and returns undefined.
   */
  change(conversation: ConversationId, add: readonly UserId[], remove: readonly UserId[]): Promise<GroupState | undefined>;
  /** Members, sorted by user id; [] for an unknown group. */
  members(conversation: ConversationId): Promise<UserId[]>;
  /** One answer per asked user, in order. */
  areMembers(conversation: ConversationId, users: readonly UserId[]): Promise<boolean[]>;
  /** The group, or undefined for an unknown one. */
  state(conversation: ConversationId): Promise<GroupState | undefined>;
}

/** One group's snapshot, as the groups log holds it. */
export interface RestoredGroup {
  readonly conversation: ConversationId;
  readonly state: GroupState;
}

/** Putting the groups back after a loss (the sequencer's rebuild from the groups log). */
export interface MembershipRestore {
  /**
   * Writes each group exactly as given (existing, with these members and version), unless
   * the store holds that group at a higher version already (changed since the snapshot
   * was read: the newer state stays). Each group is written atomically.
   */
  restore(groups: readonly RestoredGroup[]): Promise<void>;
  /** Marks the store restored: from now on a group it does not hold does not exist. */
  markRestored(): Promise<void>;
  /** Whether the store is marked restored (false for a store that lost its data since). */
  isRestored(): Promise<boolean>;
}
