// Turns a gateway-forwarded msg:R into the message the SeqStore assigns a position to.
// The gateway has validated the frame; the sender is the connection's verified user.
import {
  asConversationId,
  asDeviceId,
  asMsgId,
  ConversationId,
  directConversationId,
  isGroupConversation,
  ClientPacket,
  parley,
  UserId,
} from '@parley/protocol';
import { senderDevice, type AssignRequest } from '@parley/ports';

export interface SendRequest {
  readonly assign: AssignRequest;
  readonly origin: parley.v1.IOrigin;
}

/** Returns undefined for a packet that is not a well-formed msg:R (skipped: it can never succeed). */
export function toSendRequest(packet: ClientPacket, nowMs: number): SendRequest | undefined {
  const request = packet.frame?.msgR;
  const origin = packet.origin;
  if (!request || !origin?.userId || !request.msgId) return undefined;
  const from = origin.userId as UserId;
  let conversation: ConversationId;
  let toUsers: string[];
  if (request.conversation) {
    if (!isGroupConversation(request.conversation)) return undefined;
    conversation = asConversationId(request.conversation);
    toUsers = []; // delivery reads the members when it fans out
  } else {
    if (!request.toUser) return undefined;
    conversation = directConversationId(from, request.toUser as UserId);
    toUsers = [request.toUser];
  }
  const message = parley.v1.StoredMessage.create({
    conversation,
    msgId: request.msgId,
    fromUser: from,
    toUsers,
    payload: request.payload,
    serverTimeMs: nowMs,
    clientSeq: request.clientSeq,
    receivedAtMs: origin.receivedAtMs,
  });
  // The gateway validated the device (or used the connection id); a record from a gateway
  // that predates devices names none: its connection is the device, as the gateway would say.
  const device = asDeviceId(origin.deviceId || origin.connectionId || '');
  return {
    assign: {
      conversation,
      // Deduplication is per sender: another member reusing this msgId cannot shadow it.
      msgId: asMsgId(`${from}/${request.msgId}`),
      sender: senderDevice(from, device),
      clientSeq: Number(request.clientSeq ?? 0),
      message,
    },
    origin,
  };
}
