// Read-only operations straight from the stores delivery answers clients from: history by
// position (the MessageStore behind sync:R), a user's conversations with unread counts (the
// ConversationIndex behind conversations:R) and presence (the Presence port).
import { asConversationId, asUserId, ConversationId, directMembers, ErrorCode, isGroupConversation, StoredMessage, UserId } from '@parley/protocol';
import type { ConversationIndex, MessageStore, Presence } from '@parley/ports';
import { ApiError, invalid } from './api-error';
import { userId } from './request-input';
import { readStoredMessage, type InvalidField } from './stored-message';

export interface MessageView {
  readonly msgId: string;
  readonly from: string;
  readonly position: { readonly epoch: string; readonly seq: number };
  readonly serverTimeMs: number;
  /** base64 */
  readonly payload: string;
}

export interface HistoryPage {
  readonly conversation: string;
  readonly epoch: string;
  readonly latestSeq: number;
  readonly oldestSeq: number;
  /** Messages between `after` and the first returned are gone (retention): history there cannot be read. */
  readonly truncated: boolean;
  readonly messages: MessageView[];
  /** The `after` of the next page; absent when this page reached the latest message. */
  readonly nextAfter?: number;
}

export function conversationParam(raw: string): ConversationId {
  if (!isGroupConversation(raw) && !directMembers(asConversationId(raw))) throw invalid('conversation', 'must be d:<user>:<user> or g:<group id>');
  return asConversationId(raw);
}

export async function readHistory(store: MessageStore, conversation: ConversationId, after: number, limit: number, countInvalid: (field: InvalidField) => void): Promise<HistoryPage> {
  const range = await store.range(conversation, after, limit);
  const messages = range.messages.map((message) => messageView(message, countInvalid));
  const last = messages.at(-1)?.position.seq ?? after;
  return {
    conversation,
    epoch: range.epoch,
    latestSeq: range.latestSeq,
    oldestSeq: range.oldestSeq,
    truncated: after + 1 < range.oldestSeq,
    messages,
    ...(last < range.latestSeq ? { nextAfter: last } : {}),
  };
}

/**
 * A stored message as the API shows it. One the store holds without a field every stored
 * message has is counted (`countInvalid`) and fails the read: a page never leaves it out
 * silently nor shows it with an empty id or a position of 0.
 */
function messageView(stored: StoredMessage, countInvalid: (field: InvalidField) => void): MessageView {
  const read = readStoredMessage(stored);
  if (!read.ok) {
    countInvalid(read.invalid);
    throw new ApiError(500, ErrorCode.INTERNAL, `a stored message has no valid ${read.invalid}`);
  }
  const { msgId, from, position, serverTimeMs, payload } = read.message;
  return { msgId, from, position: { epoch: position.epoch, seq: position.seq }, serverTimeMs, payload: Buffer.from(payload).toString('base64') };
}

export interface ConversationView {
  readonly conversation: string;
  readonly lastActivityMs: number;
  readonly latest: { readonly epoch: string; readonly seq: number };
  /** The user's read position in the latest epoch (seq 0 = nothing read). */
  readonly read: { readonly epoch: string; readonly seq: number };
  /** Positions after the read position, up to the latest (the user's own messages included). */
  readonly unread: number;
}

export async function readConversations(index: ConversationIndex, store: MessageStore, user: UserId, limit: number): Promise<ConversationView[]> {
  const entries = await index.list(user, limit);
  return Promise.all(
    entries.map(async (entry) => {
      // Past the latest seq: the range carries the epoch and latest seq, no messages.
      const latest = await store.range(entry.conversation, Number.MAX_SAFE_INTEGER, 1);
      const readSeq = entry.read && entry.read.epoch === latest.epoch ? entry.read.seq : 0;
      return {
        conversation: entry.conversation,
        lastActivityMs: entry.lastActivityMs,
        latest: { epoch: latest.epoch, seq: latest.latestSeq },
        read: { epoch: latest.epoch, seq: readSeq },
        unread: Math.max(0, latest.latestSeq - readSeq),
      };
    }),
  );
}

export interface PresenceView {
  readonly online: boolean;
  readonly connections: ReadonlyArray<{ readonly gateway: string; readonly connection: string }>;
}

/** Most users one presence request may name. */
export const MAX_PRESENCE_USERS = 100;

export function presenceUsers(names: readonly string[]): UserId[] {
  if (names.length === 0) throw invalid('users', 'name at least one user (users=a,b)');
  if (names.length > MAX_PRESENCE_USERS) throw invalid('users', `at most ${MAX_PRESENCE_USERS} users`);
  return [...new Set(names.map((name) => userId(name, 'users')))];
}

export async function readPresence(presence: Presence, users: readonly UserId[]): Promise<Record<string, PresenceView>> {
  const found = await presence.lookup(users);
  const out: Record<string, PresenceView> = {};
  for (const user of users) {
    const entries = found.get(asUserId(user)) ?? [];
    out[user] = { online: entries.length > 0, connections: entries.map((e) => ({ gateway: e.gatewayId, connection: e.connectionId })) };
  }
  return out;
}
