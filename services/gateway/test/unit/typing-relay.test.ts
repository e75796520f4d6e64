// Typing indicators: relayed by the gateway straight to the other members' gateways
// (presence + downlink, no bus, nothing stored), at most one per connection per interval.
import { asConnectionId, asConversationId, asGatewayId, asUserId, decodeFrame, DownlinkBatch, ErrorCode } from '@parley/protocol';
import { FakeClock, MemoryDownlink, MemoryMembership, MemoryPresence } from '@parley/ports';
import { admitTyping, TypingRelay } from '../../src/typing-relay';

const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map(asUserId) as [ReturnType<typeof asUserId>, ReturnType<typeof asUserId>, ReturnType<typeof asUserId>, ReturnType<typeof asUserId>];

async function setUp() {
  const clock = new FakeClock();
  const presence = new MemoryPresence(clock);
  const membership = new MemoryMembership();
  const downlink = new MemoryDownlink();
  const received = new Map<string, DownlinkBatch[]>();
  for (const gw of ['gw1', 'gw2']) {
    received.set(gw, []);
    await downlink.subscribe(asGatewayId(gw), (batch) => received.get(gw)!.push(batch));
  }
  const online = (user: typeof alice, gw: string, connection: string) => presence.register([{ user, gatewayId: asGatewayId(gw), connectionId: asConnectionId(connection) }], 60_000);
  const typingAt = (gw: string) =>
    received.get(gw)!.flatMap((b) => b.items.map((i) => ({ users: [i.userId, ...(i.moreUserIds ?? [])].sort(), typing: decodeFrame(i.frame!).typingN })));
  return { relay: new TypingRelay({ presence, membership, downlink }), membership, online, typingAt };
}

describe('the typing relay', () => {
  it('tells the online devices of the other member of a 1:1 conversation, and nobody else', async () => {
    const { relay, online, typingAt } = await setUp();
    await online(alice, 'gw1', 'a1');
    await online(bob, 'gw2', 'b1');
    await online(carol, 'gw2', 'c1');
    expect(await relay.relay(alice, asConversationId('d:alice:bob'))).toBe('relayed');
    expect(typingAt('gw1')).toEqual([]);
    expect(typingAt('gw2')).toEqual([{ users: ['bob'], typing: expect.objectContaining({ conversation: 'd:alice:bob', user: 'alice' }) }]);
  });

  it('tells the other members of a group, one item per gateway, and refuses a non-member', async () => {
    const { relay, membership, online, typingAt } = await setUp();
    await membership.create(asConversationId('g:team'), [alice, bob, carol, dave]);
    await online(alice, 'gw1', 'a1');
    await online(bob, 'gw1', 'b1');
    await online(carol, 'gw2', 'c1');
    await online(dave, 'gw2', 'd1');
    expect(await relay.relay(alice, asConversationId('g:team'))).toBe('relayed');
    expect(typingAt('gw1')).toEqual([{ users: ['bob'], typing: expect.objectContaining({ user: 'alice' }) }]);
    expect(typingAt('gw2')).toEqual([{ users: ['carol', 'dave'], typing: expect.objectContaining({ conversation: 'g:team' }) }]);
    expect(await relay.relay(asUserId('eve'), asConversationId('g:team'))).toBe(ErrorCode.NOT_A_MEMBER);
  });

  it('publishes nothing when no other member is online', async () => {
    const { relay, typingAt } = await setUp();
    expect(await relay.relay(alice, asConversationId('d:alice:bob'))).toBe('nobody_online');
    expect([...typingAt('gw1'), ...typingAt('gw2')]).toEqual([]);
  });

  it('relays at most one typing:R per connection per interval', () => {
    const state: { lastTypingAt: number | undefined } = { lastTypingAt: undefined };
    expect(admitTyping({ lastTypingAt: undefined }, 0, 1_000)).toBe(true); // the first at any time
    expect(admitTyping(state, 1_000, 1_000)).toBe(true);
    expect(admitTyping(state, 1_500, 1_000)).toBe(false);
    expect(admitTyping(state, 1_999, 1_000)).toBe(false);
    expect(admitTyping(state, 2_000, 1_000)).toBe(true);
  });
});
