// Branded identifier types: a UserId cannot be passed where a ConversationId is expected.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UserId = Brand<string, 'UserId'>;
export type ConversationId = Brand<string, 'ConversationId'>;
export type MsgId = Brand<string, 'MsgId'>;
export type GatewayId = Brand<string, 'GatewayId'>;
export type ConnectionId = Brand<string, 'ConnectionId'>;
/**
 * One sending device of a user: the client's `device` connect parameter, or the connection
 * id when it gave none. client_seq counts per (device, conversation).
 */
export type DeviceId = Brand<string, 'DeviceId'>;
/** Names one life of a conversation's counter; a new epoch means seqs restarted. */
export type Epoch = Brand<string, 'Epoch'>;
/** Position within one epoch: 1, 2, 3, ... with no gaps. */
export type Seq = number;
/** Where a message sits in its conversation's history: one life of the counter (`epoch`) and the seq in it. */
export interface Position {
  readonly epoch: Epoch;
  readonly seq: Seq;
}

/** User ids, gateway ids: 1..64 chars of letters, digits, `_`, `-`, `.`. */
const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** Client-made message ids: 1..64 chars of letters, digits, `_`, `-`. */
const MSG_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const isValidUserId = (value: string): value is UserId => ID_PATTERN.test(value);
export const isValidGatewayId = (value: string): value is GatewayId => ID_PATTERN.test(value);
export const isValidMsgId = (value: string): value is MsgId => MSG_ID_PATTERN.test(value);

/** Epochs the seq stores mint (base36 today): 1..64 chars of letters, digits, `_`, `-`; never `|` or `:`, which keys use as separators. */
const EPOCH_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const isValidEpoch = (value: string): value is Epoch => EPOCH_PATTERN.test(value);

/** A seq a client may name (uint64 on the wire): a whole number from 0 to 2^53 - 1; no larger one is ever issued. */
export const isValidSeq = (value: number | null | undefined): boolean => {
  const seq = Number(value ?? 0);
  return Number.isSafeInteger(seq) && seq >= 0;
};
/** Device ids follow the msg_id pattern: 1..64 chars of letters, digits, `_`, `-`. */
export const isValidDeviceId = (value: string): value is DeviceId => MSG_ID_PATTERN.test(value);

export const asUserId = (value: string): UserId => value as UserId;
export const asConversationId = (value: string): ConversationId => value as ConversationId;
export const asMsgId = (value: string): MsgId => value as MsgId;
export const asGatewayId = (value: string): GatewayId => value as GatewayId;
export const asConnectionId = (value: string): ConnectionId => value as ConnectionId;
export const asDeviceId = (value: string): DeviceId => value as DeviceId;
export const asEpoch = (value: string): Epoch => value as Epoch;
