// The events of one deliver-topic record: a stored message's stored event first, then one
// offline event per receiver with no connection, with its unread count; the application
// events (delivered, group changed, connected, disconnected) as documented in SERVER-API.md;
// duplicates and client requests make none.
import { asConnectionId, asConversationId, asEpoch, asGatewayId, asUserId, encodeAppEvent, encodeDeliveryCommand, parley } from '@parley/protocol';
import { FakeClock, MemoryConversationIndex, MemoryMembership, MemoryPresence } from '@parley/ports';
import { eventsOf, eventsOfRecord, storedMessageOf, WEBHOOK_EVENT_TYPES, webhookBody } from '../../src/webhook-events';

const message = (conversation: string, from: string, seq: number) =>
  parley.v1.StoredMessage.create({ conversation, fromUser: from, msgId: `m${seq}`, position: { epoch: 'e1', seq }, payload: Buffer.from('hi'), serverTimeMs: 5 });

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
    const events = await eventsOf(message('g:team', 'amy', 7) as never, await sources(), new Set(WEBHOOK_EVENT_TYPES));
    expect(events.map((e) => [e.id, e.type, e.data.user, e.data.unread])).toEqual([['g:team/e1/7', 'message.stored', undefined, undefined], ['g:team/e1/7/offline/zed', 'message.offline', 'zed', 4]]);
    expect(events[0]!.data).toMatchObject({ from: 'amy', msgId: 'm7', position: { epoch: 'e1', seq: 7 }, payload: Buffer.from('hi').toString('base64') });
  });

  it('a 1:1 message to an online receiver: stored only; the filter drops what is not wanted', async () => {
    const s = await sources();
    expect((await eventsOf(message('d:amy:online', 'amy', 1) as never, s, new Set(WEBHOOK_EVENT_TYPES))).map((e) => e.type)).toEqual(['message.stored']);
    expect((await eventsOf(message('d:amy:bob', 'amy', 2) as never, s, new Set(['message.offline'] as const))).map((e) => [e.type, e.data.user, e.data.unread])).toEqual([['message.offline', 'bob', 2]]);
  });

  it('reads stored messages out of deliver-topic records, skipping duplicates and client requests', () => {
    const m = message('d:amy:bob', 'amy', 1);
    expect(storedMessageOf(encodeDeliveryCommand({ sequenced: { message: m } }))?.msgId).toBe('m1');
    expect(storedMessageOf(encodeDeliveryCommand({ sequenced: { message: m, duplicate: true } }))).toBeUndefined();
    expect(storedMessageOf(encodeDeliveryCommand({ client: { frame: { ping: {} } } }))).toBeUndefined();
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
