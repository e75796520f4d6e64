// The events of one stored message: stored first, then one offline event per receiver with no
// connection, with its unread count; duplicates and other records make none.
import { asConnectionId, asConversationId, asEpoch, asGatewayId, asUserId, encodeDeliveryCommand, parley } from '@parley/protocol';
import { FakeClock, MemoryConversationIndex, MemoryMembership, MemoryPresence } from '@parley/ports';
import { eventsOf, storedMessageOf, WEBHOOK_EVENT_TYPES } from '../../src/webhook-events';

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
});
