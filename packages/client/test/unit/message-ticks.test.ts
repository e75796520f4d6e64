// The ticks of our messages: forward only (each step once), read positions never moved
// back, conversations:A applied after a reconnect, and everything kept in the store.
import { asConversationId, asEpoch, asMsgId, asUserId, type ConversationId } from '@parley/protocol';
import { MemoryClientStore } from '../../src/client-store.memory';
import { MessageTicks } from '../../src/message-ticks';

const conversation = asConversationId('d:alice:bob');
const alice = asUserId('alice');
const bob = asUserId('bob');
const at = (seq: number, epoch = 'e1') => ({ epoch: asEpoch(epoch), seq });
const peerOf = (c: ConversationId) => (c === conversation ? bob : undefined);

function ticksFor(store = new MemoryClientStore(), max = 100) {
  const ticks = new MessageTicks(store, 'k', max);
  ticks.setUser(alice);
  return ticks;
}
const states = (changes: { ticks: Array<{ msgId: string; state: string }> }) => changes.ticks.map((t) => `${t.msgId}:${t.state}`);
const ack = (n: number, status: 'DELIVERED' | 'STORED_OFFLINE' | 'QUEUED') => ({ conversation, position: at(n), msgId: asMsgId(`m${n}`), toUser: bob, status });

describe('message ticks', () => {
  it('moves each message forward only, each step once', () => {
    const ticks = ticksFor();
    expect(states(ticks.sent({ msgId: asMsgId('m1'), conversation, position: at(1) }))).toEqual(['m1:sent']);
    expect(states(ticks.acknowledged(ack(1, 'STORED_OFFLINE')))).toEqual(['m1:stored']);
    expect(states(ticks.acknowledged(ack(1, 'STORED_OFFLINE')))).toEqual([]);
    expect(states(ticks.acknowledged(ack(1, 'DELIVERED')))).toEqual(['m1:delivered']);
    expect(states(ticks.acknowledged(ack(1, 'STORED_OFFLINE')))).toEqual([]); // a late repeat moves nothing back
    expect(states(ticks.sent({ msgId: asMsgId('m1'), conversation, position: at(1) }))).toEqual([]);
    expect(ticks.get('m1')?.state).toBe('delivered');
  });

  it("reads our messages up to the other member's read position, and never moves a read position back", () => {
    const ticks = ticksFor();
    for (const n of [1, 2, 3]) ticks.sent({ msgId: asMsgId(`m${n}`), conversation, position: at(n) });
    const read = ticks.read({ conversation, user: bob, position: at(2) });
    // Read implies delivered in a 1:1 conversation: the step that was not seen comes first.
    expect(states(read)).toEqual(['m1:delivered', 'm1:read', 'm2:delivered', 'm2:read']);
    expect(read.reads).toEqual([{ conversation, user: bob, position: at(2) }]);
    expect(ticks.read({ conversation, user: bob, position: at(1) })).toEqual({ ticks: [], reads: [] });
    expect(states(ticks.acknowledged(ack(2, 'DELIVERED')))).toEqual([]); // read already
    expect(ticks.readPosition(conversation, 'bob')).toEqual(at(2));
    expect(ticks.readers('m2')).toEqual(['bob']);
    expect(ticks.readers('m3')).toEqual([]);
    // Our own reading (another device) moves our read position and no tick.
    expect(ticks.read({ conversation, user: alice, position: at(3) })).toEqual({ ticks: [], reads: [{ conversation, user: alice, position: at(3) }] });
    // A new epoch replaces the position.
    expect(ticks.read({ conversation, user: bob, position: at(1, 'e2') }).reads).toHaveLength(1);
  });

  it('applies conversations:A: delivered and read up to their positions, our own read position', () => {
    const ticks = ticksFor();
    for (const n of [1, 2, 3, 4]) ticks.sent({ msgId: asMsgId(`m${n}`), conversation, position: at(n) });
    const changes = ticks.summaries(
      [{ conversation, latest: at(4), acked: at(0), lastActivityMs: 1, read: at(4), peerRead: at(1), delivered: at(3) }],
      peerOf,
    );
    expect(states(changes)).toEqual(['m1:delivered', 'm2:delivered', 'm3:delivered', 'm1:read']);
    expect(changes.reads).toEqual([{ conversation, user: alice, position: at(4) }, { conversation, user: bob, position: at(1) }]);
    expect(ticks.summaries([{ conversation, latest: at(4), acked: at(0), lastActivityMs: 1, read: at(4), peerRead: at(1), delivered: at(3) }], peerOf)).toEqual({ ticks: [], reads: [] });
  });

  it('emits the steps a notice implies when notices overtook each other; a group message has no delivered step', () => {
    const ticks = ticksFor();
    // An ack:N that overtook the msg:A: sent comes first.
    expect(states(ticks.acknowledged(ack(1, 'STORED_OFFLINE')))).toEqual(['m1:sent', 'm1:stored']);
    const team = asConversationId('g:team');
    ticks.sent({ msgId: asMsgId('g1'), conversation: team, position: at(1) });
    expect(states(ticks.read({ conversation: team, user: bob, position: at(1) }))).toEqual(['g1:read']);
  });

  it('keeps ticks and read positions in the store, per user, the newest when over the limit', () => {
    const store = new MemoryClientStore();
    const ticks = ticksFor(store, 2);
    for (const n of [1, 2, 3]) ticks.sent({ msgId: asMsgId(`m${n}`), conversation, position: at(n) });
    ticks.acknowledged(ack(3, 'DELIVERED'));
    ticks.read({ conversation, user: bob, position: at(2) });

    const reloaded = ticksFor(store, 2);
    expect(reloaded.get('m1')).toBeUndefined();
    expect(reloaded.get('m2')?.state).toBe('read');
    expect(reloaded.get('m3')?.state).toBe('delivered');
    expect(reloaded.readPosition(conversation, 'bob')).toEqual(at(2));
    reloaded.setUser(bob);
    expect(reloaded.get('m2')).toBeUndefined();
  });
});
