// Membership kept in this process's memory: one set of users per group conversation.
import type { ConversationId, UserId } from '@parley/protocol';
import { MembershipUnavailableError, type GroupState, type Membership, type MembershipRestore, type RestoredGroup } from './membership';

export interface MemoryMembershipOptions {
  /** Start as a store that lost its data and was not restored yet (tests). Default true: restored. */
  readonly restored?: boolean;
}

interface Group {
  readonly members: Set<UserId>;
  version: number;
}

/**
 * Single process only, lost on restart: it serves the embedded mode and unit tests. Each
 * call is applied synchronously, so `change` is atomic and `create` can never race
 * another `create`. A group emptied by `change` still exists (create refuses it). It never
 * loses its data by itself, so it starts restored; `forget()` loses everything, as a store
 * restarted empty would (tests).
 */
export class MemoryMembership implements Membership, MembershipRestore {
  private readonly groups = new Map<ConversationId, Group>();
  private restored: boolean;

  constructor(options: MemoryMembershipOptions = {}) {
    this.restored = options.restored ?? true;
  }

  async create(conversation: ConversationId, members: readonly UserId[]): Promise<boolean> {
    if (this.held(conversation)) return false;
    this.groups.set(conversation, { members: new Set(members), version: 1 });
    return true;
  }

  async change(conversation: ConversationId, add: readonly UserId[], remove: readonly UserId[]): Promise<GroupState | undefined> {
    const group = this.held(conversation);
    if (!group) return undefined;
    for (const user of add) group.members.add(user);
    for (const user of remove) group.members.delete(user);
    group.version += 1;
    return { members: sortedUsers(group.members), version: group.version };
  }

  async members(conversation: ConversationId): Promise<UserId[]> {
    return sortedUsers(this.held(conversation)?.members ?? []);
  }

  async areMembers(conversation: ConversationId, users: readonly UserId[]): Promise<boolean[]> {
    const group = this.held(conversation);
    return users.map((user) => group?.members.has(user) ?? false);
  }

  async state(conversation: ConversationId): Promise<GroupState | undefined> {
    const group = this.held(conversation);
    return group && { members: sortedUsers(group.members), version: group.version };
  }

  async restore(groups: readonly RestoredGroup[]): Promise<void> {
    for (const { conversation, state } of groups) {
      const held = this.groups.get(conversation);
      if (held && held.version > state.version) continue;
      this.groups.set(conversation, { members: new Set(state.members), version: state.version });
    }
  }

  async markRestored(): Promise<void> {
    this.restored = true;
  }

  async isRestored(): Promise<boolean> {
    return this.restored;
  }

  /** Loses every group and the restored mark, like a store restarted empty (tests). */
  forget(): void {
    this.groups.clear();
    this.restored = false;
  }

  /** The group, undefined when it does not exist; rejects when that is not known yet. */
  private held(conversation: ConversationId): Group | undefined {
    const group = this.groups.get(conversation);
    if (!group && !this.restored) throw new MembershipUnavailableError(conversation);
    return group;
  }
}

/** By UTF-16 code unit, which for user ids (ASCII) is the byte order Redis adapters sort by too. */
function sortedUsers(users: Iterable<UserId>): UserId[] {
  return [...users].sort();
}
