import { settle } from '../support/fake-server';
import { connected, harness } from '../support/client-harness';

const TEAM = 'g:team';
const bytes = (text: string) => new TextEncoder().encode(text);
const seqsOf = (h: { messages: Array<{ conversation: string; position: { seq: number } }> }, conversation: string) =>
  h.messages.filter((m) => m.conversation === conversation).map((m) => m.position.seq);

describe('ParleyClient in groups', () => {
  it('acks a group cumulatively and never past a gap', async () => {
    const h = harness();
    h.server.groups.set(TEAM, new Set(['alice', 'bob']));
    await connected(h);
    h.server.publish(TEAM, 'bob'); // 1
    h.server.publish(TEAM, 'bob'); // 2
    const lost = h.server.publish(TEAM, 'bob', { push: false }); // 3: this connection misses it
    h.server.publish(TEAM, 'bob'); // 4
    h.server.publish(TEAM, 'bob'); // 5
    await settle();
    await h.advance(500); // well within the gap grace: no sync yet
    expect(seqsOf(h, TEAM)).toEqual([1, 2]);
    expect(h.server.framesOf('syncR')).toHaveLength(0);
    const acked = h.server.framesOf('ackR').map((a) => a.position?.seq);
    expect(acked).toEqual([1, 2]); // 1 at once, 2 at the end of the window; 4 and 5 wait behind 3
    expect(h.server.ackedBy('alice', TEAM)).toEqual({ epoch: 'e1', seq: 2 });
    h.server.current.push({ msgN: lost }); // the server re-pushes what was never acked
    await h.advance(100);
    expect(seqsOf(h, TEAM)).toEqual([1, 2, 3, 4, 5]);
    expect(h.server.ackedBy('alice', TEAM)).toEqual({ epoch: 'e1', seq: 5 });
  });

  it('acks a burst with two frames: one at once, one covering the rest at the end of the window', async () => {
    const h = harness({ groupAckIntervalMs: 100 });
    h.server.groups.set(TEAM, new Set(['alice', 'bob']));
    await connected(h);
    for (let i = 0; i < 50; i++) h.server.publish(TEAM, 'bob');
    await settle();
    expect(h.server.framesOf('ackR').map((a) => a.position?.seq)).toEqual([1]);
    await h.advance(100);
    expect(h.server.framesOf('ackR').map((a) => a.position?.seq)).toEqual([1, 50]);
    await h.advance(10_000);
    expect(h.server.framesOf('ackR')).toHaveLength(2);
    expect(h.client.stats.acksSent).toBe(2);
  });

  it('acks a group again when a copy it already has is pushed again (the server re-sends until it sees an ack)', async () => {
    const h = harness();
    h.server.groups.set(TEAM, new Set(['alice', 'bob']));
    await connected(h);
    const first = h.server.publish(TEAM, 'bob');
    await h.advance(1_000);
    h.server.current.push({ msgN: first });
    await h.advance(1_000);
    expect(h.server.framesOf('ackR').map((a) => a.position?.seq)).toEqual([1, 1]);
    expect(h.messages).toHaveLength(1);
  });

  it('sends the group acks that were due when the link dropped after the next welcome', async () => {
    const h = harness();
    h.server.groups.set(TEAM, new Set(['alice', 'bob']));
    await connected(h);
    h.server.publish(TEAM, 'bob');
    h.server.publish(TEAM, 'bob');
    await settle(); // ack 1 sent; 2 waits for the end of the window
    h.server.current.drop(1006);
    await h.advance(1_000);
    expect(h.server.connections[1]!.frames('ackR').map((a) => a.position?.seq)).toEqual([2]);
  });

  it('delivers our own message sent from another device once, and never the copies of one sent here', async () => {
    const phone = harness({ newMsgId: (() => { let n = 0; return () => `p${++n}`; })() });
    const laptop = harness({}, phone.server);
    const server = phone.server;
    server.groups.set(TEAM, new Set(['alice', 'bob']));
    await connected(phone);
    await connected(laptop);
    expect(server.connectionsOf('alice')).toHaveLength(2);

    const sent = await laptop.client.sendToConversation(TEAM, bytes('from the laptop'));
    await laptop.client.send('bob', bytes('1:1 from the laptop'));
    await settle();
    // The phone shows both, as messages of its own user; the laptop shows neither (it sent them).
    expect(phone.messages.map((m) => [m.conversation, m.fromUser, m.msgId])).toEqual([
      [TEAM, 'alice', sent.msgId],
      ['d:alice:bob', 'alice', 'm2'],
    ]);
    expect(laptop.messages).toEqual([]);
    // The phone acks them: cumulatively in the group, per message in 1:1.
    expect(server.connections[0]!.frames('ackR').map((a) => `${a.conversation}/${a.position?.seq}`)).toEqual([`${TEAM}/1`, 'd:alice:bob/1']);

    // A re-push is acked but not shown twice.
    server.connections[0]!.push({ msgN: { conversation: TEAM, position: { epoch: 'e1', seq: 1 }, msgId: sent.msgId, fromUser: 'alice', payload: bytes('x') } });
    await settle();
    expect(phone.messages).toHaveLength(2);

    // After a reconnect the laptop syncs both conversations: its own messages come back and are not shown.
    server.connections[1]!.drop(1006);
    await laptop.advance(1_000);
    expect(laptop.server.connections[2]!.frames('syncR').map((r) => r.conversation).sort()).toEqual(['d:alice:bob', TEAM]);
    expect(laptop.messages).toEqual([]);
    expect(laptop.client.deliveredPositions().sort((a, b) => a.conversation.localeCompare(b.conversation))).toEqual([
      { conversation: 'd:alice:bob', epoch: 'e1', seq: 1 },
      { conversation: TEAM, epoch: 'e1', seq: 1 },
    ]);
  });

  it('does not count a seq from another device’s ack:N as ours: its msg:N is what fills it', async () => {
    const h = harness();
    await connected(h);
    // Our user sent seq 1 from another device: this device sees the ack:N first, then the msg:N.
    h.server.current.push({ ackN: { conversation: 'd:alice:bob', position: { epoch: 'e1', seq: 1 }, msgId: 'other-1', toUser: 'bob', status: 1 } });
    h.server.current.push({ msgN: { conversation: 'd:alice:bob', position: { epoch: 'e1', seq: 1 }, msgId: 'other-1', fromUser: 'alice', payload: bytes('hi') } });
    await settle();
    expect(h.messages.map((m) => [m.fromUser, m.msgId])).toEqual([['alice', 'other-1']]);
    expect(h.acks).toEqual([expect.objectContaining({ msgId: 'other-1', status: 'DELIVERED' })]);
  });
});
