import type { parley } from '@parley/protocol';
import { settle } from '../support/fake-server';
import { connected, harness, track } from '../support/client-harness';

const CONV = 'd:alice:bob';
const notify = (seq: number, options: { epoch?: string; msgId?: string; from?: string } = {}): parley.v1.IMsgNotify => ({
  conversation: CONV,
  position: { epoch: options.epoch ?? 'e1', seq },
  msgId: options.msgId ?? `b-${options.epoch ?? 'e1'}-${seq}`,
  fromUser: options.from ?? 'bob',
  payload: new TextEncoder().encode(`from bob ${seq}`),
  serverTimeMs: 1,
  clientSeq: seq,
});
const delivered = (h: { messages: Array<{ position: { epoch: string; seq: number } }> }) => h.messages.map((m) => `${m.position.epoch}/${m.position.seq}`);

describe('ParleyClient receiving', () => {
  it('delivers a message once and acks a burst of its copies once; a copy after the interval is acked again', async () => {
    const h = harness();
    await connected(h);
    for (let i = 0; i < 3; i++) h.server.current.push({ msgN: notify(1) });
    await settle();
    expect(h.messages).toHaveLength(1);
    expect(h.messages[0]).toMatchObject({ conversation: CONV, msgId: 'b-e1-1', fromUser: 'bob', clientSeq: 1, position: { epoch: 'e1', seq: 1 } });
    expect(new TextDecoder().decode(h.messages[0]!.payload)).toBe('from bob 1');
    const acks = () => h.server.framesOf('ackR').map((a) => ({ conversation: a.conversation, epoch: a.position?.epoch, seq: Number(a.position?.seq) }));
    expect(acks()).toEqual([{ conversation: CONV, epoch: 'e1', seq: 1 }]);
    expect(h.client.stats).toMatchObject({ acksSent: 1, duplicatesDropped: 2 });
    await h.advance(5_000); // the server's re-push: our ack may have been lost, so it is acked again
    h.server.current.push({ msgN: notify(1) });
    await settle();
    expect(acks()).toHaveLength(2);
    expect(h.messages).toHaveLength(1);
  });

  it('sends one ack:R per position per second however many copies arrive (push, re-push, sync page, inbox)', async () => {
    const h = harness();
    h.server.inbox = [notify(1), notify(2)];
    await connected(h);
    // A burst: 40 copies of seqs 1..4 within 800 ms, live and by sync pages.
    for (let i = 0; i < 10; i++) {
      for (const seq of [1, 2, 3, 4]) h.server.current.push({ msgN: notify(seq) });
      await h.advance(80);
    }
    void h.client.sync(CONV);
    await h.advance(100);
    const perSeq = new Map<number, number>();
    for (const a of h.server.framesOf('ackR')) perSeq.set(Number(a.position?.seq), (perSeq.get(Number(a.position?.seq)) ?? 0) + 1);
    expect([...perSeq.entries()].sort()).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
    expect(h.messages.map((m) => m.position.seq)).toEqual([1, 2, 3, 4]);
  });

  it('buffers out-of-order seqs and delivers them in order, acking each on arrival', async () => {
    const h = harness();
    await connected(h);
    for (const seq of [1, 3, 5, 2, 4]) h.server.current.push({ msgN: notify(seq) });
    await settle();
    expect(delivered(h)).toEqual(['e1/1', 'e1/2', 'e1/3', 'e1/4', 'e1/5']);
    expect(h.server.framesOf('ackR').map((a) => a.position?.seq)).toEqual([1, 3, 5, 2, 4]);
    expect(h.client.stats.bufferedMessages).toBe(0);
  });

  it('holds a message after a gap until the server re-delivers the missing one', async () => {
    const h = harness();
    await connected(h);
    h.server.current.push({ msgN: notify(1) });
    h.server.current.push({ msgN: notify(3) });
    await settle();
    expect(delivered(h)).toEqual(['e1/1']);
    expect(h.client.stats.bufferedMessages).toBe(1);
    h.server.current.push({ msgN: notify(2) });
    await settle();
    expect(delivered(h)).toEqual(['e1/1', 'e1/2', 'e1/3']);
  });

  it('takes a new epoch as a fresh sequence, entered through the sync it starts at once', async () => {
    const h = harness();
    await connected(h);
    h.server.current.push({ msgN: notify(1) });
    h.server.current.push({ msgN: notify(2) });
    h.server.restartEpoch(CONV, 'e2');
    h.server.publish(CONV, 'bob', { push: false });
    h.server.publish(CONV, 'bob', { push: false });
    h.server.publish(CONV, 'bob', { push: false });
    h.server.current.push({ msgN: notify(1, { epoch: 'e2' }) });
    h.server.current.push({ msgN: notify(3, { epoch: 'e2' }) });
    h.server.current.push({ msgN: notify(2, { epoch: 'e2' }) });
    await settle();
    expect(h.server.framesOf('syncR').map((f) => `${f.after?.epoch}/${f.after?.seq}`)).toEqual(['e1/2']);
    expect(delivered(h)).toEqual(['e1/1', 'e1/2', 'e2/1', 'e2/2', 'e2/3']);
    expect(h.client.deliveredPositions()).toEqual([{ conversation: CONV, epoch: 'e2', seq: 3 }]);
  });

  it('does not wait for seqs taken by its own sends (the conversation’s counter is shared)', async () => {
    const h = harness();
    await connected(h);
    h.server.current.push({ msgN: notify(h.server.takeSeq(CONV)) }); // bob: seq 1
    await settle();
    const sent = track(h.client.send('bob', new Uint8Array([1]))); // alice: seq 2
    await settle();
    expect(sent.value?.seq).toBe(2);
    h.server.current.push({ msgN: notify(h.server.takeSeq(CONV)) }); // bob: seq 3
    await settle();
    expect(delivered(h)).toEqual(['e1/1', 'e1/3']);
  });

  it('pulls the offline inbox page by page after the welcome, acking each page before asking for the next', async () => {
    const h = harness({ offlinePageSize: 50 });
    h.server.welcome = { ...h.server.welcome, maxOfflinePage: 2 };
    h.server.inbox = [1, 2, 3, 4, 5].map((seq) => notify(seq));
    await connected(h);
    const connection = h.server.current;
    const order = connection.received.map((f) => f.packet).filter((p) => p === 'offlineR' || p === 'offlineackR');
    expect(order).toEqual(['offlineR', 'offlineackR', 'offlineR', 'offlineackR', 'offlineR', 'offlineackR']);
    expect(connection.frames('offlineR').map((r) => [r.limit, r.cursor])).toEqual([
      [2, ''],
      [2, '2'],
      [2, '4'],
    ]);
    expect(connection.frames('offlineackR').map((a) => a.refs?.map((r) => r.position?.seq))).toEqual([[1, 2], [3, 4], [5]]);
    expect(delivered(h)).toEqual(['e1/1', 'e1/2', 'e1/3', 'e1/4', 'e1/5']);
    expect(connection.frames('ackR')).toHaveLength(0); // offline entries are trimmed by offlineack:R
  });

  it('orders live pushes that overtake the offline pull after the inbox', async () => {
    const h = harness();
    h.server.welcome = { ...h.server.welcome, maxOfflinePage: 2 };
    h.server.inbox = [1, 2, 3].map((seq) => notify(seq));
    h.server.onFrame = (connection, frame) => {
      // Newer messages are pushed live while the first page is on its way.
      if (frame.packet === 'offlineR' && frame.offlineR!.cursor === '') {
        connection.push({ msgN: notify(5) });
        connection.push({ msgN: notify(4) });
      }
    };
    await connected(h);
    expect(delivered(h)).toEqual(['e1/1', 'e1/2', 'e1/3', 'e1/4', 'e1/5']);
    expect(h.server.framesOf('ackR').map((a) => a.position?.seq)).toEqual([5, 4]);
    expect(h.client.stats.parkedMessages).toBe(0);
  });

  it('asks for an offline page again when its answer is lost', async () => {
    let lost = false;
    const h = harness({
      filter: {
        incoming: (frame) => {
          if (frame.packet !== 'offlineA' || lost) return true;
          lost = true;
          return false;
        },
      },
    });
    h.server.inbox = [notify(1)];
    await connected(h);
    expect(h.messages).toHaveLength(0);
    await h.advance(3_000);
    expect(h.server.framesOf('offlineR').map((r) => r.cursor)).toEqual(['', '']);
    expect(delivered(h)).toEqual(['e1/1']);
  });

  it('pulls the inbox again after every reconnect and delivers nothing twice', async () => {
    const h = harness();
    h.server.inbox = [notify(1), notify(2)];
    await connected(h);
    h.server.current.drop(1006);
    await h.advance(1_000);
    expect(h.server.connections).toHaveLength(2);
    expect(h.server.connections[1]!.frames('offlineR')).toHaveLength(1);
    expect(delivered(h)).toEqual(['e1/1', 'e1/2']);
    expect(h.client.stats.duplicatesDropped).toBe(2);
  });
});
