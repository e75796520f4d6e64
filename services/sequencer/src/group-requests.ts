// group:R handling in the sequencer: the owner of a group's partition is its one writer,
// so membership changes are ordered with the group's messages (a member removed before
// a message in the partition does not get it; one added before does).
import { ConversationId, ErrorCode, ErrorCodeValue, FrameInit, UserId } from '@parley/protocol';
import type { GroupState, Membership, RestoredGroup } from '@parley/ports';
import type { GroupRequest } from './send-envelope';

export interface GroupAnswer {
  readonly frame: FrameInit;
  readonly errorCode?: ErrorCodeValue;
  /**
   * The group's state after a create or change that was answered group:A (a repeated create
   * too: its first answer may have been lost before the state was logged), for the groups
   * topic. Absent for refusals and lists.
   */
  readonly snapshot?: RestoredGroup;
  /**
   * What a create or change did, for the group.changed application event: the users it named
   * that were not members before (a create: every member) and those it named that were.
   * Present whenever `snapshot` is (a repeated create included: its first event may have been
   * lost with the batch that made it).
   */
  readonly change?: GroupChange;
}

export interface GroupChange {
  readonly created: boolean;
  readonly added: readonly UserId[];
  readonly removed: readonly UserId[];
}

const refuse = (requestId: string, code: ErrorCodeValue, message: string): GroupAnswer => ({
  frame: { error: { code, message, retryable: false, msgId: requestId } },
  errorCode: code,
});

const answer = (requestId: string, conversation: ConversationId, members: readonly UserId[], state?: GroupState, change?: GroupChange): GroupAnswer => ({
  frame: { groupA: { requestId, conversation, members: [...members] } },
  ...(state ? { snapshot: { conversation, state } } : {}),
  ...(change ? { change } : {}),
});

/** Applies one group:R (decoded by send-envelope.ts) and returns the frame that answers it. */
export async function applyGroupRequest(membership: Membership, request: GroupRequest, maxGroupMembers: number): Promise<GroupAnswer> {
  const { requestId } = request;
  const requester = request.sender.user;
  if (request.action === 'refuse') return refuse(requestId, request.code, request.message);
  if (request.action === 'create') {
    const { conversation } = request;
    const members = [...new Set([requester, ...request.members])];
    if (members.length > maxGroupMembers) return refuse(requestId, ErrorCode.GROUP_LIMIT, `a group has at most ${maxGroupMembers} members`);
    if (await membership.create(conversation, members)) {
      const sorted = [...members].sort();
      return answer(requestId, conversation, sorted, { members: sorted, version: 1 }, { created: true, added: sorted, removed: [] });
    }
    // A taken id is refused, with one exception: a create from a member naming exactly the
    // current members is answered with the group, as it cannot be told from a repeat of the
    // create that made it (the client's repeat after a lost answer, or a replay of the bus
    // after a crash). Anything else, new members named included, changes nothing.
    const existing = await membership.state(conversation);
    if (existing && existing.members.includes(requester) && sameMembers(existing.members, members)) {
      return answer(requestId, conversation, existing.members, existing, { created: true, added: existing.members, removed: [] });
    }
    return refuse(requestId, ErrorCode.GROUP_EXISTS, `${conversation} already exists`);
  }
  const { conversation } = request;
  const current = await membership.members(conversation);
  if (!current.includes(requester)) return refuse(requestId, ErrorCode.NOT_A_MEMBER, `not a member of ${conversation}`);
  if (request.action === 'list') return answer(requestId, conversation, current);
  const { add, remove } = request;
  const after = new Set(current);
  for (const user of add) after.add(user);
  for (const user of remove) after.delete(user);
  if (after.size === 0) return refuse(requestId, ErrorCode.GROUP_LIMIT, 'a group keeps at least one member');
  if (after.size > maxGroupMembers) return refuse(requestId, ErrorCode.GROUP_LIMIT, `a group has at most ${maxGroupMembers} members`);
  const changed = await membership.change(conversation, add, remove);
  // Read as existing just above, and the partition's owner is its one writer: still there.
  if (!changed) return refuse(requestId, ErrorCode.NOT_A_MEMBER, `not a member of ${conversation}`);
  const before = new Set(current);
  const change = { created: false, added: [...new Set(add)].filter((u) => !before.has(u) && !remove.includes(u)), removed: [...new Set(remove)].filter((u) => before.has(u)) };
  return answer(requestId, conversation, changed.members, changed, change);
}

function sameMembers(existing: readonly UserId[], named: readonly UserId[]): boolean {
  if (existing.length !== named.length) return false;
  const set = new Set(existing);
  return named.every((user) => set.has(user));
}
