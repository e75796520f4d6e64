// The events a webhook receives, built from the deliver topic's sequenced messages:
// `message.stored` for every message stored, and `message.offline` for each receiver with no
// connection when it was stored, with the receiver's unread count (a push notification's due).
import { decodeDeliveryCommand, directPeer, isGroupConversation, StoredMessage, UserId, asUserId, asConversationId } from '@parley/protocol';
import type { ConversationIndex, Membership, Presence } from '@parley/ports';

export type WebhookEventType = 'message.stored' | 'message.offline';
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = ['message.stored', 'message.offline'];

export interface WebhookEvent {
  /** Stable per event: a receiver dedupes by it (delivery is at least once). */
  readonly id: string;
  readonly type: WebhookEventType;
  readonly conversation: string;
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
  if (wanted.has('message.stored')) events.push({ id: base, type: 'message.stored', conversation, data: common });
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
    events.push({ id: `${base}/offline/${user}`, type: 'message.offline', conversation, data: { ...common, user, unread: Math.max(0, seq - readSeq) } });
  });
  return events;
}
