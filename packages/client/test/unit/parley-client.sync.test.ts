import { ErrorCode } from '@parley/protocol';
import { RequestRefusedError } from '../../src/errors';
import { settle } from '../support/fake-server';
import { connected, harness, track, type Harness } from '../support/client-harness';

const TEAM = 'g:team';
const DIRECT = 'd:alice:bob';
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seqsOf = (h: Harness, conversation: string) => h.messages.filter((m) => m.conversation === conversation).map((m) => m.position.seq);
const afterOf = (h: Harness, conversation: string) =>
  h.server.framesOf('syncR').filter((r) => r.conversation === conversation).map((r) => `${r.after?.epoch}/${String(r.after?.seq)}`);

/** A client following TEAM (with bob) and DIRECT, both delivered up to `upTo` messages. */
async function following(upTo = 3, options: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  const h = harness(options);
  h.server.groups.set(TEAM, new Set(['alice', 'bob']));
  await connected(h);
  for (let i = 0; i < upTo; i++) {
    h.server.publish(TEAM, 'bob');
    h.server.publish(DIRECT, 'bob');
  }
  await settle();
  return h;
}

describe('ParleyClient sync by seq', () => {
  it('after a reconnect syncs every conversation it follows and fills a gap of 200 messages in order', async () => {
    const h = await following(5);
    h.server.current.drop(1006);
    await settle();
    // While away: 200 group messages that no inbox holds (a large group is pull-only), two 1:1 ones.
    for (let i = 0; i < 200; i++) h.server.publish(TEAM, 'bob');
    h.server.publish(DIRECT, 'bob');
    h.server.publish(DIRECT, 'bob');
    await h.advance(1_000);
    expect(h.client.state).toBe('connected');
    expect(seqsOf(h, TEAM)).toEqual(range(1, 205));
    expect(seqsOf(h, DIRECT)).toEqual(range(1, 7));
    expect(afterOf(h, TEAM)).toEqual(['e1/5', 'e1/105']); // page by page (max_offline_page 100)
    expect(afterOf(h, DIRECT)).toEqual(['e1/5']);
    expect(h.resets).toEqual([]);
    expect(h.server.ackedBy('alice', TEAM)).toEqual({ epoch: 'e1', seq: 205 });
    expect(h.server.ackedBy('alice', DIRECT)).toEqual({ epoch: 'e1', seq: 7 }); // 1:1 synced messages are acked one by one
    expect(h.client.stats).toMatchObject({ activeSyncs: 0, pendingRequests: 0, bufferedMessages: 0 });
  });

  it('syncs at most maxConcurrentSyncs conversations at once and the rest in turn', async () => {
    const h = harness({ maxConcurrentSyncs: 2 });
    const groups = ['g:a', 'g:b', 'g:c', 'g:d', 'g:e'];
    for (const g of groups) h.server.groups.set(g, new Set(['alice', 'bob']));
    const held: Array<() => void> = [];
    await connected(h);
    for (const g of groups) h.server.publish(g, 'bob');
    await settle();
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'syncR') return false;
      held.push(() => h.server.handle(connection, frame));
      return true;
    };
    h.server.current.drop(1006);
    await h.advance(1_000);
    expect(h.server.current.frames('syncR')).toHaveLength(2);
    expect(h.client.stats.activeSyncs).toBe(5);
    h.server.onFrame = undefined;
    for (const answer of held.splice(0)) answer();
    await settle();
    expect(h.server.current.frames('syncR').map((r) => r.conversation)).toEqual(groups);
    expect(h.client.stats.activeSyncs).toBe(0);
  });

  it('fetches a dropped msg:N with a gap sync after the grace, then delivers in order', async () => {
    let dropped = false;
    const h = await following(1, {
      gapGraceMs: 1_000,
      filter: {
        incoming: (frame) => {
          if (frame.packet !== 'msgN' || frame.msgN!.conversation !== TEAM || Number(frame.msgN!.position?.seq) !== 2 || dropped) return true;
          dropped = true;
          return false;
        },
      },
    });
    for (let i = 0; i < 3; i++) h.server.publish(TEAM, 'bob'); // 2 (lost), 3, 4
    await settle();
    expect(seqsOf(h, TEAM)).toEqual([1]);
    expect(h.client.stats.bufferedMessages).toBe(2);
    await h.advance(999);
    expect(afterOf(h, TEAM)).toEqual([]);
    await h.advance(1);
    expect(afterOf(h, TEAM)).toEqual(['e1/1']);
    expect(seqsOf(h, TEAM)).toEqual([1, 2, 3, 4]);
    expect(h.resets).toEqual([]);
    await h.advance(100);
    expect(h.server.ackedBy('alice', TEAM)).toEqual({ epoch: 'e1', seq: 4 });
  });

  it('syncs at once when gapSyncThreshold messages wait behind a gap', async () => {
    const h = await following(1, { gapSyncThreshold: 3 });
    h.server.publish(TEAM, 'bob', { push: false }); // 2, missed
    h.server.publish(TEAM, 'bob');
    h.server.publish(TEAM, 'bob');
    await settle();
    expect(afterOf(h, TEAM)).toEqual([]);
    h.server.publish(TEAM, 'bob'); // the third one held
    await settle();
    expect(afterOf(h, TEAM)).toEqual(['e1/1']);
    expect(seqsOf(h, TEAM)).toEqual([1, 2, 3, 4, 5]);
  });

  it('shows a reset when the history after its position is past the retention, and continues from the oldest kept message', async () => {
    const h = await following(10);
    h.server.current.drop(1006);
    await settle();
    for (let i = 0; i < 50; i++) h.server.publish(TEAM, 'bob'); // 11..60
    h.server.forgetBefore(TEAM, 50);
    await h.advance(1_000);
    expect(h.resets).toEqual([{ conversation: TEAM, from: { epoch: 'e1', seq: 10 }, to: { epoch: 'e1', seq: 49 }, reason: 'retention' }]);
    const team = h.timeline.filter((line) => line.startsWith(TEAM));
    expect(team.slice(9, 12)).toEqual([`${TEAM} e1/10`, `${TEAM} reset e1/10>e1/49 retention`, `${TEAM} e1/50`]);
    expect(seqsOf(h, TEAM)).toEqual([...range(1, 10), ...range(50, 60)]);
    await h.advance(100);
    expect(h.server.ackedBy('alice', TEAM)).toEqual({ epoch: 'e1', seq: 60 });
  });

  it('shows a new epoch found by the reconnect sync as a reset', async () => {
    const h = await following(3);
    h.server.current.drop(1006);
    await settle();
    h.server.restartEpoch(TEAM, 'e2');
    h.server.publish(TEAM, 'bob');
    h.server.publish(TEAM, 'bob');
    await h.advance(1_000);
    expect(h.timeline.filter((line) => line.startsWith(TEAM)).slice(3)).toEqual([
      `${TEAM} reset e1/3>e2/0 epoch`,
      `${TEAM} e2/1`,
      `${TEAM} e2/2`,
    ]);
    expect(h.client.deliveredPositions()).toContainEqual({ conversation: TEAM, epoch: 'e2', seq: 2 });
  });

  it('enters a live epoch change through a sync from the old position, started at once: the break, then the new epoch from its start', async () => {
    const h = await following(3);
    h.server.restartEpoch(TEAM, 'e2');
    h.server.publish(TEAM, 'bob', { push: false }); // e2/1, missed
    h.server.publish(TEAM, 'bob'); // e2/2: waits for the sync
    await settle();
    expect(afterOf(h, TEAM)).toEqual(['e1/3']);
    expect(h.resets).toEqual([{ conversation: TEAM, from: { epoch: 'e1', seq: 3 }, to: { epoch: 'e2', seq: 0 }, reason: 'epoch' }]);
    expect(h.timeline.filter((line) => line.startsWith(TEAM)).slice(3)).toEqual([`${TEAM} reset e1/3>e2/0 epoch`, `${TEAM} e2/1`, `${TEAM} e2/2`]);
  });

  it('stays in its epoch when a sync finds no message of the conversation at all (store lost, nothing new yet), then enters the next one through a sync', async () => {
    const h = await following(3);
    let empty = true;
    const answer = h.server.onFrame;
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'syncR' || !empty) return answer?.(connection, frame) === true;
      connection.push({ syncA: { requestId: frame.syncR!.requestId, conversation: TEAM, messages: [], hasMore: false, latest: { epoch: '', seq: 0 }, reset: true } });
      return true;
    };
    await h.client.sync(TEAM);
    expect(afterOf(h, TEAM)).toEqual(['e1/3']);
    expect(h.resets).toEqual([]);
    empty = false;
    h.server.restartEpoch(TEAM, 'e2');
    h.server.publish(TEAM, 'bob');
    await settle();
    expect(h.timeline.filter((line) => line.startsWith(TEAM)).slice(3)).toEqual([`${TEAM} reset e1/3>e2/0 epoch`, `${TEAM} e2/1`]);
  });

  it('delivers the old epoch\'s messages a sync still hands over before the new epoch (delivery far behind at a store loss)', async () => {
    const h = await following(3);
    // The server's answer to a sync from e1/3: first what is left of e1 (has_more), then the reset page.
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'syncR') return false;
      const after = frame.syncR!.after!;
      const requestId = frame.syncR!.requestId;
      const e1 = (seq: number) => ({ conversation: TEAM, position: { epoch: 'e1', seq }, msgId: `bob-late-${seq}`, fromUser: 'bob', payload: new Uint8Array(0) });
      const e2 = { conversation: TEAM, position: { epoch: 'e2', seq: 1 }, msgId: 'bob-new-1', fromUser: 'bob', payload: new Uint8Array(0) };
      if (after.epoch === 'e1' && Number(after.seq) < 5) {
        connection.push({ syncA: { requestId, conversation: TEAM, messages: [e1(4), e1(5)], hasMore: true, latest: { epoch: 'e2', seq: 1 }, reset: false } });
      } else {
        connection.push({ syncA: { requestId, conversation: TEAM, messages: [e2], hasMore: false, latest: { epoch: 'e2', seq: 1 }, reset: true } });
      }
      return true;
    };
    h.server.current.push({ msgN: { conversation: TEAM, position: { epoch: 'e2', seq: 1 }, msgId: 'bob-new-1', fromUser: 'bob', payload: new Uint8Array(0) } });
    await settle();
    await settle();
    expect(afterOf(h, TEAM)).toEqual(['e1/3', 'e1/5']);
    expect(h.timeline.filter((line) => line.startsWith(TEAM)).slice(3)).toEqual([`${TEAM} e1/4`, `${TEAM} e1/5`, `${TEAM} reset e1/5>e2/0 epoch`, `${TEAM} e2/1`]);
  });

  it('never skips a seq the server no longer has silently: a reset names it', async () => {
    const h = await following(3);
    h.server.takeSeq(TEAM); // seq 4 was taken, but the server lost the message
    h.server.publish(TEAM, 'bob'); // 5
    await settle();
    expect(seqsOf(h, TEAM)).toEqual([1, 2, 3]);
    await h.advance(1_000);
    expect(h.timeline.filter((line) => line.startsWith(TEAM)).slice(3)).toEqual([`${TEAM} reset e1/3>e1/4 missing`, `${TEAM} e1/5`]);
  });

  it('re-syncs a gap that stays open with a growing, bounded wait: a dozen sync:R in ten minutes, not six hundred', async () => {
    const h = await following(1);
    // The server's store lags behind its live pushes: every sync answers "nothing after 1".
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'syncR') return false;
      connection.push({ syncA: { requestId: frame.syncR!.requestId, conversation: TEAM, messages: [], hasMore: false, latest: { epoch: 'e1', seq: 1 } } });
      return true;
    };
    h.server.publish(TEAM, 'bob', { push: false }); // 2: missing
    h.server.publish(TEAM, 'bob'); // 3: held behind the gap
    const before = h.server.framesOf('syncR').length;
    for (let t = 0; t < 600_000; t += 5_000) {
      h.server.current.push({ msgN: { conversation: TEAM, position: { epoch: 'e1', seq: 3 }, msgId: 'bob-g-team-e1-3', fromUser: 'bob', payload: new Uint8Array(0) } }); // re-pushed copies
      await h.advance(5_000);
    }
    const syncs = h.server.framesOf('syncR').length - before;
    expect(syncs).toBeGreaterThanOrEqual(5);
    expect(syncs).toBeLessThanOrEqual(16); // 1 s, 2, 4, 8, 16, 32, then one a minute at most
    expect(seqsOf(h, TEAM)).toEqual([1]);
  });

  it('keeps waiting for a seq newer than what the sync saw (it may still be on its way)', async () => {
    const h = await following(1);
    // The sync is answered with the state before seq 2 and 3 were stored.
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'syncR') return false;
      connection.push({ syncA: { requestId: frame.syncR!.requestId, conversation: TEAM, messages: [], hasMore: false, latest: { epoch: 'e1', seq: 1 } } });
      return true;
    };
    h.server.publish(TEAM, 'bob', { push: false }); // 2
    h.server.publish(TEAM, 'bob'); // 3
    await h.advance(1_000);
    expect(afterOf(h, TEAM)).toEqual(['e1/1']);
    expect(h.resets).toEqual([]);
    h.server.onFrame = undefined;
    await h.advance(2_000); // the gap is still open: synced again after the backoff (ceiling 2 graces, random ≈ 1)
    expect(afterOf(h, TEAM)).toEqual(['e1/1', 'e1/1']);
    expect(seqsOf(h, TEAM)).toEqual([1, 2, 3]);
  });

  it('sync() syncs a conversation on demand, from the oldest kept message when it has no position', async () => {
    const h = harness();
    h.server.groups.set(TEAM, new Set(['alice', 'bob']));
    h.server.groups.set('g:closed', new Set(['bob']));
    await connected(h);
    for (let i = 0; i < 3; i++) h.server.publish(TEAM, 'bob', { push: false });
    await h.client.sync(TEAM);
    expect(afterOf(h, TEAM)).toEqual(['/0']);
    expect(seqsOf(h, TEAM)).toEqual([1, 2, 3]);
    const refused = track(h.client.sync('g:closed'));
    await settle();
    expect(refused.error).toBeInstanceOf(RequestRefusedError);
    expect(refused.error).toMatchObject({ serverCode: ErrorCode.NOT_A_MEMBER });
  });

  it('a sync survives a reconnect: the page asked on the lost link is asked again', async () => {
    const h = await following(2);
    let cut = false;
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'syncR' || cut) return false;
      cut = true;
      connection.drop(1006);
      return true;
    };
    h.server.publish(TEAM, 'bob', { push: false });
    const synced = track(h.client.sync(TEAM));
    await h.advance(1_000);
    expect(synced.settled).toBe(true);
    expect(synced.error).toBeUndefined();
    expect(seqsOf(h, TEAM)).toEqual([1, 2, 3]);
  });
});
