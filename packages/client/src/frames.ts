// The client's view of the wire: decoded packets turned into plain objects with branded
// ids, checked for the fields the client relies on. Outgoing frames are built with
// encodeFrame from @parley/protocol directly.
import {
  asConnectionId,
  asConversationId,
  asEpoch,
  asMsgId,
  asUserId,
  errorCodeName,
  parley,
  type ConnectionId,
  type ConversationId,
  type ErrorCodeName,
  type MsgId,
  type Position,
  type UserId,
} from '@parley/protocol';

export type { Position } from '@parley/protocol';

/** A msg:N as the application sees it. */
export interface ReceivedMessage {
  readonly conversation: ConversationId;
  readonly position: Position;
  readonly msgId: MsgId;
  readonly fromUser: UserId;
  readonly payload: Uint8Array;
  readonly serverTimeMs: number;
  /** The sender's own counter (0 = unset): shows the sender's order when retransmits reordered seqs. */
  readonly clientSeq: number;
}

/** A msg:A: the server stored one of our messages at `position`. */
export interface Accepted {
  readonly msgId: MsgId;
  readonly conversation: ConversationId;
  readonly position: Position;
}

export type AckStatusName = 'DELIVERED' | 'STORED_OFFLINE' | 'QUEUED' | 'UNSPECIFIED';

/** An ack:N: what became of one of our messages. */
export interface AckReceipt {
  readonly conversation: ConversationId;
  readonly position: Position;
  readonly msgId: MsgId;
  /** The receiver of a 1:1 message; empty for a group message. */
  readonly toUser: UserId;
  /**
   * DELIVERED: the receiver's device acked it. STORED_OFFLINE: it waits in the receiver's
   * inbox. QUEUED (groups, once per message): stored, pushed to every online member's
   * connections and in every offline member's inbox.
   */
  readonly status: AckStatusName;
}

/** An error frame: the server refused a request (or the connection). */
export interface ServerError {
  /** Stable numeric code (ErrorCode in @parley/protocol, docs/PROTOCOL.md). */
  readonly code: number;
  /** The code's name, when this client version knows it. */
  readonly codeName: ErrorCodeName | undefined;
  readonly message: string;
  /** True when the same request may succeed later unchanged. */
  readonly retryable: boolean;
  /** The refused msg:R's id, or the refused group:R / sync:R / conversations:R's request id, when the error answers one. */
  readonly msgId: MsgId | undefined;
  /** OUT_OF_ORDER: the client_seq the server expects next from this device in the conversation (0: not given). */
  readonly expectedClientSeq: number;
}

/** The welcome frame: who we are and the connection's limits. */
export interface WelcomeInfo {
  readonly userId: UserId;
  readonly connectionId: ConnectionId;
  readonly heartbeatIntervalMs: number;
  readonly maxFrameBytes: number;
  readonly maxPayloadBytes: number;
  readonly maxOfflinePage: number;
  readonly serverVersion: string;
  /** The device the server counts this connection's client_seq for (ours, or the connection id from a server that ignores it). */
  readonly deviceId: string;
}

/** A group:A: the group's members after the request. */
export interface GroupInfo {
  /** `g:<groupId>`. */
  readonly conversation: ConversationId;
  readonly groupId: string;
  /** Sorted by user id. */
  readonly members: UserId[];
}

/** One sync:A page. */
export interface SyncPage {
  readonly conversation: ConversationId;
  /** In seq order, all of one epoch. */
  readonly messages: ReceivedMessage[];
  /** Entries that lacked a required field (skipped). */
  readonly malformed: number;
  readonly hasMore: boolean;
  /** The conversation's current epoch and latest seq (seq 0: no message yet). */
  readonly latest: Position | undefined;
  /** The messages do not follow the requested position (new epoch, or history past the retention is gone). */
  readonly reset: boolean;
}

/** One entry of a conversations:A. Positions may have seq 0 ("none yet"). */
export interface ConversationSummary {
  readonly conversation: ConversationId;
  /** The latest message's position. */
  readonly latest: Position;
  /** The highest position our user acknowledged in the latest epoch (seq 0: none). */
  readonly acked: Position;
  readonly lastActivityMs: number;
  /** Our user's read position (read:R) in the latest epoch (seq 0: none): `latest.seq - read.seq` unread. */
  readonly read: Position;
  /** 1:1 only: the other member's read position in the latest epoch. */
  readonly peerRead: Position | undefined;
  /** 1:1 only: every message of ours up to this position was taken by a device of the other member. */
  readonly delivered: Position | undefined;
}

/** A read:N: `user` has read `conversation` up to `position` (our user's other device, or another member). */
export interface ReadReceipt {
  readonly conversation: ConversationId;
  readonly user: UserId;
  readonly position: Position;
}

/** A typing:N: `user` is typing in `conversation` now (show it for a few seconds). */
export interface TypingSignal {
  readonly conversation: ConversationId;
  readonly user: UserId;
}

export function toReadReceipt(n: parley.v1.IReadNotify): ReadReceipt | undefined {
  const position = toPosition(n.position);
  if (!n.conversation || !n.user || !position) return undefined;
  return { conversation: asConversationId(n.conversation), user: asUserId(n.user), position };
}

export function toTypingSignal(n: parley.v1.ITypingNotify): TypingSignal | undefined {
  if (!n.conversation || !n.user) return undefined;
  return { conversation: asConversationId(n.conversation), user: asUserId(n.user) };
}

export interface OfflinePage {
  readonly messages: ReceivedMessage[];
  /** msg:N entries of the page that lacked a required field (skipped, never acked). */
  readonly malformed: number;
  readonly hasMore: boolean;
  readonly nextCursor: string;
}

/**
 * A uint64 field as decoded: the generated code reads 64-bit fields as numbers (every value
 * parley puts in them is below 2^53); 0 when unset.
 */
export function wireNumber(value: number | null | undefined): number {
  return typeof value === 'number' ? value : 0;
}

function toPosition(position: parley.v1.IPosition | null | undefined): Position | undefined {
  if (!position || typeof position.epoch !== 'string') return undefined;
  const seq = wireNumber(position.seq);
  if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
  return { epoch: asEpoch(position.epoch), seq };
}

/** A position that may be "before the first message" (seq 0): acked and latest positions. Missing reads as ('', 0). */
function toMark(position: parley.v1.IPosition | null | undefined): Position | undefined {
  const seq = wireNumber(position?.seq);
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { epoch: asEpoch(position?.epoch ?? ''), seq };
}

/** The message a msg:N, msg:A or ack:N names (conversation, position, msg id); undefined when one of them is missing. */
function namedMessage(p: { conversation?: string | null; position?: parley.v1.IPosition | null; msgId?: string | null }): Accepted | undefined {
  const position = toPosition(p.position);
  if (!position || !p.conversation || !p.msgId) return undefined;
  return { msgId: asMsgId(p.msgId), conversation: asConversationId(p.conversation), position };
}

/** undefined when a field the client needs (conversation, position, msg id) is missing. */
export function toReceivedMessage(n: parley.v1.IMsgNotify): ReceivedMessage | undefined {
  const named = namedMessage(n);
  if (!named) return undefined;
  // Spelled out, not spread: a literal of one shape per frame type stays a fast, monomorphic
  // object on the receive path (a spread here halved the load tester's group fan-out).
  return {
    conversation: named.conversation,
    position: named.position,
    msgId: named.msgId,
    fromUser: asUserId(n.fromUser ?? ''),
    payload: n.payload ?? new Uint8Array(0),
    serverTimeMs: wireNumber(n.serverTimeMs),
    clientSeq: wireNumber(n.clientSeq),
  };
}

export const toAccepted = (a: parley.v1.IMsgAccepted): Accepted | undefined => namedMessage(a);

const ACK_STATUS_NAMES: Readonly<Record<number, AckStatusName>> = {
  [parley.v1.AckStatus.ACK_STATUS_DELIVERED]: 'DELIVERED',
  [parley.v1.AckStatus.ACK_STATUS_STORED_OFFLINE]: 'STORED_OFFLINE',
  [parley.v1.AckStatus.ACK_STATUS_QUEUED]: 'QUEUED',
};

export function toAckReceipt(n: parley.v1.IAckNotify): AckReceipt | undefined {
  const named = namedMessage(n);
  if (!named) return undefined;
  return {
    conversation: named.conversation,
    position: named.position,
    msgId: named.msgId,
    toUser: asUserId(n.toUser ?? ''),
    status: ACK_STATUS_NAMES[n.status ?? 0] ?? 'UNSPECIFIED',
  };
}

export function toServerError(e: parley.v1.IError): ServerError {
  const code = e.code ?? 0;
  return {
    code,
    codeName: errorCodeName(code),
    message: e.message ?? '',
    retryable: e.retryable === true,
    msgId: e.msgId ? asMsgId(e.msgId) : undefined,
    expectedClientSeq: wireNumber(e.expectedClientSeq),
  };
}

export function toWelcome(w: parley.v1.IWelcome): WelcomeInfo {
  return {
    userId: asUserId(w.userId ?? ''),
    connectionId: asConnectionId(w.connectionId ?? ''),
    heartbeatIntervalMs: w.heartbeatIntervalMs ?? 0,
    maxFrameBytes: w.maxFrameBytes ?? 0,
    maxPayloadBytes: w.maxPayloadBytes ?? 0,
    maxOfflinePage: w.maxOfflinePage ?? 0,
    serverVersion: w.serverVersion ?? '',
    deviceId: w.deviceId ?? '',
  };
}

export function toOfflinePage(a: parley.v1.IOfflineAnswer): OfflinePage {
  const messages: ReceivedMessage[] = [];
  let malformed = 0;
  for (const n of a.messages ?? []) {
    const message = toReceivedMessage(n);
    if (message) messages.push(message);
    else malformed += 1;
  }
  return { messages, malformed, hasMore: a.hasMore === true, nextCursor: a.nextCursor ?? '' };
}

/** undefined when the answer names no conversation. */
export function toGroupInfo(a: parley.v1.IGroupAnswer): GroupInfo | undefined {
  if (!a.conversation?.startsWith('g:')) return undefined;
  return {
    conversation: asConversationId(a.conversation),
    groupId: a.conversation.slice('g:'.length),
    members: (a.members ?? []).map(asUserId),
  };
}

/** undefined when the answer names no conversation. */
export function toSyncPage(a: parley.v1.ISyncAnswer): SyncPage | undefined {
  if (!a.conversation) return undefined;
  const messages: ReceivedMessage[] = [];
  let malformed = 0;
  for (const n of a.messages ?? []) {
    const message = toReceivedMessage(n);
    if (message && message.conversation === a.conversation) messages.push(message);
    else malformed += 1;
  }
  return {
    conversation: asConversationId(a.conversation),
    messages,
    malformed,
    hasMore: a.hasMore === true,
    latest: toMark(a.latest),
    reset: a.reset === true,
  };
}

/** Entries without a conversation or with a malformed position are skipped. */
export function toConversationList(a: parley.v1.IConversationsAnswer): ConversationSummary[] {
  const list: ConversationSummary[] = [];
  for (const c of a.conversations ?? []) {
    const latest = toMark(c.latest);
    const acked = toMark(c.acked);
    if (!c.conversation || !latest || !acked) continue;
    list.push({
      conversation: asConversationId(c.conversation),
      latest,
      acked,
      lastActivityMs: wireNumber(c.lastActivityMs),
      read: (c.read ? toMark(c.read) : undefined) ?? { epoch: latest.epoch, seq: 0 },
      peerRead: c.peerRead ? toMark(c.peerRead) : undefined,
      delivered: c.delivered ? toMark(c.delivered) : undefined,
    });
  }
  return list;
}
