// Decides what to do with one frame from a client (pure: no I/O). The sender is the
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
  parley,
  UserId,
  asConversationId,
} from '@parley/protocol';

export interface FrameLimits {
  readonly maxFrameBytes: number;
  readonly maxPayloadBytes: number;
}

export type FrameDecision =
  | { readonly action: 'pong'; readonly nonce: number }
  | { readonly action: 'forward'; readonly topic: 'send' | 'deliver'; readonly key: string; readonly frame: parley.v1.Frame; readonly packet: string }
  | { readonly action: 'refuse'; readonly code: ErrorCodeValue; readonly message: string; readonly msgId: string };

const refuse = (code: ErrorCodeValue, message: string, msgId = ''): FrameDecision => ({ action: 'refuse', code, message, msgId });

export function decideClientFrame(bytes: Uint8Array, user: UserId, limits: FrameLimits): FrameDecision {
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
      return decideSend(frame, user, limits);
    case 'ackR': {
      const conversation = asConversationId(frame.ackR?.conversation ?? '');
      if (!frame.ackR?.position?.epoch || !frame.ackR.position.seq) return refuse(ErrorCode.INVALID_FIELD, 'ack:R needs position.epoch and position.seq');
      if (!directPeer(conversation, user)) return refuse(ErrorCode.NOT_A_MEMBER, `not a member of ${conversation}`);
      return { action: 'forward', topic: 'deliver', key: conversation, frame, packet: 'ack:R' };
    }
    case 'offlineR':
      return { action: 'forward', topic: 'deliver', key: user, frame, packet: 'offline:R' };
    case 'offlineackR':
      return { action: 'forward', topic: 'deliver', key: user, frame, packet: 'offlineack:R' };
    case 'msgA':
    case 'msgN':
    case 'ackA':
    case 'ackN':
    case 'offlineA':
    case 'pong':
    case 'welcome':
    case 'error':
      return refuse(ErrorCode.UNEXPECTED_PACKET, `${frame.packet} is sent by the server only`);
    default:
      return assertNever(frame.packet);
  }
}

function decideSend(frame: parley.v1.Frame, user: UserId, limits: FrameLimits): FrameDecision {
  const request = frame.msgR!;
  const msgId = request.msgId ?? '';
  if (!isValidMsgId(msgId)) return refuse(ErrorCode.INVALID_MSG_ID, 'msg_id must be 1..64 chars of [A-Za-z0-9_-]');
  if (request.fromUser && request.fromUser !== user) {
    return refuse(ErrorCode.SENDER_MISMATCH, `from_user must be empty or ${user}`, msgId);
  }
  const to = request.toUser ?? '';
  if (!isValidUserId(to)) return refuse(ErrorCode.UNKNOWN_CONVERSATION, 'to_user is not a valid user id', msgId);
  if (to === user) return refuse(ErrorCode.SELF_CONVERSATION, 'cannot send a 1:1 message to yourself', msgId);
  if ((request.payload?.byteLength ?? 0) > limits.maxPayloadBytes) {
    return refuse(ErrorCode.PAYLOAD_TOO_LARGE, `payload over ${limits.maxPayloadBytes} bytes`, msgId);
  }
  return { action: 'forward', topic: 'send', key: directConversationId(user, to as UserId), frame, packet: 'msg:R' };
}

/** Codes whose repetition means the peer does not speak the protocol (counted as strikes). */
export const isProtocolViolation = (code: ErrorCodeValue): boolean =>
  code === ErrorCode.MALFORMED_FRAME || code === ErrorCode.UNEXPECTED_PACKET || code === ErrorCode.FRAME_TOO_LARGE;
