// The server API's edge for the deliver topic (the webhooks' source): each record is decoded
// here, once, into what a webhook tells: a stored message (the sequencer's Sequenced record,
// not its duplicates), an application event (AppEvent) with branded ids, or nothing (client
// requests; an event kind this version does not know). A record missing a field is `invalid`,
// named by the field, and counted by its consumer; one that cannot be decoded at all throws,
// and the consumer sets it aside as poison (dead letter), as for any record.
import { asConnectionId, asConversationId, asDeviceId, asGatewayId, asMsgId, asUserId, decodeDeliveryCommand, isGroupConversation, isValidMsgId, isValidUserId } from '@parley/protocol';
import type { ConnectionId, ConversationId, DeviceId, GatewayId, MsgId, parley, UserId } from '@parley/protocol';
import { isConversationId, readPosition, readStoredMessage, type InvalidField, type Position, type StoredMessageRecord } from './stored-message';

/** A receiver's first device acknowledged a 1:1 message. */
export interface MessageDelivered {
  readonly kind: 'message.delivered';
  readonly atMs: number;
  readonly conversation: ConversationId;
  readonly position: Position;
  readonly msgId: MsgId;
  readonly from: UserId;
  readonly to: UserId;
}

/** A group created or changed, as the sequencer applied it. */
export interface GroupChanged {
  readonly kind: 'group.changed';
  readonly atMs: number;
  readonly conversation: ConversationId;
  readonly version: number;
  readonly created: boolean;
  readonly by: UserId;
  readonly members: readonly UserId[];
  readonly added: readonly UserId[];
  readonly removed: readonly UserId[];
}

/** A connection opened or closed on a gateway. */
export interface UserConnection {
  readonly kind: 'user.connection';
  readonly atMs: number;
  readonly user: UserId;
  readonly connected: boolean;
  readonly gatewayId: GatewayId;
  readonly connectionId: ConnectionId;
  /** '' from a gateway that names no device. */
  readonly device: DeviceId | '';
}

export type AppEventRecord = MessageDelivered | GroupChanged | UserConnection;

export type DeliverRecord =
  | { readonly kind: 'stored'; readonly message: StoredMessageRecord }
  | { readonly kind: 'event'; readonly event: AppEventRecord }
  /** Nothing for a webhook: a client request, a duplicate (its first copy had its events), an unknown event kind. */
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly invalid: InvalidField };

const NONE: DeliverRecord = { kind: 'none' };
const invalid = (field: InvalidField): DeliverRecord => ({ kind: 'invalid', invalid: field });

/** Throws on bytes that are no DeliveryCommand (the consumer's poison isolation takes them). */
export function readDeliverRecord(value: Uint8Array): DeliverRecord {
  const command = decodeDeliveryCommand(value);
  const sequenced = command.sequenced;
  if (sequenced?.message) {
    if (sequenced.duplicate) return NONE;
    const read = readStoredMessage(sequenced.message);
    return read.ok ? { kind: 'stored', message: read.message } : invalid(read.invalid);
  }
  if (command.appEvent) return readAppEvent(command.appEvent);
  return NONE;
}

const validUsers = (users: readonly string[] | null | undefined): UserId[] | undefined => {
  const list = users ?? [];
  return list.every(isValidUserId) ? list.map(asUserId) : undefined;
};

function readAppEvent(event: parley.v1.IAppEvent): DeliverRecord {
  const atMs = Number(event.atMs ?? 0);
  const delivered = event.messageDelivered;
  if (delivered) {
    const { conversation, msgId, fromUser, toUser } = delivered;
    if (!conversation || !isConversationId(conversation)) return invalid('conversation');
    const position = readPosition(delivered.position);
    if (!position) return invalid('position');
    if (!msgId || !isValidMsgId(msgId)) return invalid('msg_id');
    if (!fromUser || !isValidUserId(fromUser) || !toUser || !isValidUserId(toUser)) return invalid('user');
    return { kind: 'event', event: { kind: 'message.delivered', atMs, conversation: asConversationId(conversation), position, msgId: asMsgId(msgId), from: asUserId(fromUser), to: asUserId(toUser) } };
  }
  const group = event.groupChanged;
  if (group) {
    const { conversation, byUser } = group;
    if (!conversation || !isGroupConversation(conversation)) return invalid('conversation');
    const version = Number(group.version);
    if (!Number.isSafeInteger(version) || version < 1) return invalid('version');
    const members = validUsers(group.members);
    const added = validUsers(group.added);
    const removed = validUsers(group.removed);
    if (!byUser || !isValidUserId(byUser) || !members || !added || !removed) return invalid('user');
    return {
      kind: 'event',
      event: { kind: 'group.changed', atMs, conversation: asConversationId(conversation), version, created: group.created === true, by: asUserId(byUser), members, added, removed },
    };
  }
  const connection = event.userConnection;
  if (connection) {
    const { userId, gatewayId, connectionId, deviceId } = connection;
    if (!userId || !isValidUserId(userId)) return invalid('user');
    if (!gatewayId || !connectionId) return invalid('connection');
    return {
      kind: 'event',
      event: {
        kind: 'user.connection',
        atMs,
        user: asUserId(userId),
        connected: connection.connected === true,
        gatewayId: asGatewayId(gatewayId),
        connectionId: asConnectionId(connectionId),
        device: deviceId ? asDeviceId(deviceId) : '',
      },
    };
  }
  return NONE;
}
