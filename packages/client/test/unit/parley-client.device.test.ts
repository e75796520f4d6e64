import { ErrorCode } from '@parley/protocol';
import { MemoryClientStore } from '../../src/client-store.memory';
import { TabLeasedStore } from '../../src/client-store.tab-lease';
import { FakeServer, settle } from '../support/fake-server';
import { connected, harness, track } from '../support/client-harness';

const TEAM = 'g:team';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('ParleyClient device and client_seq', () => {
  it('connects as its device and numbers each conversation 1, 2, 3, ... with no gaps', async () => {
    const h = harness({ deviceId: 'laptop-1' });
    h.server.groups.set(TEAM, new Set(['alice', 'bob']));
    await connected(h);
    expect(new URL(h.server.current.url).searchParams.get('device')).toBe('laptop-1');
    expect(h.client.welcome?.deviceId).toBe('laptop-1');
    for (const text of ['a', 'b', 'c']) void h.client.send('bob', bytes(text));
    for (const text of ['x', 'y']) void h.client.sendToConversation(TEAM, bytes(text));
    await settle();
    await settle();
    const numbered = h.server.framesOf('msgR').map((r) => `${r.toUser || r.conversation}:${String(r.clientSeq)}`);
    expect(numbered.filter((n) => n.startsWith('bob')).sort()).toEqual(['bob:1', 'bob:2', 'bob:3']);
    expect(numbered.filter((n) => n.startsWith(TEAM)).sort()).toEqual([`${TEAM}:1`, `${TEAM}:2`]);
    expect(h.server.sequencer.log.map((e) => `${e.conversation} ${e.device} ${e.clientSeq}`)).toEqual(
      expect.arrayContaining(['d:alice:bob laptop-1 3', `${TEAM} laptop-1 2`]),
    );
  });

  it('numbers sends made before the first welcome once it came, in send() order', async () => {
    const h = harness();
    const first = track(h.client.send('bob', bytes('early 1')));
    const second = track(h.client.send('bob', bytes('early 2')));
    await connected(h);
    await settle();
    expect(h.server.framesOf('msgR').map((r) => [r.msgId, Number(r.clientSeq)])).toEqual([
      ['m1', 1],
      ['m2', 2],
    ]);
    expect([first.value?.seq, second.value?.seq]).toEqual([1, 2]);
  });

  it('keeps its device and counters in the store: a client made again continues where the last one stopped', async () => {
    const store = new MemoryClientStore();
    const server = new FakeServer();
    const before = harness({ store }, server);
    await connected(before);
    await before.client.send('bob', bytes('one'));
    await before.client.send('bob', bytes('two'));
    const device = before.client.deviceId;
    await before.client.close();
    const after = harness({ store, newMsgId: () => 'after-1' }, server);
    await connected(after);
    expect(after.client.deviceId).toBe(device);
    const sent = await after.client.send('bob', bytes('three'));
    expect(sent.seq).toBe(3);
    expect(server.sequencer.log.map((e) => [e.device, e.clientSeq])).toEqual([
      [device, 1],
      [device, 2],
      [device, 3],
    ]);
  });

  it('gives a tab\'s leased device record back on close(), so the next client of the page takes it', async () => {
    const items = new Map<string, string>();
    const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
    const leased = (holder: string) => new TabLeasedStore(storage, { now: () => 1_000, holder, every: () => () => undefined, onLeave: () => undefined });
    const server = new FakeServer();
    const first = harness({ store: leased('one') }, server);
    await connected(first);
    const other = harness({ store: leased('two') }, server); // open at the same time: another record
    expect(other.client.deviceId).not.toBe(first.client.deviceId);
    await first.client.close();
    const next = harness({ store: leased('three') }, server);
    expect(next.client.deviceId).toBe(first.client.deviceId);
  });

  it('a client without stored counters is a new device, which the server numbers from 1', async () => {
    const server = new FakeServer();
    const one = harness({}, server);
    await connected(one);
    await one.client.send('bob', bytes('one'));
    const two = harness({ newMsgId: () => 'other-1' }, server); // its own (empty) memory store
    await connected(two);
    expect(two.client.deviceId).not.toBe(one.client.deviceId);
    await expect(two.client.send('bob', bytes('two'))).resolves.toMatchObject({ seq: 2 });
    expect(server.sequencer.log.map((e) => e.clientSeq)).toEqual([1, 1]);
  });

  it('CLIENT_SEQ_REUSED: the client goes on as a new device and sends the refused message from it, in order', async () => {
    const server = new FakeServer();
    const original = harness({ deviceId: 'tablet' }, server);
    await connected(original);
    await original.client.send('bob', bytes('one'));
    await original.client.send('bob', bytes('two'));
    // The same device id without its counters (restored from an old backup, say).
    const restored = harness({ deviceId: 'tablet', newMsgId: (() => { let n = 0; return () => `r${++n}`; })() }, server);
    await connected(restored);
    const refused = track(restored.client.send('bob', bytes('three')));
    const queued = track(restored.client.send('bob', bytes('four')));
    await restored.advance(2_000); // the refusal, the reconnect (backoff), the resend
    expect(restored.errors.map((e) => e.codeName)).toEqual(['CLIENT_SEQ_REUSED']);
    expect(restored.client.deviceId).not.toBe('tablet');
    expect(new URL(server.current.url).searchParams.get('device')).toBe(restored.client.deviceId);
    expect([refused.value?.seq, queued.value?.seq]).toEqual([3, 4]);
    expect(server.sequencer.log.map((e) => [e.msgId, e.device === 'tablet' ? 'tablet' : 'new', e.clientSeq])).toEqual([
      ['m1', 'tablet', 1],
      ['m2', 'tablet', 2],
      ['r1', 'new', 1],
      ['r2', 'new', 2],
    ]);
  });

  it('after a crash with sends the server never saw, the next run moves to a new device at its first OUT_OF_ORDER: nothing fails', async () => {
    const store = new MemoryClientStore();
    const server = new FakeServer();
    const crashed = harness({ store }, server);
    await connected(crashed);
    await crashed.client.send('bob', bytes('one'));
    server.answerMsgRFromCopy = Number.POSITIVE_INFINITY; // the next ones never reach the sequencer
    void crashed.client.send('bob', bytes('lost 1')).catch(() => undefined);
    void crashed.client.send('bob', bytes('lost 2')).catch(() => undefined);
    await settle();
    await crashed.client.close(); // the process dies: numbers 2 and 3 were taken, never sequenced
    server.answerMsgRFromCopy = 1;
    const next = harness({ store, newMsgId: () => 'next-1' }, server);
    await connected(next);
    const device = next.client.deviceId;
    const sent = track(next.client.send('bob', bytes('after the crash')));
    await next.advance(10_000);
    expect(next.errors.map((e) => [e.codeName, Number(e.expectedClientSeq)])).toEqual([['OUT_OF_ORDER', 2]]);
    expect(next.client.deviceId).not.toBe(device);
    expect(sent.value?.seq).toBe(2);
    expect(server.sequencer.log.map((e) => [e.msgId, e.clientSeq])).toEqual([
      ['m1', 1],
      ['next-1', 1],
    ]);
  });

  it('a send refused for good leaves no hole: the next message of the conversation takes its number', async () => {
    const h = harness();
    let refuse = true;
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'msgR' || !refuse) return false;
      refuse = false;
      connection.push({ error: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'too large', retryable: false, msgId: frame.msgR!.msgId } });
      return true;
    };
    await connected(h);
    const big = track(h.client.send('bob', bytes('big')));
    const next = track(h.client.send('bob', bytes('small')));
    await h.advance(1_000);
    expect(big.error).toMatchObject({ serverCode: ErrorCode.PAYLOAD_TOO_LARGE });
    expect(next.value?.seq).toBe(1);
    expect(h.server.sequencer.log.map((e) => [e.msgId, e.clientSeq])).toEqual([['m2', 1]]);
  });
});
