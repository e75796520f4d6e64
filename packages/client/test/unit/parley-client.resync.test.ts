import type { parley } from '@parley/protocol';
import { settle } from '../support/fake-server';
import { connected, harness, type Harness } from '../support/client-harness';

const TEAM = 'g:team';
const DIRECT = 'd:alice:bob';
const seqsOf = (h: Harness, conversation: string) => h.messages.filter((m) => m.conversation === conversation).map((m) => `${m.position.epoch}/${m.position.seq}`);

/** A client following TEAM (with bob) and DIRECT, both delivered up to 3. */
async function following(): Promise<Harness> {
  const h = harness();
  h.server.groups.set(TEAM, new Set(['alice', 'bob']));
  await connected(h);
  for (let i = 0; i < 3; i++) {
    h.server.publish(TEAM, 'bob');
    h.server.publish(DIRECT, 'bob');
  }
  await h.advance(1_000);
  return h;
}

describe('ParleyClient resync:N', () => {
  it('pulls the inbox and syncs every conversation it follows, on the same link, delivers nothing twice and acks again', async () => {
    const h = await following();
    const link = h.server.current;
    const before = { offline: link.frames('offlineR').length, sync: link.frames('syncR').length, acks: link.frames('ackR').length };
    // Meanwhile the server lost its Redis: messages it stored but never pushed, an inbox
    // that still lists some already delivered ones.
    const missed = [h.server.publish(TEAM, 'bob', { push: false }), h.server.publish(DIRECT, 'bob', { push: false })];
    h.server.inbox = [...h.server.inbox, ...seqsOf(h, DIRECT).map((_, i) => ({ ...notifyAt(h, DIRECT, i + 1) })), missed[1]!];
    link.push({ resyncN: { reason: 'store restarted' } });
    await h.advance(1_000);
    expect(h.server.connections).toHaveLength(1); // no reconnect
    expect(link.frames('offlineR').length - before.offline).toBe(1);
    // The syncs follow the pull (which brought DIRECT's seq 4).
    expect(link.frames('syncR').slice(before.sync).map((r) => `${r.conversation} ${r.after?.epoch}/${String(r.after?.seq)}`).sort()).toEqual([
      `${DIRECT} e1/4`,
      `${TEAM} e1/3`,
    ]);
    expect(seqsOf(h, TEAM)).toEqual(['e1/1', 'e1/2', 'e1/3', 'e1/4']);
    expect(seqsOf(h, DIRECT)).toEqual(['e1/1', 'e1/2', 'e1/3', 'e1/4']);
    // The group position is acked again (the server may have lost the earlier ack), once.
    const teamAcks = link.frames('ackR').slice(before.acks).filter((a) => a.conversation === TEAM);
    expect(teamAcks.map((a) => Number(a.position?.seq))).toEqual([4]);
    expect(h.server.ackedBy('alice', TEAM)).toEqual({ epoch: 'e1', seq: 4 });
    expect(link.frames('offlineackR').flatMap((a) => a.refs ?? []).map((r) => Number(r.position?.seq))).toEqual([1, 2, 3, 4]);
    expect(h.resets).toEqual([]);
  });

  it('repeated resync:N frames cost one pull and one sync per conversation at a time', async () => {
    const h = await following();
    const link = h.server.current;
    const syncsBefore = link.frames('syncR').length;
    h.server.onFrame = (_connection, frame) => frame.packet === 'syncR'; // held: the syncs stay open
    link.push({ resyncN: { reason: 'a' } });
    link.push({ resyncN: { reason: 'b' } });
    await settle();
    expect(link.frames('syncR').length - syncsBefore).toBe(2); // one per conversation: the second resync joined them
  });

  it('holds pushes of a new epoch until the pull is done: the old epoch\'s messages come first, then the break', async () => {
    const h = await following();
    const link = h.server.current;
    // Before the loss: seq 4 was pushed but the push was lost; it is back in the inbox.
    const pending = h.server.publish(DIRECT, 'bob', { push: false }); // e1/4
    h.server.inbox = [pending];
    h.server.restartEpoch(DIRECT, 'e2');
    let pulls = 0;
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'offlineR' || pulls++ > 0) return false;
      // The new epoch's first message is pushed while the pull is on its way.
      h.server.publish(DIRECT, 'bob'); // e2/1, pushed
      return false;
    };
    link.push({ resyncN: { reason: 'store lost' } });
    await h.advance(1_000);
    expect(h.timeline.filter((line) => line.startsWith(DIRECT)).slice(3)).toEqual([`${DIRECT} e1/4`, `${DIRECT} reset e1/4>e2/0 epoch`, `${DIRECT} e2/1`]);
  });

  it('resends what waits for msg:A, in client_seq order, on the same link', async () => {
    const h = await following();
    h.server.answerMsgRFromCopy = 2; // the first copies are lost with the store
    const sent = [h.client.send('bob', new Uint8Array([1])), h.client.send('bob', new Uint8Array([2]))];
    await settle();
    expect(h.server.current.frames('msgR').map((r) => Number(r.clientSeq))).toEqual([1]); // 2 waits: 1 goes alone
    h.server.current.push({ resyncN: { reason: 'store lost' } });
    await settle();
    await settle();
    expect(h.server.current.frames('msgR').map((r) => Number(r.clientSeq))).toEqual([1, 1, 2]); // at once, not after the 3 s timeout
    await h.advance(3_000); // 2's first copy was lost too: the head's timeout
    await expect(Promise.all(sent)).resolves.toHaveLength(2);
  });

  it('shows once a message the server sequenced twice after its store lost its dedupe data (a new epoch)', async () => {
    const h = await following();
    const original = h.server.publish(DIRECT, 'bob', { msgId: 'bob-hello' }); // e1/4
    await settle();
    // The store lost everything: a new epoch, and bob's retransmit of the same msgId is sequenced again.
    h.server.restartEpoch(DIRECT, 'e2');
    h.server.publish(DIRECT, 'bob', { msgId: 'bob-hello' }); // e2/1
    h.server.publish(DIRECT, 'bob'); // e2/2
    h.server.current.push({ resyncN: { reason: 'store lost' } });
    await h.advance(1_000);
    const hellos = h.messages.filter((m) => m.msgId === original.msgId);
    expect(hellos.map((m) => `${m.position.epoch}/${m.position.seq}`)).toEqual(['e1/4']);
    expect(h.timeline.filter((line) => line.startsWith(DIRECT)).slice(4)).toEqual([`${DIRECT} reset e1/4>e2/0 epoch`, `${DIRECT} e2/2`]);
    expect(h.client.stats.duplicatesDropped).toBeGreaterThanOrEqual(1);
  });
});

/** The IMsgNotify the server kept at seq `seq` of the conversation (what a stale inbox entry holds). */
function notifyAt(h: Harness, conversation: string, seq: number): parley.v1.IMsgNotify {
  const message = h.messages.find((m) => m.conversation === conversation && m.position.seq === seq)!;
  return {
    conversation,
    position: { epoch: message.position.epoch, seq },
    msgId: message.msgId,
    fromUser: message.fromUser,
    payload: message.payload,
    serverTimeMs: 1,
    clientSeq: message.clientSeq,
  };
}
