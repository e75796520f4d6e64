// Delivery ticks, read receipts and typing on the real Kafka broker and Redis server, by
// hand-driven protocol connections: a message stored for an offline receiver becomes
// DELIVERED when the receiver pulls it (told at once to an online sender, and in
// conversations:A to one that was away); read:R reaches the sender and the reader's other
// device and survives in conversations:A; typing:N reaches the other member only.
import { parley } from '@parley/protocol';
import { RawConnection, useServer, wsUrl } from './harness';

const { ACK_STATUS_DELIVERED: DELIVERED, ACK_STATUS_STORED_OFFLINE: STORED_OFFLINE } = parley.v1.AckStatus;

describe('ticks, read receipts and typing on real Kafka and Redis', () => {
  const env = useServer('ticks');
  const open = (user: string) => RawConnection.open(wsUrl(env.server.port, user));
  const opened: RawConnection[] = [];
  const connect = async (user: string) => {
    const c = await open(user);
    opened.push(c);
    return c;
  };
  afterEach(() => {
    for (const c of opened.splice(0)) c.close();
  });

  /** Pulls the inbox page by page and takes every entry (offline:R, offlineack:R); returns the msg ids. */
  const pullAll = async (c: RawConnection) => {
    const taken: string[] = [];
    let cursor = '';
    for (let page = 0; ; page += 1) {
      const before = c.frames.filter((f) => f.offlineA).length;
      c.send({ offlineR: { limit: 0, cursor } });
      await c.next('offlineA', (f) => c.frames.filter((g) => g.offlineA).indexOf(f) === before);
      const answer = c.frames.filter((f) => f.offlineA)[before]!.offlineA!;
      const messages = answer.messages ?? [];
      taken.push(...messages.map((m) => m.msgId ?? ''));
      if (messages.length > 0) c.send({ offlineackR: { refs: messages.map((m) => ({ conversation: m.conversation, position: m.position })) } });
      if (!answer.hasMore) return taken;
      cursor = answer.nextCursor ?? '';
    }
  };
  const conversation = async (c: RawConnection, id: string, requestId: string) => {
    c.send({ conversationsR: { requestId } });
    const answer = await c.next('conversationsA', (f) => f.conversationsA!.requestId === requestId);
    return (answer.conversationsA!.conversations ?? []).find((s) => s.conversation === id)!;
  };

  it('turns a stored message DELIVERED when the receiver pulls it, at once for an online sender, once per message', async () => {
    const alice = await connect('tk-alice1');
    alice.send({ msgR: { msgId: 'm1', toUser: 'tk-bob1', payload: Buffer.from('hi'), clientSeq: 1 } });
    await alice.next('ackN', (f) => f.ackN!.msgId === 'm1');
    alice.send({ msgR: { msgId: 'm2', toUser: 'tk-bob1', payload: Buffer.from('there'), clientSeq: 2 } });
    await alice.next('ackN', (f) => f.ackN!.msgId === 'm2');
    expect(alice.frames.filter((f) => f.ackN).map((f) => [f.ackN!.msgId, f.ackN!.status])).toEqual([['m1', STORED_OFFLINE], ['m2', STORED_OFFLINE]]);

    const bob = await connect('tk-bob1');
    expect(await pullAll(bob)).toEqual(['m1', 'm2']);
    await alice.next('ackN', (f) => f.ackN!.msgId === 'm2' && f.ackN!.status === DELIVERED, 30_000);
    await alice.next('ackN', (f) => f.ackN!.msgId === 'm1' && f.ackN!.status === DELIVERED);
    // A second pull finds nothing, and a repeated offlineack:R changes nothing: no second DELIVERED.
    expect(await pullAll(bob)).toEqual([]);
    const summary = await conversation(alice, 'd:tk-alice1:tk-bob1', 'c1');
    expect(Number(summary.delivered!.seq)).toBe(2);
    expect(alice.frames.filter((f) => f.ackN && f.ackN.status === DELIVERED)).toHaveLength(2);
  });

  it('tells a sender that was away how far its messages were delivered and read, in conversations:A', async () => {
    const id = 'd:tk-alice2:tk-bob2';
    const alice = await connect('tk-alice2');
    for (const [n, text] of ['one', 'two', 'three'].entries()) {
      alice.send({ msgR: { msgId: `a${n}`, toUser: 'tk-bob2', payload: Buffer.from(text), clientSeq: n + 1 } });
      await alice.next('msgA', (f) => f.msgA!.msgId === `a${n}`);
    }
    await alice.next('ackN', (f) => f.ackN!.msgId === 'a2');
    alice.close();

    const bob = await connect('tk-bob2');
    const bobPhone = await connect('tk-bob2');
    expect(await pullAll(bob)).toEqual(['a0', 'a1', 'a2']);
    const epoch = (await conversation(bob, id, 'b1')).latest!.epoch;
    bob.send({ readR: { conversation: id, position: { epoch, seq: 2 } } });
    const toPhone = await bobPhone.next('readN', undefined, 30_000);
    expect(toPhone.readN).toMatchObject({ conversation: id, user: 'tk-bob2', position: { epoch } });
    expect(Number(toPhone.readN!.position!.seq)).toBe(2);
    expect(bob.frames.some((f) => f.readN)).toBe(false); // not echoed to the device that read

    const back = await connect('tk-alice2');
    const summary = await conversation(back, id, 'a1');
    expect(summary.latest!.epoch).toBe(epoch);
    expect([Number(summary.latest!.seq), Number(summary.delivered!.seq), Number(summary.peerRead!.seq), Number(summary.read!.seq)]).toEqual([3, 3, 2, 0]);
    const bobs = await conversation(bobPhone, id, 'b2');
    expect(Number(bobs.read!.seq)).toBe(2); // the reader's own position: its other devices' unread count

    // A lower read position never moves it back; alice, online now, hears the recorded one.
    bobPhone.send({ readR: { conversation: id, position: { epoch, seq: 1 } } });
    const told = await back.next('readN', undefined, 30_000);
    expect(Number(told.readN!.position!.seq)).toBe(2);
    bob.send({ readR: { conversation: id, position: { epoch, seq: 3 } } });
    await back.next('readN', (f) => Number(f.readN!.position!.seq) === 3, 30_000);
    expect(Number((await conversation(back, id, 'a2')).peerRead!.seq)).toBe(3);
  });

  it('relays typing:N to the other member only, never stored', async () => {
    const alice = await connect('tk-alice3');
    const bob = await connect('tk-bob3');
    const carol = await connect('tk-carol3');
    alice.send({ typingR: { conversation: 'd:tk-alice3:tk-bob3' } });
    const typing = await bob.next('typingN');
    expect(typing.typingN).toMatchObject({ conversation: 'd:tk-alice3:tk-bob3', user: 'tk-alice3' });
    alice.send({ typingR: { conversation: 'd:tk-bob3:tk-carol3' } });
    const refused = await alice.next('error');
    expect(refused.error!.code).toBe(3002);
    expect(carol.frames.some((f) => f.typingN)).toBe(false);
    expect(alice.frames.some((f) => f.typingN)).toBe(false);
    // Nothing of it is in bob's inbox for a later device.
    const later = await connect('tk-bob3');
    expect(await pullAll(later)).toEqual([]);
  });
});
