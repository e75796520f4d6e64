// Group administration through the sequencer, as a client's group:R: the group's partition
// owner applies creates and changes in order with the group's messages. The API acts as
// one of the group's members (`actAs`), since the sequencer lets members only change a group.
import { ConversationId, ErrorCode, FrameInit, groupConversationId, isValidGroupId, MsgId, UserId } from '@parley/protocol';
import type { Membership } from '@parley/ports';
import { ApiError, invalid } from './api-error';
import { JsonObject, requestId, requiredString, userId, userIds } from './request-input';
import type { SequencerRequests } from './sequencer-requests';

export interface GroupView {
  readonly conversation: string;
  readonly members: readonly string[];
}

type GroupRequest = NonNullable<FrameInit['groupR']>;
type GroupAction = Pick<GroupRequest, 'create'> | Pick<GroupRequest, 'change'>;

/** Most user ids one request may name (the sequencer still applies its own group size limit). */
export const MAX_NAMED_MEMBERS = 1_000;

export function groupIdParam(raw: string): string {
  if (!isValidGroupId(raw)) throw invalid('groupId', 'must be 1..64 chars of [A-Za-z0-9_-]');
  return raw;
}

export async function createGroup(requests: SequencerRequests, body: JsonObject): Promise<GroupView> {
  const id = requestId(body, 'requestId');
  const actAs = userId(requiredString(body, 'actAs'), 'actAs');
  const groupId = groupIdParam(requiredString(body, 'groupId'));
  const members = userIds(body, 'members', MAX_NAMED_MEMBERS);
  return groupAnswer(requests, actAs, groupConversationId(groupId), id, { create: { groupId, members } });
}

export async function changeMembers(requests: SequencerRequests, groupId: string, body: JsonObject): Promise<GroupView> {
  const id = requestId(body, 'requestId');
  const actAs = userId(requiredString(body, 'actAs'), 'actAs');
  const add = userIds(body, 'add', MAX_NAMED_MEMBERS);
  const remove = userIds(body, 'remove', MAX_NAMED_MEMBERS);
  if (add.length + remove.length === 0) throw invalid('add', 'name at least one user in `add` or `remove`');
  const conversation = groupConversationId(groupIdParam(groupId));
  return groupAnswer(requests, actAs, conversation, id, { change: { conversation, add, remove } });
}

/** The group's members as the membership store holds them (no requester needed: a read). */
export async function readGroup(membership: Membership, groupId: string): Promise<GroupView> {
  const conversation = groupConversationId(groupIdParam(groupId));
  const state = await membership.state(conversation);
  if (!state) throw new ApiError(404, ErrorCode.UNKNOWN_CONVERSATION, `no group ${conversation}`);
  return { conversation, members: state.members };
}

async function groupAnswer(requests: SequencerRequests, actAs: UserId, conversation: ConversationId, requestId: MsgId, action: GroupAction): Promise<GroupView> {
  const group = await requests.group(actAs, conversation, { requestId, ...action });
  return { conversation: group.conversation, members: group.members };
}
