// Delivery's edge: each record of the deliver topic is decoded here, once, into a validated
// record with branded ids: a sequenced message to deliver (1:1 or group), a client request to
// answer, the refusal a gateway would have answered, or why the record is skipped. The
// sequencer and the gateways validated what they forwarded; what neither forwards is refused,
// skipped or thrown out here (a sequenced message nobody can store: the consumer sets it
// aside), never defaulted deeper in. The only delivery file that reads a decoded
// DeliveryCommand. Pure: no I/O.
import {
  asConnectionId,
  asConversationId,
  asEpoch,
  asGatewayId,
  asUserId,
  ConnectionId,
  ConversationId,
  decodeDeliveryCommand,
  decodeInboxCursor,
  DeliveryCommand,
  Epoch,
  ErrorCode,
  ErrorCodeValue,
  GatewayId,
  InboxCursor,
  InvalidCursorError,
  isGroupConversation,
  isValidEpoch,
  isValidSeq,
  parley,
  Seq,
  StoredMessage,
  UserId,
} from '@parley/protocol';
import type { ConsumedRecord } from '@parley/ports';
import type { Requester } from '@parley/runtime';

/** A message's place: its conversation, the conversation's epoch, the seq within it. */
export interface MessagePosition {
  readonly conversation: ConversationId;
  readonly epoch: Epoch;
  readonly seq: Seq;
}

/** The sender's connection a message came from: its ack:N goes there even when presence lost the sender. */
export interface SenderOrigin {
  readonly gatewayId: GatewayId;
  readonly connectionId: ConnectionId;
}

/** The client connection a request came from: where its answer goes (a downlink target). */
export interface RequestOrigin {
  readonly gatewayId: GatewayId;
  readonly user: UserId;
  readonly connectionId: ConnectionId;
}

interface Sequenced {
  /** The message as stored: written to inboxes and pushed as msg:N as it is. */
  readonly message: StoredMessage;
  readonly position: MessagePosition;
  readonly sender: UserId;
  /** A retransmit the sequencer had already sequenced. */
  readonly duplicate: boolean;
  /** Undefined when the record names none. */
  readonly origin: SenderOrigin | undefined;
  /** When the sender's gateway received it (0 when unknown). */
  readonly receivedAtMs: number;
}

/** A sequenced 1:1 message. */
export interface DirectMessage extends Sequenced {
  readonly kind: 'direct';
  readonly receiver: UserId;
}

/** A sequenced group message (delivery reads the members when it fans out). */
export interface GroupMessage extends Sequenced {
  readonly kind: 'group';
}

export type SequencedMessage = DirectMessage | GroupMessage;

interface Request {
  readonly origin: RequestOrigin;
  /** When the client's gateway received it (0 when unknown). */
  readonly receivedAtMs: number;
}

/** ack:R: one device took one message (1:1), or everything up to it (group, cumulative). */
export interface AckRequest extends Request {
  readonly kind: 'ack';
  readonly position: MessagePosition;
}

/** read:R: the user read the conversation up to `position`. */
export interface ReadRequest extends Request {
  readonly kind: 'read';
  readonly position: MessagePosition;
}

/** offline:R: a page of the user's inbox after `after` (from its start when undefined). */
export interface InboxPullRequest extends Request {
  readonly kind: 'pull';
  readonly after: InboxCursor | undefined;
  /** Asked page size; 0 = the largest page. */
  readonly limit: number;
}

/** offlineack:R: the device stored these inbox entries. */
export interface InboxTrimRequest extends Request {
  readonly kind: 'trim';
  readonly refs: readonly MessagePosition[];
}

/** sync:R: a conversation's history after `after` (from its oldest kept message when undefined). */
export interface SyncRequest extends Request {
  readonly kind: 'sync';
  readonly requestId: string;
  readonly conversation: ConversationId;
  readonly after: { readonly epoch: Epoch; readonly seq: Seq } | undefined;
  /** Asked page size; 0 = the largest page. */
  readonly limit: number;
}

/** conversations:R: the user's chat list. */
export interface ConversationsRequest extends Request {
  readonly kind: 'conversations';
  readonly requestId: string;
  /** Asked page size; 0 = the largest page. */
  readonly limit: number;
}

/** A request no gateway forwards: answered with the error the gateway would have given. */
export interface RefusedRequest extends Request {
  readonly kind: 'refuse';
  readonly code: ErrorCodeValue;
  readonly message: string;
  /** The request_id the error names ('' when the request has none). */
  readonly msgId: string;
}

export type ClientRequest = AckRequest | ReadRequest | InboxPullRequest | InboxTrimRequest | SyncRequest | ConversationsRequest | RefusedRequest;

/**
 * Why a record is not handled (parley_delivery_skipped_records_total's reason): it cannot be
 * decoded, is a sequenced record without its message, names no user, is a client frame
 * delivery does not answer, or is an application event (for the webhooks only).
 */
export type SkipReason = 'undecodable' | 'no_message' | 'no_origin' | 'not_a_request' | 'app_event';

export interface SkippedRecord {
  readonly kind: 'skip';
  readonly reason: SkipReason;
  /** Why an undecodable record could not be read. */
  readonly error?: unknown;
}

export type DeliverRecord = SequencedMessage | ClientRequest | SkippedRecord;

/**
 * Throws for a sequenced message without what the sequencer always sets (conversation,
 * position, sender; a 1:1 receiver): no inbox can hold it, and its sender waits for an
 * answer, so it fails on its own and the consumer dead-letters it and answers the sender
 * INTERNAL (a plain Error: the failure is the record's, no client error code describes it).
 */
export function readDeliverRecord(value: Uint8Array): DeliverRecord {
  let command: DeliveryCommand;
  try {
    command = decodeDeliveryCommand(value);
  } catch (error) {
    // A record that cannot be decoded never will be: skipped rather than block the partition.
    return skip('undecodable', error);
  }
  if (command.sequenced) return readSequenced(command.sequenced);
  if (command.client) return readClientRequest(command.client);
  return skip(command.appEvent ? 'app_event' : 'not_a_request');
}

const skip = (reason: SkipReason, error?: unknown): SkippedRecord => (error === undefined ? { kind: 'skip', reason } : { kind: 'skip', reason, error });

function readSequenced(sequenced: parley.v1.ISequenced): SequencedMessage | SkippedRecord {
  const message = sequenced.message;
  if (!message) return skip('no_message');
  const msgId = message.msgId ?? '';
  if (!message.position?.epoch) throw new Error(`sequenced message without a position (msgId ${msgId})`);
  if (!message.conversation || !message.fromUser) throw new Error(`sequenced message without a conversation or sender (msgId ${msgId})`);
  const stored = message as StoredMessage;
  const origin = sequenced.origin?.gatewayId
    ? { gatewayId: asGatewayId(sequenced.origin.gatewayId), connectionId: asConnectionId(sequenced.origin.connectionId ?? '') }
    : undefined;
  const common = {
    message: stored,
    position: { conversation: asConversationId(message.conversation), epoch: asEpoch(message.position.epoch), seq: Number(message.position.seq ?? 0) },
    sender: asUserId(message.fromUser),
    duplicate: sequenced.duplicate === true,
    origin,
    receivedAtMs: Number(message.receivedAtMs ?? 0),
  };
  if (isGroupConversation(message.conversation)) return { kind: 'group', ...common };
  const receiver = message.toUsers?.[0];
  if (!receiver) throw new Error(`sequenced 1:1 message without a receiver (msgId ${msgId})`);
  return { kind: 'direct', ...common, receiver: asUserId(receiver) };
}

const POSITION_RULE = 'a position is an epoch the server issued (1..64 chars of [A-Za-z0-9_-]) and a seq from 0 to 2^53 - 1';

type WirePosition = parley.v1.IPosition | null | undefined;

/** A position a client may name: one the server could have issued (the gateway's rule). */
const isPosition = (position: WirePosition): position is parley.v1.IPosition & { epoch: string } =>
  !!position && isValidEpoch(position.epoch ?? '') && isValidSeq(position.seq);

function readClientRequest(client: parley.v1.IClientPacket): ClientRequest | SkippedRecord {
  const wire = client.origin;
  const frame = client.frame;
  if (!wire?.userId) return skip('no_origin');
  const origin: RequestOrigin = { gatewayId: asGatewayId(wire.gatewayId ?? ''), user: asUserId(wire.userId), connectionId: asConnectionId(wire.connectionId ?? '') };
  const base = { origin, receivedAtMs: Number(wire.receivedAtMs ?? 0) };
  const refuse = (code: ErrorCodeValue, message: string, msgId = ''): RefusedRequest => ({ kind: 'refuse', ...base, code, message, msgId });
  if (frame?.ackR || frame?.readR) {
    const kind = frame.ackR ? 'ack' : 'read';
    const request = (frame.ackR ?? frame.readR)!;
    const position = request.position;
    if (!position?.epoch || !position.seq) return refuse(ErrorCode.INVALID_FIELD, `${kind}:R needs position.epoch and position.seq`);
    if (!isPosition(position)) return refuse(ErrorCode.INVALID_FIELD, POSITION_RULE);
    return { kind, ...base, position: { conversation: asConversationId(request.conversation ?? ''), epoch: asEpoch(position.epoch), seq: Number(position.seq) } };
  }
  if (frame?.offlineR) {
    let after: InboxCursor | undefined;
    try {
      after = decodeInboxCursor(frame.offlineR.cursor ?? '');
    } catch (error) {
      // The gateway refuses these at the edge; one that got past it (an older gateway) is
      // answered the same way rather than failing the batch.
      if (!(error instanceof InvalidCursorError)) throw error;
      return refuse(error.code, error.message);
    }
    return { kind: 'pull', ...base, after, limit: frame.offlineR.limit ?? 0 };
  }
  if (frame?.offlineackR) {
    const refs = frame.offlineackR.refs ?? [];
    if (!refs.every((ref) => isPosition(ref.position))) return refuse(ErrorCode.INVALID_FIELD, `offlineack:R refs: ${POSITION_RULE}`);
    return {
      kind: 'trim',
      ...base,
      refs: refs.map((ref) => ({ conversation: asConversationId(ref.conversation ?? ''), epoch: asEpoch(ref.position!.epoch!), seq: Number(ref.position!.seq ?? 0) })),
    };
  }
  if (frame?.syncR) {
    const requestId = frame.syncR.requestId ?? '';
    const after = frame.syncR.after;
    // An empty after.epoch means "from the oldest kept message".
    if (after && !(after.epoch ? isPosition(after) : isValidSeq(after.seq))) return refuse(ErrorCode.INVALID_FIELD, `sync:R after: ${POSITION_RULE} (or empty)`, requestId);
    return {
      kind: 'sync',
      ...base,
      requestId,
      conversation: asConversationId(frame.syncR.conversation ?? ''),
      after: after?.epoch ? { epoch: asEpoch(after.epoch), seq: Number(after.seq ?? 0) } : undefined,
      limit: frame.syncR.limit ?? 0,
    };
  }
  if (frame?.conversationsR) return { kind: 'conversations', ...base, requestId: frame.conversationsR.requestId ?? '', limit: frame.conversationsR.limit ?? 0 };
  return skip('not_a_request');
}

/**
 * Who waits for the answer to a deliver-topic record (for the error a poison record gets): the
 * sender of a sequenced message (it waits for ack:N, named by msg_id), or the client of a
 * request that is answered (ack:R, offline:R, sync:R and conversations:R; offlineack:R is not).
 */
export function deliverRequester(record: ConsumedRecord): Requester | undefined {
  const command = decodeDeliveryCommand(record.value);
  const sequenced = command.sequenced;
  if (sequenced?.origin && sequenced.message) return { origin: sequenced.origin, msgId: sequenced.message.msgId ?? '' };
  const client = command.client;
  if (!client?.origin || !client.frame) return undefined;
  const frame = client.frame;
  if (frame.syncR) return { origin: client.origin, msgId: frame.syncR.requestId ?? '' };
  if (frame.conversationsR) return { origin: client.origin, msgId: frame.conversationsR.requestId ?? '' };
  if (frame.ackR || frame.offlineR) return { origin: client.origin, msgId: '' };
  return undefined;
}
