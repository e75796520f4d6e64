// The events of one deliver-topic record: a stored message's stored event first, then one
// offline event per receiver with no connection, with its unread count; the application
// events (delivered, group changed, connected, disconnected) as documented in SERVER-API.md;
// duplicates and client requests make none; a record missing a field is refused at the edge
// (deliver-record.ts), named by the field, never sent with an empty id.
import { asConnectionId, asConversationId, asEpoch, asGatewayId, asUserId, encodeAppEvent, encodeDeliveryCommand, parley } from '@parley/protocol';
import { FakeClock, MemoryConversationIndex, MemoryMembership, MemoryPresence } from '@parley/ports';
import { readDeliverRecord } from '../../src/deliver-record';
import { readStoredMessage, type StoredMessageRecord } from '../../src/stored-message';
import { eventsOf, eventsOfRecord as eventsOfRecordRead, WEBHOOK_EVENT_TYPES, webhookBody, type EventSources, type WebhookEventType } from '../../src/webhook-events';

const eventsOfRecord = (value: Uint8Array, s: EventSources, wanted: ReadonlySet<WebhookEventType>) => eventsOfRecordRead(readDeliverRecord(value), s, wanted);

const wireMessage = (conversation: string, from: string, seq: number) =>
  parley.v1.StoredMessage.create({ conversation, fromUser: from, msgId: `m${seq}`, position: { epoch: 'e1', seq }, payload: Buffer.from('hi'), serverTimeMs: 5 });

function message(conversation: string, from: string, seq: number): StoredMessageRecord {
  const read = readStoredMessage(wireMessage(conversation, from, seq));
  if (!read.ok) throw new Error(`invalid ${read.invalid}`);
  return read.message;
}

async function sources() {
  const clock = new FakeClock();
  const presence = new MemoryPresence(clock);
  const membership = new MemoryMembership();
  const conversationIndex = new MemoryConversationIndex();
  await presence.register([{ user: asUserId('online'), gatewayId: asGatewayId('gw'), connectionId: asConnectionId('c') }], 60_000);
  await membership.create(asConversationId('g:team'), ['amy', 'online', 'zed'].map(asUserId));
  await conversationIndex.read([{ user: asUserId('zed'), conversation: asConversationId('g:team'), epoch: asEpoch('e1'), seq: 3 }]);
  return { presence, membership, conversationIndex };
}

describe('webhook events', () => {
  it('a group message: stored, then offline events for the members without a connection (not the sender), with unread counts', async () => {
    const events = await eventsOf(message('g:team', 'amy', 7), await sources(), new Set(WEBHOOK_EVENT_TYPES));
    expect(events.map((e) => [e.id, e.type, e.data.user, e.data.unread])).toEqual([['g:team/e1/7', 'message.stored', undefined, undefined], ['g:team/e1/7/offline/zed', 'message.offline', 'zed', 4]]);
    expect(events[0]!.data).toMatchObject({ from: 'amy', msgId: 'm7', position: { epoch: 'e1', seq: 7 }, payload: Buffer.from('hi').toString('base64') });
  });

  it('a 1:1 message to an online receiver: stored only; the filter drops what is not wanted', async () => {
    const s = await sources();
    expect((await eventsOf(message('d:amy:online', 'amy', 1), s, new Set(WEBHOOK_EVENT_TYPES))).map((e) => e.type)).toEqual(['message.stored']);
    expect((await eventsOf(message('d:amy:bob', 'amy', 2), s, new Set(['message.offline'] as const))).map((e) => [e.type, e.data.user, e.data.unread])).toEqual([['message.offline', 'bob', 2]]);
  });

  it('reads stored messages out of deliver-topic records, skipping duplicates and client requests', () => {
    const m = wireMessage('d:amy:bob', 'amy', 1);
    expect(readDeliverRecord(encodeDeliveryCommand({ sequenced: { message: m } }))).toMatchObject({ kind: 'stored', message: { msgId: 'm1', from: 'amy', position: { epoch: 'e1', seq: 1 } } });
    expect(readDeliverRecord(encodeDeliveryCommand({ sequenced: { message: m, duplicate: true } }))).toEqual({ kind: 'none' });
    expect(readDeliverRecord(encodeDeliveryCommand({ client: { frame: { ping: {} } } }))).toEqual({ kind: 'none' });
  });

  it('a record missing a field is invalid, named by the field, and makes no event; bytes that are no record throw (the consumer dead-letters them)', async () => {
    const s = await sources();
    const all = new Set(WEBHOOK_EVENT_TYPES);
    const stored = (m: parley.v1.IStoredMessage) => encodeDeliveryCommand({ sequenced: { message: m } });
    const cases: Array<[Uint8Array, string]> = [
      [stored({ ...wireMessage('d:amy:bob', 'amy', 1), position: null }), 'position'],
      [stored({ ...wireMessage('d:amy:bob', 'amy', 1), position: { epoch: 'e1', seq: 0 } }), 'position'],
      [stored({ ...wireMessage('', 'amy', 1) }), 'conversation'],
      [stored({ ...wireMessage('d:amy:bob', '', 1) }), 'user'],
      [stored({ ...wireMessage('d:amy:bob', 'amy', 1), msgId: '' }), 'msg_id'],
      [encodeAppEvent({ atMs: 1, messageDelivered: { conversation: 'd:amy:bob', msgId: 'm3', fromUser: 'amy', toUser: 'bob' } }), 'position'],
      [encodeAppEvent({ atMs: 1, groupChanged: { conversation: 'g:team', members: ['amy'], byUser: 'amy' } }), 'version'],
      [encodeAppEvent({ atMs: 1, groupChanged: { conversation: 'g:team', version: 1, members: ['a:b'], byUser: 'amy' } }), 'user'],
      [encodeAppEvent({ atMs: 1, userConnection: { userId: 'amy', connected: true, gatewayId: 'gw-1' } }), 'connection'],
    ];
    for (const [value, field] of cases) {
      expect(readDeliverRecord(value)).toEqual({ kind: 'invalid', invalid: field });
      expect(await eventsOfRecord(value, s, all)).toEqual([]);
    }
    expect(() => readDeliverRecord(Buffer.from([0xff, 0xff, 0xff]))).toThrow();
  });

  it('application events become their documented bodies, keyed by conversation or user, filtered by type', async () => {
    const s = await sources();
    const all = new Set(WEBHOOK_EVENT_TYPES);
    const delivered = encodeAppEvent({ atMs: 9, messageDelivered: { conversation: 'd:amy:bob', position: { epoch: 'e1', seq: 3 }, msgId: 'm3', fromUser: 'amy', toUser: 'bob' } });
    const [event] = await eventsOfRecord(delivered, s, all);
    expect(JSON.parse(webhookBody(event!))).toEqual({
      id: 'd:amy:bob/e1/3/delivered/bob',
      type: 'message.delivered',
      data: { conversation: 'd:amy:bob', position: { epoch: 'e1', seq: 3 }, msgId: 'm3', from: 'amy', to: 'bob', atMs: 9 },
    });
    expect(event!.key).toBe('d:amy:bob');
    const changed = encodeAppEvent({ atMs: 10, groupChanged: { conversation: 'g:team', version: 2, members: ['amy', 'zed'], added: ['zed'], removed: ['bob'], byUser: 'amy', created: false } });
    expect(await eventsOfRecord(changed, s, all)).toEqual([
      {
        id: 'g:team/group/2',
        type: 'group.changed',
        key: 'g:team',
        data: { conversation: 'g:team', version: 2, created: false, by: 'amy', members: ['amy', 'zed'], added: ['zed'], removed: ['bob'], atMs: 10 },
      },
    ]);
    const connected = encodeAppEvent({ atMs: 11, userConnection: { userId: 'amy', connected: true, gatewayId: 'gw-1', connectionId: 'c-1', deviceId: 'phone' } });
    const disconnected = encodeAppEvent({ atMs: 12, userConnection: { userId: 'amy', connected: false, gatewayId: 'gw-1', connectionId: 'c-1', deviceId: 'phone' } });
    expect((await eventsOfRecord(connected, s, all)).map((e) => [e.id, e.type, e.key, e.data])).toEqual([
      ['amy/connected/c-1', 'user.connected', 'amy', { user: 'amy', gatewayId: 'gw-1', connectionId: 'c-1', device: 'phone', atMs: 11 }],
    ]);
    expect((await eventsOfRecord(disconnected, s, all)).map((e) => [e.id, e.type])).toEqual([['amy/disconnected/c-1', 'user.disconnected']]);
    expect(await eventsOfRecord(connected, s, new Set(['message.stored'] as const))).toEqual([]);
    expect(await eventsOfRecord(encodeDeliveryCommand({ client: { frame: { ping: {} } } }), s, all)).toEqual([]);
  });
});
