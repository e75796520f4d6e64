// POST /v1/messages: a message into a 1:1 or group conversation as a given user or as the
// system user, through the sequencer exactly as a client's msg:R (same dedupe by msgId per
// sender, same order, same delivery and acks). A retry with the same msgId and sender
// answers the position of the first acceptance.
import { asConversationId, ConversationId, directConversationId, ErrorCode, isGroupConversation, MsgId, UserId } from '@parley/protocol';
import { ApiError, invalid } from './api-error';
import { JsonObject, optionalString, requestId, userId } from './request-input';
import type { SequencerRequests } from './sequencer-requests';

export interface SendLimits {
  readonly systemUser: UserId;
  readonly maxPayloadBytes: number;
}

export interface SentMessage {
  readonly msgId: string;
  readonly from: string;
  readonly conversation: string;
  readonly position: { readonly epoch: string; readonly seq: number };
  readonly serverTimeMs: number;
}

export interface SendCommand {
  readonly msgId: MsgId;
  readonly from: UserId;
  readonly conversation: ConversationId;
  /** The receiver of a 1:1 message; absent for a group message. */
  readonly toUser?: UserId;
  readonly payload: Uint8Array;
}

/** Validates a send body: exactly one of `to` / `conversation`, exactly one of `text` / `payload` (base64). */
export function parseSend(body: JsonObject, limits: SendLimits): SendCommand {
  const msgId = requestId(body, 'msgId');
  const fromRaw = optionalString(body, 'from');
  const from = fromRaw === undefined ? limits.systemUser : userId(fromRaw, 'from');
  const to = optionalString(body, 'to');
  const conversationRaw = optionalString(body, 'conversation');
  if ((to === undefined) === (conversationRaw === undefined)) throw invalid('to', 'give `to` (a user: 1:1) or `conversation` (a group g:<id>), not both');
  const text = optionalString(body, 'text');
  const base64 = optionalString(body, 'payload');
  if ((text === undefined) === (base64 === undefined)) throw invalid('payload', 'give `text` (UTF-8) or `payload` (base64), not both');
  if (base64 !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw invalid('payload', 'must be base64');
  const payload = text !== undefined ? Buffer.from(text, 'utf8') : Buffer.from(base64!, 'base64');
  if (payload.byteLength > limits.maxPayloadBytes) throw new ApiError(413, ErrorCode.PAYLOAD_TOO_LARGE, `payload over ${limits.maxPayloadBytes} bytes`);
  if (conversationRaw !== undefined) {
    if (!isGroupConversation(conversationRaw)) throw new ApiError(404, ErrorCode.UNKNOWN_CONVERSATION, 'conversation is not a group id (g:<id>); for 1:1 give `to`');
    return { msgId, from, conversation: asConversationId(conversationRaw), payload };
  }
  const toUser = userId(to!, 'to');
  if (toUser === from) throw new ApiError(422, ErrorCode.SELF_CONVERSATION, 'cannot send a 1:1 message to the sender');
  return { msgId, from, conversation: directConversationId(from, toUser), toUser, payload };
}

export async function sendMessage(requests: SequencerRequests, command: SendCommand): Promise<SentMessage> {
  const { msgId, from, conversation, toUser, payload } = command;
  const accepted = await requests.send(from, conversation, msgId, { msgId, payload, clientSeq: 0, ...(toUser ? { toUser } : { conversation }) });
  return { msgId, from, conversation: accepted.conversation, position: accepted.position, serverTimeMs: accepted.serverTimeMs };
}
