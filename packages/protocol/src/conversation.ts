// Conversation ids. A 1:1 conversation's id is canonical: the same for both users,
// whichever of them sends first, so both directions share one seq and one writer.
import { asConversationId, asUserId, ConversationId, UserId } from './ids';

const DIRECT_PREFIX = 'd:';

/** `d:<smaller user id>:<larger user id>` (user ids never contain `:`). */
export function directConversationId(a: UserId, b: UserId): ConversationId {
  return asConversationId(a < b ? `${DIRECT_PREFIX}${a}:${b}` : `${DIRECT_PREFIX}${b}:${a}`);
}

/** The two members of a 1:1 conversation, or undefined when the id is not a 1:1 id. */
export function directMembers(conversation: ConversationId): [UserId, UserId] | undefined {
  if (!conversation.startsWith(DIRECT_PREFIX)) return undefined;
  const parts = conversation.slice(DIRECT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return [asUserId(parts[0]), asUserId(parts[1])];
}

/** The other member of a 1:1 conversation, or undefined when `me` is not a member. */
export function directPeer(conversation: ConversationId, me: UserId): UserId | undefined {
  const members = directMembers(conversation);
  if (!members) return undefined;
  if (members[0] === me) return members[1];
  if (members[1] === me) return members[0];
  return undefined;
}

const GROUP_PREFIX = 'g:';
const GROUP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** `g:` and a valid group id in one test (called per message and per ack: no slice). */
const GROUP_CONVERSATION_PATTERN = /^g:[A-Za-z0-9_-]{1,64}$/;

export const isValidGroupId = (value: string): boolean => GROUP_ID_PATTERN.test(value);

/** `g:<group id>`. */
export function groupConversationId(groupId: string): ConversationId {
  return asConversationId(`${GROUP_PREFIX}${groupId}`);
}

/** Whether the id names a group conversation with a valid group id. */
export function isGroupConversation(conversation: string): boolean {
  return GROUP_CONVERSATION_PATTERN.test(conversation);
}
