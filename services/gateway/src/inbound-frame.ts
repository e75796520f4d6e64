// The gateway's edge for client frames: each one is decoded here, once, into a validated
// record (InboundFrame) with branded ids; an invalid field becomes its documented error code
// here (docs/PROTOCOL.md, error catalogue) and nowhere else. Pure: no I/O. The sender is the
// connection's verified user; a frame can never speak for someone else.
import {
  assertNever,
  decodeFrame,
  directConversationId,
  directPeer,
  ErrorCode,
  ErrorCodeValue,
  isValidMsgId,
  isValidUserId,
  ParleyError,
  UserId,
  ConversationId,
  MsgId,
  asConversationId,
  groupConversationId,
  isGroupConversation,
  isValidGroupId,
  isValidInboxCursor,
  isValidEpoch,
  isValidSeq,
  type Frame,
} from '@parley/protocol';

export interface FrameLimits {
  readonly maxFrameBytes: number;
  readonly maxPayloadBytes: number;
  /** Most user ids one group:R may name. */
  readonly maxGroupMembers: number;
}

/** Client packets the gateway puts on the bus, by their protocol names. */
export type ForwardedPacket = 'msg:R' | 'group:R' | 'ack:R' | 'offline:R' | 'offlineack:R' | 'sync:R' | 'conversations:R' | 'read:R';

/**
 * A frame forwarded to the bus: validated here, carried on as the client wrote it (`frame`,
 * encoded into the bus record by outbound-frame.ts), keyed so that one partition owns it.
 */
export interface ForwardedFrame {
  readonly action: 'forward';
  /** send: sequenced (msg:R, group:R); deliver: answered by delivery. */
  readonly topic: 'send' | 'deliver';
  /** The conversation the packet belongs to, or the user for a pull of their own inbox. */
  readonly key: ConversationId | UserId;
  readonly packet: ForwardedPacket;
  /** The msg:R's msg_id, named in the error a failed publish or a rate limit answers; absent for other packets. */
  readonly msgId?: MsgId;
  readonly frame: Frame;
}

/** A frame the gateway refuses: answered with an error naming `msgId` (a msg_id or request_id, or empty). */
export interface RefusedFrame {
  readonly action: 'refuse';
  readonly code: ErrorCodeValue;
  readonly message: string;
  readonly msgId: string;
}

export type InboundFrame =
  | { readonly action: 'pong'; readonly nonce: number }
  /** typing:R: relayed to the other members' online devices by the gateway itself (typing-relay.ts), never through the bus. */
  | { readonly action: 'typing'; readonly conversation: ConversationId }
  | ForwardedFrame
  | RefusedFrame;

const refuse = (code: ErrorCodeValue, message: string, msgId = ''): RefusedFrame => ({ action: 'refuse', code, message, msgId });

const forward = (topic: 'send' | 'deliver', key: ConversationId | UserId, packet: ForwardedPacket, frame: Frame): ForwardedFrame => ({
  action: 'forward',
  topic,
  key,
  packet,
  frame,
});

export function decodeInboundFrame(bytes: Uint8Array, user: UserId, limits: FrameLimits): InboundFrame {
  if (bytes.byteLength > limits.maxFrameBytes) return refuse(ErrorCode.FRAME_TOO_LARGE, `frame over ${limits.maxFrameBytes} bytes`);
  let frame: ReturnType<typeof decodeFrame>;
  try {
    frame = decodeFrame(bytes);
  } catch (err) {
    return refuse(ErrorCode.MALFORMED_FRAME, err instanceof ParleyError ? err.message : 'malformed frame');
  }
  switch (frame.packet) {
    case 'ping':
      return { action: 'pong', nonce: Number(frame.ping?.nonce ?? 0) };
    case 'msgR':
      return decodeSend(frame, user, limits);
    case 'ackR': {
      const conversation = asConversationId(frame.ackR?.conversation ?? '');
      if (!frame.ackR?.position?.epoch || !frame.ackR.position.seq) return refuse(ErrorCode.INVALID_FIELD, 'ack:R needs position.epoch and position.seq');
      if (!isPosition(frame.ackR.position)) return refuse(ErrorCode.INVALID_FIELD, POSITION_RULE);
      // Group membership is checked by delivery, which holds the membership store.
      if (!directPeer(conversation, user) && !isGroupConversation(conversation)) {
        return refuse(ErrorCode.NOT_A_MEMBER, `not a member of ${conversation}`);
      }
      return forward('deliver', conversation, 'ack:R', frame);
    }
    case 'offlineR':
      if (!isValidInboxCursor(frame.offlineR?.cursor ?? '')) {
        return refuse(ErrorCode.INVALID_CURSOR, 'offline:R cursor is not one the server issued: start again from an empty cursor');
      }
      return forward('deliver', user, 'offline:R', frame);
    case 'offlineackR':
      if (!(frame.offlineackR?.refs ?? []).every((ref) => isPosition(ref.position))) return refuse(ErrorCode.INVALID_FIELD, `offlineack:R refs: ${POSITION_RULE}`);
      return forward('deliver', user, 'offlineack:R', frame);
    case 'groupR':
      return decodeGroupRequest(frame, limits);
    case 'syncR': {
      const conversation = asConversationId(frame.syncR?.conversation ?? '');
      const requestId = frame.syncR?.requestId ?? '';
      if (!directPeer(conversation, user) && !isGroupConversation(conversation)) {
        return refuse(ErrorCode.NOT_A_MEMBER, `not a member of ${conversation}`, requestId);
      }
      const after = frame.syncR?.after;
      // An empty after.epoch means "from the oldest kept message".
      if (after && !(after.epoch ? isPosition(after) : isValidSeq(after.seq))) {
        return refuse(ErrorCode.INVALID_FIELD, `sync:R after: ${POSITION_RULE} (or empty)`, requestId);
      }
      return forward('deliver', conversation, 'sync:R', frame);
    }
    case 'conversationsR':
      return forward('deliver', user, 'conversations:R', frame);
    case 'readR': {
      const conversation = asConversationId(frame.readR?.conversation ?? '');
      if (!frame.readR?.position?.epoch || !frame.readR.position.seq) return refuse(ErrorCode.INVALID_FIELD, 'read:R needs position.epoch and position.seq');
      if (!isPosition(frame.readR.position)) return refuse(ErrorCode.INVALID_FIELD, POSITION_RULE);
      // Group membership is checked by delivery, which records the position.
      if (!directPeer(conversation, user) && !isGroupConversation(conversation)) return refuse(ErrorCode.NOT_A_MEMBER, `not a member of ${conversation}`);
      return forward('deliver', conversation, 'read:R', frame);
    }
    case 'typingR': {
      const conversation = asConversationId(frame.typingR?.conversation ?? '');
      if (!directPeer(conversation, user) && !isGroupConversation(conversation)) return refuse(ErrorCode.NOT_A_MEMBER, `not a member of ${conversation}`);
      return { action: 'typing', conversation };
    }
    case 'msgA':
    case 'msgN':
    case 'ackA':
    case 'ackN':
    case 'offlineA':
    case 'pong':
    case 'welcome':
    case 'error':
    case 'groupA':
    case 'syncA':
    case 'conversationsA':
    case 'resyncN':
    case 'readN':
    case 'typingN':
      return refuse(ErrorCode.UNEXPECTED_PACKET, `${frame.packet} is sent by the server only`);
    default:
      return assertNever(frame.packet);
  }
}

function decodeSend(frame: Frame, user: UserId, limits: FrameLimits): InboundFrame {
  const request = frame.msgR!;
  const msgId = request.msgId ?? '';
  if (!isValidMsgId(msgId)) return refuse(ErrorCode.INVALID_MSG_ID, 'msg_id must be 1..64 chars of [A-Za-z0-9_-]');
  if (request.fromUser && request.fromUser !== user) {
    return refuse(ErrorCode.SENDER_MISMATCH, `from_user must be empty or ${user}`, msgId);
  }
  if ((request.payload?.byteLength ?? 0) > limits.maxPayloadBytes) {
    return refuse(ErrorCode.PAYLOAD_TOO_LARGE, `payload over ${limits.maxPayloadBytes} bytes`, msgId);
  }
  // The sequencer compares client_seqs as numbers: beyond 2^53 - 1 two of them could look equal.
  if (!Number.isSafeInteger(Number(request.clientSeq ?? 0))) {
    return refuse(ErrorCode.INVALID_FIELD, 'client_seq must be below 2^53', msgId);
  }
  const to = request.toUser ?? '';
  const conversation = request.conversation ?? '';
  if (conversation) {
    if (to) return refuse(ErrorCode.INVALID_FIELD, 'set to_user (1:1) or conversation (group), not both', msgId);
    if (!isGroupConversation(conversation)) return refuse(ErrorCode.UNKNOWN_CONVERSATION, 'conversation is not a group id (g:<id>)', msgId);
    return { ...forward('send', asConversationId(conversation), 'msg:R', frame), msgId };
  }
  if (!isValidUserId(to)) return refuse(ErrorCode.UNKNOWN_CONVERSATION, 'to_user is not a valid user id', msgId);
  if (to === user) return refuse(ErrorCode.SELF_CONVERSATION, 'cannot send a 1:1 message to yourself', msgId);
  return { ...forward('send', directConversationId(user, to), 'msg:R', frame), msgId };
}

/** Group management goes through the sequencer, keyed by the group: ordered with its messages. */
function decodeGroupRequest(frame: Frame, limits: FrameLimits): InboundFrame {
  const request = frame.groupR!;
  const requestId = request.requestId ?? '';
  if (!isValidMsgId(requestId)) return refuse(ErrorCode.INVALID_FIELD, 'request_id must be 1..64 chars of [A-Za-z0-9_-]');
  const invalidUser = (users: readonly string[] | null | undefined) => (users ?? []).find((u) => !isValidUserId(u));
  let conversation: string;
  let named: string[] = [];
  if (request.create) {
    const groupId = request.create.groupId ?? '';
    if (!isValidGroupId(groupId)) return refuse(ErrorCode.INVALID_FIELD, 'group_id must be 1..64 chars of [A-Za-z0-9_-]', requestId);
    conversation = groupConversationId(groupId);
    named = request.create.members ?? [];
  } else if (request.change) {
    conversation = request.change.conversation ?? '';
    named = [...(request.change.add ?? []), ...(request.change.remove ?? [])];
  } else if (request.list) {
    conversation = request.list.conversation ?? '';
  } else {
    return refuse(ErrorCode.INVALID_FIELD, 'group:R needs create, change or list', requestId);
  }
  if (!isGroupConversation(conversation)) return refuse(ErrorCode.UNKNOWN_CONVERSATION, 'conversation is not a group id (g:<id>)', requestId);
  const bad = invalidUser(named);
  if (bad !== undefined) return refuse(ErrorCode.INVALID_FIELD, `not a valid user id: ${bad}`, requestId);
  if (named.length > limits.maxGroupMembers) return refuse(ErrorCode.GROUP_LIMIT, `at most ${limits.maxGroupMembers} members per request`, requestId);
  return forward('send', asConversationId(conversation), 'group:R', frame);
}

const POSITION_RULE = 'a position is an epoch the server issued (1..64 chars of [A-Za-z0-9_-]) and a seq from 0 to 2^53 - 1';

/** A position as a client frame carries it (every field optional). */
type WirePosition = NonNullable<Frame['ackR']>['position'];

/** A position a client may name: one the server could have issued. */
function isPosition(position: WirePosition): boolean {
  return !!position && isValidEpoch(position.epoch ?? '') && isValidSeq(position.seq);
}

/** Codes whose repetition means the peer does not speak the protocol (counted as strikes). */
export const isProtocolViolation = (code: ErrorCodeValue): boolean =>
  code === ErrorCode.MALFORMED_FRAME || code === ErrorCode.UNEXPECTED_PACKET || code === ErrorCode.FRAME_TOO_LARGE;
