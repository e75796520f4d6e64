// Membership kept in this process's memory: one set of users per group conversation.
import type { ConversationId, UserId } from '@parley/protocol';
import type { Membership } from './membership';

/**
 * Single process only, lost on restart: it serves the embedded mode and unit tests. Each
 * call is applied synchronously, so `change` is atomic and `create` can never race
 * another `create`. A group emptied by `change` still exists (create refuses it).
 */
export class MemoryMembership implements Membership {
  private readonly groups = new Map<ConversationId, Set<UserId>>();

  async create(conversation: ConversationId, members: readonly UserId[]): Promise<boolean> {
    if (this.groups.has(conversation)) return false;
    this.groups.set(conversation, new Set(members));
    return true;
  }

  async change(conversation: ConversationId, add: readonly UserId[], remove: readonly UserId[]): Promise<UserId[]> {
    const members = this.groups.get(conversation);
    if (!members) return [];
    for (const user of add) members.add(user);
    for (const user of remove) members.delete(user);
    return sortedUsers(members);
  }

  async members(conversation: ConversationId): Promise<UserId[]> {
    return sortedUsers(this.groups.get(conversation) ?? []);
  }

  async areMembers(conversation: ConversationId, users: readonly UserId[]): Promise<boolean[]> {
    const members = this.groups.get(conversation);
    return users.map((user) => members?.has(user) ?? false);
  }
}

/** By UTF-16 code unit, which for user ids (ASCII) is the byte order Redis adapters sort by too. */
function sortedUsers(users: Iterable<UserId>): UserId[] {
  return [...users].sort();
}
