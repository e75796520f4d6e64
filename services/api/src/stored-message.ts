// The server API's edge for stored messages, wherever they come from (a MessageStore range for
// history, a Sequenced record of the deliver topic for webhooks): each is read here, once, into
// a record with branded ids; one missing a field every stored message has is refused here,
// by name, never shown deeper in with an empty id or a position of 0.
import { asConversationId, asEpoch, asMsgId, asUserId, directMembers, isGroupConversation, isValidEpoch, isValidMsgId, isValidUserId, type ConversationId, type MsgId, type parley, type Position, type UserId } from '@parley/protocol';

export type { Position } from '@parley/protocol';

export interface StoredMessageRecord {
  readonly conversation: ConversationId;
  readonly position: Position;
  /** The sender's own msg_id (without the dedupe prefix). */
  readonly msgId: MsgId;
  readonly from: UserId;
  readonly serverTimeMs: number;
  readonly payload: Uint8Array;
}

/** The field an invalid record lacks or has wrong (a bounded metric label). */
export type InvalidField = 'conversation' | 'position' | 'msg_id' | 'user' | 'version' | 'connection';

export type StoredMessageRead = { readonly ok: true; readonly message: StoredMessageRecord } | { readonly ok: false; readonly invalid: InvalidField };

export const isConversationId = (value: string): boolean => isGroupConversation(value) || directMembers(asConversationId(value)) !== undefined;

/** A position as the wire carries it: a valid epoch and a seq of at least 1; undefined otherwise. */
export function readPosition(position: parley.v1.IPosition | null | undefined): Position | undefined {
  const epoch = position?.epoch;
  const seq = Number(position?.seq);
  if (!epoch || !isValidEpoch(epoch) || !Number.isSafeInteger(seq) || seq < 1) return undefined;
  return { epoch: asEpoch(epoch), seq };
}

export function readStoredMessage(message: parley.v1.IStoredMessage): StoredMessageRead {
  const { conversation, msgId, fromUser } = message;
  if (!conversation || !isConversationId(conversation)) return { ok: false, invalid: 'conversation' };
  const position = readPosition(message.position);
  if (!position) return { ok: false, invalid: 'position' };
  if (!msgId || !isValidMsgId(msgId)) return { ok: false, invalid: 'msg_id' };
  if (!fromUser || !isValidUserId(fromUser)) return { ok: false, invalid: 'user' };
  return {
    ok: true,
    message: {
      conversation: asConversationId(conversation),
      position,
      msgId: asMsgId(msgId),
      from: asUserId(fromUser),
      serverTimeMs: Number(message.serverTimeMs ?? 0),
      payload: message.payload ?? new Uint8Array(),
    },
  };
}
