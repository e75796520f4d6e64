// The request API: groups (create, change members, list), the conversation list and a
// manual sync; checks the arguments and issues each as a request answered by request id.
import { asConversationId, directMembers, ErrorCode, groupConversationId, isGroupConversation, isValidGroupId, isValidUserId, type FrameInit } from '@parley/protocol';
import type { ConnectionStatus } from './connection';
import type { ConversationSync } from './conversation-sync';
import { ClientClosedError, InvalidArgumentError, RequestRefusedError } from './errors';
import type { ConversationSummary, GroupInfo } from './frames';
import type { PendingRequests, RequestRetry } from './pending-requests';

/** Members to add to and remove from a group. */
export interface MemberChange {
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
}

export interface RequestApiDeps {
  readonly status: ConnectionStatus;
  readonly requests: PendingRequests;
  readonly conversationSync: ConversationSync;
  /** Longest wait for a group or conversations answer, in ms, reconnects included. */
  readonly requestTimeoutMs: number;
}

export class RequestApi {
  constructor(private readonly deps: RequestApiDeps) {}

  /** See ParleyClient.createGroup. */
  createGroup(groupId: string, members: readonly string[]): Promise<GroupInfo> {
    if (this.deps.status.closed) return Promise.reject(new ClientClosedError('createGroup() after close()'));
    if (!isValidGroupId(groupId)) return Promise.reject(new InvalidArgumentError('groupId', `must be 1..64 chars of [A-Za-z0-9_-]: ${JSON.stringify(groupId)}`));
    const invalid = invalidUser(members);
    if (invalid !== undefined) return Promise.reject(new InvalidArgumentError('members', `not a user id: ${JSON.stringify(invalid)}`));
    const conversation = groupConversationId(groupId);
    return new Promise<GroupInfo>((resolve, reject) => {
      this.deps.requests.issue({
        expects: 'group',
        retry: 'once',
        deadlineMs: this.deps.requestTimeoutMs,
        frame: (requestId) => ({ groupR: { requestId, create: { groupId, members: [...members] } } }),
        onAnswer: resolve,
        onFailure: (error, copies) => {
          const ownCreateFirst = copies > 1 && error instanceof RequestRefusedError && error.serverCode === ErrorCode.GROUP_EXISTS;
          if (ownCreateFirst) this.listMembers(conversation).then(resolve, () => reject(error));
          else reject(error);
        },
      });
    });
  }

  /** See ParleyClient.changeMembers. */
  changeMembers(conversation: string, change: MemberChange): Promise<GroupInfo> {
    if (this.deps.status.closed) return Promise.reject(new ClientClosedError('changeMembers() after close()'));
    if (!isGroupConversation(conversation)) return Promise.reject(new InvalidArgumentError('conversation', `not a group conversation id: ${JSON.stringify(conversation)}`));
    const add = [...(change.add ?? [])];
    const remove = [...(change.remove ?? [])];
    const invalid = invalidUser([...add, ...remove]);
    if (invalid !== undefined) return Promise.reject(new InvalidArgumentError('change', `not a user id: ${JSON.stringify(invalid)}`));
    return this.groupRequest('once', (requestId) => ({ groupR: { requestId, change: { conversation, add, remove } } }));
  }

  /** See ParleyClient.listMembers. */
  listMembers(conversation: string): Promise<GroupInfo> {
    if (this.deps.status.closed) return Promise.reject(new ClientClosedError('listMembers() after close()'));
    if (!isGroupConversation(conversation)) return Promise.reject(new InvalidArgumentError('conversation', `not a group conversation id: ${JSON.stringify(conversation)}`));
    return this.groupRequest('idempotent', (requestId) => ({ groupR: { requestId, list: { conversation } } }));
  }

  /** See ParleyClient.conversations. */
  conversations(limit = 0): Promise<ConversationSummary[]> {
    if (this.deps.status.closed) return Promise.reject(new ClientClosedError('conversations() after close()'));
    if (!Number.isSafeInteger(limit) || limit < 0) return Promise.reject(new InvalidArgumentError('limit', `must be a whole number >= 0, got ${String(limit)}`));
    return new Promise<ConversationSummary[]>((resolve, reject) => {
      this.deps.requests.issue({
        expects: 'conversations',
        retry: 'idempotent',
        deadlineMs: this.deps.requestTimeoutMs,
        frame: (requestId) => ({ conversationsR: { requestId, limit } }),
        onAnswer: resolve,
        onFailure: reject,
      });
    });
  }

  /** See ParleyClient.sync. */
  sync(conversation: string): Promise<void> {
    if (this.deps.status.closed) return Promise.reject(new ClientClosedError('sync() after close()'));
    const id = asConversationId(conversation);
    if (!isGroupConversation(id) && !directMembers(id)) {
      return Promise.reject(new InvalidArgumentError('conversation', `not a conversation id: ${JSON.stringify(conversation)}`));
    }
    return new Promise<void>((resolve, reject) => this.deps.conversationSync.start(id, 'manual', { resolve, reject }));
  }

  private groupRequest(retry: RequestRetry, frame: (requestId: string) => FrameInit): Promise<GroupInfo> {
    return new Promise<GroupInfo>((resolve, reject) => {
      this.deps.requests.issue({ expects: 'group', retry, deadlineMs: this.deps.requestTimeoutMs, frame, onAnswer: resolve, onFailure: reject });
    });
  }
}

function invalidUser(users: readonly string[]): string | undefined {
  return users.find((user) => typeof user !== 'string' || !isValidUserId(user));
}
