// The sequencer's edge: each record of the send topic (a ClientPacket a gateway forwarded) is
// decoded here, once, into a validated record with branded ids: a msg:R to sequence, a group:R
// to apply, or why it is skipped. The gateway validated the frame (its inbound-frame.ts) and
// stamped the origin; what no gateway forwards is skipped or refused here, never defaulted deeper in.
import {
  asConnectionId,
  asConversationId,
  asDeviceId,
  asGatewayId,
  asMsgId,
  asUserId,
  ClientPacket,
  ConnectionId,
  ConversationId,
  decodeClientPacket,
  DeviceId,
  directConversationId,
  ErrorCode,
  ErrorCodeValue,
  FrameInit,
  GatewayId,
  groupConversationId,
  isGroupConversation,
  isValidGroupId,
  parley,
  UserId,
} from '@parley/protocol';
import { senderDevice, type AssignRequest, type ConsumedRecord } from '@parley/ports';
import type { Requester } from '@parley/runtime';

/** Who sent a request, through which gateway and connection: where its answer goes. */
export interface Sender {
  readonly gatewayId: GatewayId;
  readonly connectionId: ConnectionId;
  /** The connection's verified user. */
  readonly user: UserId;
  /** The device the gateway named; undefined from a gateway that predates devices (its connection is the device). */
  readonly device: DeviceId | undefined;
  readonly receivedAtMs: number;
}

/** A msg:R ready for the SeqStore. */
export interface SendRequest {
  readonly assign: AssignRequest;
  readonly sender: Sender;
}

/** A group:R; `requestId` names it in its answer. */
export type GroupRequest = { readonly requestId: string; readonly sender: Sender } & (
  | { readonly action: 'create'; readonly conversation: ConversationId; readonly members: readonly UserId[] }
  | { readonly action: 'change'; readonly conversation: ConversationId; readonly add: readonly UserId[]; readonly remove: readonly UserId[] }
  | { readonly action: 'list'; readonly conversation: ConversationId }
  /** One no gateway forwards: answered with the error the gateway would have given. */
  | { readonly action: 'refuse'; readonly code: ErrorCodeValue; readonly message: string }
);

/** Why a record is not sequenced (parley_sequencer_skipped_total's reason). */
export type SkipReason = 'undecodable' | 'no_origin' | 'not_msg_r';

export type SendEnvelope =
  | { readonly kind: 'msg'; readonly request: SendRequest }
  | { readonly kind: 'group'; readonly request: GroupRequest }
  /** Skipped: it can never succeed. `error` is why an undecodable one could not be read. */
  | { readonly kind: 'skip'; readonly reason: SkipReason; readonly error?: unknown };

/** A group:R as the wire carries it. */
export type WireGroupRequest = NonNullable<FrameInit['groupR']>;

export function readSendEnvelope(value: Uint8Array, nowMs: number): SendEnvelope {
  let packet: ClientPacket;
  try {
    packet = decodeClientPacket(value);
  } catch (error) {
    // A record that cannot be decoded never will be: skipped rather than block the partition.
    return { kind: 'skip', reason: 'undecodable', error };
  }
  const origin = packet.origin;
  if (!origin?.userId) return { kind: 'skip', reason: 'no_origin' };
  const sender: Sender = {
    gatewayId: asGatewayId(origin.gatewayId ?? ''),
    connectionId: asConnectionId(origin.connectionId ?? ''),
    user: asUserId(origin.userId),
    device: origin.deviceId ? asDeviceId(origin.deviceId) : undefined,
    receivedAtMs: Number(origin.receivedAtMs),
  };
  const frame = packet.frame;
  if (frame?.groupR) return { kind: 'group', request: readGroupRequest(frame.groupR, sender) };
  const request = frame?.msgR ? readSendRequest(frame.msgR, sender, nowMs) : undefined;
  return request ? { kind: 'msg', request } : { kind: 'skip', reason: 'not_msg_r' };
}

/** Undefined for a msg:R no gateway forwards (no msg_id, no recipient, a conversation that is not a group). */
function readSendRequest(request: parley.v1.IMsgRequest, sender: Sender, nowMs: number): SendRequest | undefined {
  if (!request.msgId) return undefined;
  const from = sender.user;
  let conversation: ConversationId;
  let toUsers: string[];
  if (request.conversation) {
    if (!isGroupConversation(request.conversation)) return undefined;
    conversation = asConversationId(request.conversation);
    toUsers = []; // delivery reads the members when it fans out
  } else {
    if (!request.toUser) return undefined;
    conversation = directConversationId(from, asUserId(request.toUser));
    toUsers = [request.toUser];
  }
  // Field by field, in the order `StoredMessage.create` would set them (and, as it does, not the
  // ones that are null), without its loop over the keys of an object made for it.
  const message = new parley.v1.StoredMessage();
  message.conversation = conversation;
  message.msgId = request.msgId;
  message.fromUser = from;
  message.toUsers = toUsers;
  if (request.payload != null) message.payload = request.payload;
  message.serverTimeMs = nowMs;
  if (request.clientSeq != null) message.clientSeq = request.clientSeq;
  message.receivedAtMs = sender.receivedAtMs;
  // A record from a gateway that predates devices names none: its connection is the device, as the gateway would say.
  const device = sender.device ?? asDeviceId(sender.connectionId);
  return {
    assign: {
      conversation,
      // Deduplication is per sender: another member reusing this msgId cannot shadow it.
      msgId: asMsgId(`${from}/${request.msgId}`),
      sender: senderDevice(from, device),
      clientSeq: Number(request.clientSeq ?? 0),
      message,
    },
    sender,
  };
}

/** A group:R from `sender`: create, change or list, or the refusal the gateway would have answered. */
export function readGroupRequest(request: WireGroupRequest, sender: Sender): GroupRequest {
  const requestId = request.requestId ?? '';
  if (request.create) {
    const groupId = request.create.groupId ?? '';
    if (!isValidGroupId(groupId)) return { requestId, sender, action: 'refuse', code: ErrorCode.INVALID_FIELD, message: 'group_id must be 1..64 chars of [A-Za-z0-9_-]' };
    return { requestId, sender, action: 'create', conversation: groupConversationId(groupId), members: (request.create.members ?? []).map(asUserId) };
  }
  const named = request.change?.conversation ?? request.list?.conversation;
  if (named === undefined || named === null) return { requestId, sender, action: 'refuse', code: ErrorCode.INVALID_FIELD, message: 'group:R needs create, change or list' };
  if (!isGroupConversation(named)) return { requestId, sender, action: 'refuse', code: ErrorCode.UNKNOWN_CONVERSATION, message: 'conversation is not a group id (g:<id>)' };
  const conversation = asConversationId(named);
  if (request.list) return { requestId, sender, action: 'list', conversation };
  return { requestId, sender, action: 'change', conversation, add: (request.change?.add ?? []).map(asUserId), remove: (request.change?.remove ?? []).map(asUserId) };
}

/** The Origin of a request as the deliver topic carries it on (the same fields the gateway stamped). */
export const wireOrigin = (sender: Sender): parley.v1.IOrigin => ({
  gatewayId: sender.gatewayId,
  connectionId: sender.connectionId,
  userId: sender.user,
  receivedAtMs: sender.receivedAtMs,
  ...(sender.device ? { deviceId: sender.device } : {}),
});

/**
 * Who waits for the answer to a send-topic record (for the error a poison record gets): the
 * sender of a msg:R (named by msg_id) or of a group:R (named by request_id).
 */
export function sendRequester(record: ConsumedRecord): Requester | undefined {
  const packet = decodeClientPacket(record.value);
  if (!packet.origin) return undefined;
  const frame = packet.frame;
  if (frame?.msgR) return { origin: packet.origin, msgId: frame.msgR.msgId ?? '' };
  if (frame?.groupR) return { origin: packet.origin, msgId: frame.groupR.requestId ?? '' };
  return undefined;
}
