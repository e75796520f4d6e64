// The send API: send() and sendToConversation() check their arguments, pick the msgId,
// and hand the message to the SendQueue (which numbers it in its conversation and settles it).
import { asConversationId, asMsgId, asUserId, directMembers, directPeer, isGroupConversation, isValidMsgId, isValidUserId } from '@parley/protocol';
import type { ConnectionStatus } from './connection';
import { ClientClosedError, InvalidArgumentError } from './errors';
import type { ReceiveOrder } from './receive-order';
import type { Recipient, SendQueue, SendReceipt } from './send-queue';

export interface SendOptions {
  /** Your own msgId (1..64 chars of [A-Za-z0-9_-]), e.g. to re-send a message persisted before a restart. */
  readonly msgId?: string;
}

export interface SendApiDeps {
  readonly status: ConnectionStatus;
  readonly sendQueue: SendQueue;
  readonly receiveOrder: ReceiveOrder;
  readonly newMsgId: () => string;
}

export class SendApi {
  constructor(private readonly deps: SendApiDeps) {}

  /** See ParleyClient.send. */
  send(toUser: string, payload: Uint8Array, options: SendOptions = {}): Promise<SendReceipt> {
    if (this.deps.status.closed) return Promise.reject(new ClientClosedError('send() after close()'));
    if (!isValidUserId(toUser)) return Promise.reject(new InvalidArgumentError('toUser', `not a user id: ${JSON.stringify(toUser)}`));
    return this.enqueue({ toUser: asUserId(toUser) }, payload, options);
  }

  /** See ParleyClient.sendToConversation. */
  sendToConversation(conversation: string, payload: Uint8Array, options: SendOptions = {}): Promise<SendReceipt> {
    if (this.deps.status.closed) return Promise.reject(new ClientClosedError('sendToConversation() after close()'));
    if (isGroupConversation(conversation)) return this.enqueue({ conversation: asConversationId(conversation) }, payload, options);
    if (!directMembers(asConversationId(conversation))) {
      return Promise.reject(new InvalidArgumentError('conversation', `not a conversation id: ${JSON.stringify(conversation)}`));
    }
    const me = this.deps.status.welcome?.userId;
    if (!me) return Promise.reject(new InvalidArgumentError('conversation', 'a 1:1 id needs our user id from the welcome: connect first, or use send(toUser)'));
    const peer = directPeer(asConversationId(conversation), me);
    if (!peer) return Promise.reject(new InvalidArgumentError('conversation', `${me} is not a member of ${conversation}`));
    return this.send(peer, payload, options);
  }

  private enqueue(recipient: Recipient, payload: Uint8Array, options: SendOptions): Promise<SendReceipt> {
    if (!(payload instanceof Uint8Array)) return Promise.reject(new InvalidArgumentError('payload', 'must be a Uint8Array'));
    const msgId = options.msgId ?? this.deps.newMsgId();
    if (!isValidMsgId(msgId)) return Promise.reject(new InvalidArgumentError('msgId', `must be 1..64 chars of [A-Za-z0-9_-]: ${JSON.stringify(msgId)}`));
    if (this.deps.sendQueue.has(msgId)) return Promise.reject(new InvalidArgumentError('msgId', `${msgId} is already in flight`));
    this.deps.receiveOrder.ownSend(msgId);
    return this.deps.sendQueue.add({ ...recipient, msgId: asMsgId(msgId), payload });
  }
}
