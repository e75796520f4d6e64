// The events a webhook receives (docs/SERVER-API.md, "Webhooks"), built from the deliver
// topic's records: `message.stored` for every message stored and `message.offline` for each
// receiver with no connection when it was stored, with the receiver's unread count (a push
// notification's due), both from the sequencer's records; `message.delivered`,
// `group.changed`, `user.connected` and `user.disconnected` from the AppEvent records delivery,
// the sequencer and the gateways put beside them. Each event keeps the key of its record
// (conversation, or user for connections), the order a receiver gets it in.
import { assertNever, directPeer, isGroupConversation, UserId } from '@parley/protocol';
import type { ConversationIndex, Membership, Presence } from '@parley/ports';
import type { AppEventRecord, DeliverRecord } from './deliver-record';
import type { StoredMessageRecord } from './stored-message';

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

export interface EventSources {
  readonly presence: Presence;
  readonly membership: Membership;
  readonly conversationIndex: ConversationIndex;
}

/** The events of one deliver-topic record (read by deliver-record.ts), restricted to `wanted`; none for client requests and duplicates. */
export async function eventsOfRecord(record: DeliverRecord, sources: EventSources, wanted: ReadonlySet<WebhookEventType>): Promise<WebhookEvent[]> {
  if (record.kind === 'stored') return eventsOf(record.message, sources, wanted);
  if (record.kind === 'event') {
    const event = appEventOf(record.event);
    return wanted.has(event.type) ? [event] : [];
  }
  return [];
}

/** The events of one stored message, `message.stored` first, restricted to `wanted`. */
export async function eventsOf(message: StoredMessageRecord, sources: EventSources, wanted: ReadonlySet<WebhookEventType>): Promise<WebhookEvent[]> {
  const { conversation, from, position } = message;
  const { epoch, seq } = position;
  const base = `${conversation}/${epoch}/${seq}`;
  const common = {
    conversation,
    position: { epoch, seq },
    msgId: message.msgId,
    from,
    serverTimeMs: message.serverTimeMs,
    payload: Buffer.from(message.payload).toString('base64'),
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

/** The webhook event of an application event. */
export function appEventOf(event: AppEventRecord): WebhookEvent {
  const { atMs } = event;
  switch (event.kind) {
    case 'message.delivered': {
      const { conversation, position, msgId, from, to } = event;
      return {
        id: `${conversation}/${position.epoch}/${position.seq}/delivered/${to}`,
        type: 'message.delivered',
        key: conversation,
        data: { conversation, position: { epoch: position.epoch, seq: position.seq }, msgId, from, to, atMs },
      };
    }
    case 'group.changed': {
      const { conversation, version, created, by, members, added, removed } = event;
      return { id: `${conversation}/group/${version}`, type: 'group.changed', key: conversation, data: { conversation, version, created, by, members, added, removed, atMs } };
    }
    case 'user.connection': {
      const { user, connected, gatewayId, connectionId, device } = event;
      const happened = connected ? 'connected' : 'disconnected';
      return { id: `${user}/${happened}/${connectionId}`, type: `user.${happened}`, key: user, data: { user, gatewayId, connectionId, device, atMs } };
    }
    default:
      return assertNever(event);
  }
}

/** The JSON body of a callback (and of a dead-lettered event). */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, data: event.data });
}
