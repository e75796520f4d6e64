// The events a webhook receives (docs/SERVER-API.md, "Webhooks"), built from the deliver
// topic's records: `message.stored` for every message stored and `message.offline` for each
// receiver with no connection when it was stored, with the receiver's unread count (a push
// notification's due), both from the sequencer's records; `message.delivered`,
// `group.changed`, `user.connected` and `user.disconnected` from the AppEvent records delivery,
// the sequencer and the gateways put beside them. Each event keeps the key of its record
// (conversation, or user for connections), the order a receiver gets it in.
import { decodeDeliveryCommand, directPeer, isGroupConversation, StoredMessage, UserId, asUserId, asConversationId, parley } from '@parley/protocol';
import type { ConversationIndex, Membership, Presence } from '@parley/ports';

export const WEBHOOK_EVENT_TYPES = ['message.stored', 'message.offline', 'message.delivered', 'group.changed', 'user.connected', 'user.disconnected'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent {
  /** Stable per event: a receiver dedupes by it (delivery is at least once). */
  readonly id: string;
  readonly type: WebhookEventType;
  /** The conversation (or, for connection events, the user) whose order the event keeps. */
  readonly key: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The stored message a deliver-topic record carries; undefined for other records and for duplicates (their first copy had its events). */
export function storedMessageOf(value: Uint8Array): StoredMessage | undefined {
  const command = decodeDeliveryCommand(value);
  const sequenced = command.sequenced;
  if (!sequenced?.message || sequenced.duplicate) return undefined;
  return sequenced.message as StoredMessage;
}

export interface EventSources {
  readonly presence: Presence;
  readonly membership: Membership;
  readonly conversationIndex: ConversationIndex;
}

/** The events of one deliver-topic record, restricted to `wanted`; none for client requests and duplicates. */
export async function eventsOfRecord(value: Uint8Array, sources: EventSources, wanted: ReadonlySet<WebhookEventType>): Promise<WebhookEvent[]> {
  const command = decodeDeliveryCommand(value);
  if (command.sequenced?.message && !command.sequenced.duplicate) return eventsOf(command.sequenced.message as StoredMessage, sources, wanted);
  if (command.appEvent) {
    const event = appEventOf(command.appEvent);
    return event && wanted.has(event.type) ? [event] : [];
  }
  return [];
}

/** The events of one stored message, `message.stored` first, restricted to `wanted`. */
export async function eventsOf(message: StoredMessage, sources: EventSources, wanted: ReadonlySet<WebhookEventType>): Promise<WebhookEvent[]> {
  const conversation = asConversationId(message.conversation);
  const epoch = message.position?.epoch ?? '';
  const seq = Number(message.position?.seq ?? 0);
  const base = `${conversation}/${epoch}/${seq}`;
  const from = asUserId(message.fromUser);
  const common = {
    conversation,
    position: { epoch, seq },
    msgId: message.msgId,
    from,
    serverTimeMs: Number(message.serverTimeMs ?? 0),
    payload: Buffer.from(message.payload ?? new Uint8Array()).toString('base64'),
  };
  const events: WebhookEvent[] = [];
  if (wanted.has('message.stored')) events.push({ id: base, type: 'message.stored', key: conversation, data: common });
  if (!wanted.has('message.offline')) return events;
  const receivers: UserId[] = isGroupConversation(conversation)
    ? (await sources.membership.members(conversation)).filter((user) => user !== from)
    : [directPeer(conversation, from)].filter((user): user is UserId => user !== undefined);
  if (receivers.length === 0) return events;
  const online = await sources.presence.lookup(receivers);
  const offline = receivers.filter((user) => (online.get(user)?.length ?? 0) === 0);
  if (offline.length === 0) return events;
  const reads = await sources.conversationIndex.reads(conversation, offline);
  offline.forEach((user, i) => {
    const read = reads[i];
    const readSeq = read && read.epoch === epoch ? read.seq : 0;
    events.push({ id: `${base}/offline/${user}`, type: 'message.offline', key: conversation, data: { ...common, user, unread: Math.max(0, seq - readSeq) } });
  });
  return events;
}

/** The webhook event of an AppEvent record; undefined for a kind this version does not know. */
export function appEventOf(event: parley.v1.IAppEvent): WebhookEvent | undefined {
  const atMs = Number(event.atMs ?? 0);
  const delivered = event.messageDelivered;
  if (delivered) {
    const conversation = delivered.conversation ?? '';
    const position = { epoch: delivered.position?.epoch ?? '', seq: Number(delivered.position?.seq ?? 0) };
    return {
      id: `${conversation}/${position.epoch}/${position.seq}/delivered/${delivered.toUser ?? ''}`,
      type: 'message.delivered',
      key: conversation,
      data: { conversation, position, msgId: delivered.msgId ?? '', from: delivered.fromUser ?? '', to: delivered.toUser ?? '', atMs },
    };
  }
  const group = event.groupChanged;
  if (group) {
    const conversation = group.conversation ?? '';
    const version = Number(group.version ?? 0);
    return {
      id: `${conversation}/group/${version}`,
      type: 'group.changed',
      key: conversation,
      data: { conversation, version, created: group.created ?? false, by: group.byUser ?? '', members: group.members ?? [], added: group.added ?? [], removed: group.removed ?? [], atMs },
    };
  }
  const connection = event.userConnection;
  if (connection) {
    const user = connection.userId ?? '';
    const type = connection.connected ? 'user.connected' : 'user.disconnected';
    return {
      id: `${user}/${connection.connected ? 'connected' : 'disconnected'}/${connection.connectionId ?? ''}`,
      type,
      key: user,
      data: { user, gatewayId: connection.gatewayId ?? '', connectionId: connection.connectionId ?? '', device: connection.deviceId ?? '', atMs },
    };
  }
  return undefined;
}

/** The JSON body of a callback (and of a dead-lettered event). */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, data: event.data });
}
