// POST /v1/messages: a message into a 1:1 or group conversation as a given user or as the
// system user, through the sequencer exactly as a client's msg:R (same dedupe by msgId per
// sender, same order, same delivery and acks). A retry with the same msgId and sender
// answers the position of the first acceptance.
import { directConversationId, ErrorCode, isGroupConversation, UserId } from '@parley/protocol';
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
  readonly msgId: string;
  readonly from: UserId;
  readonly conversation: string;
  readonly toUser: string;
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
    return { msgId, from, conversation: conversationRaw, toUser: '', payload };
  }
  const toUser = userId(to!, 'to');
  if (toUser === from) throw new ApiError(422, ErrorCode.SELF_CONVERSATION, 'cannot send a 1:1 message to the sender');
  return { msgId, from, conversation: directConversationId(from, toUser), toUser, payload };
}

export async function sendMessage(requests: SequencerRequests, command: SendCommand): Promise<SentMessage> {
  const frame = {
    msgR: {
      msgId: command.msgId,
      payload: command.payload,
      clientSeq: 0,
      ...(command.toUser ? { toUser: command.toUser } : { conversation: command.conversation }),
    },
  };
  const answer = await requests.request(command.from, command.conversation, command.msgId, frame);
  const accepted = answer.msgA!;
  return {
    msgId: command.msgId,
    from: command.from,
    conversation: accepted.conversation ?? command.conversation,
    position: { epoch: accepted.position?.epoch ?? '', seq: Number(accepted.position?.seq ?? 0) },
    serverTimeMs: Number(accepted.serverTimeMs ?? 0),
  };
}
