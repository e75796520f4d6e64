// A long-poll session behaves like a connection a client can rely on: numbered batches
// kept until acknowledged, one held recv, holds and idle sessions that end on time, and a
// bounded buffer. All on a fake clock.
import { asConnectionId, asUserId, CloseCode } from '@parley/protocol';
import { FakeClock } from '@parley/ports';
import { ConnectionState } from '../../src/connection';
import { LINK_LOST, LongPollSession, PollAnswer } from '../../src/long-poll-session';

const HEARTBEAT_MS = 1_000;
const IDLE_LIMIT_MS = 2 * HEARTBEAT_MS;

/** Records what the session answered on one request. */
class Answer implements PollAnswer {
  batch: number | undefined;
  got: string[] | undefined;
  closedWith: number | undefined;
  answers = 0;
  frames(batch: number, frames: readonly Uint8Array[]): void {
    this.answers += 1;
    this.batch = batch;
    this.got = frames.map((f) => Buffer.from(f).toString());
  }
  closed(code: number): void {
    this.answers += 1;
    this.closedWith = code;
  }
  get pending(): boolean {
    return this.answers === 0;
  }
}

const frame = (text: string): Uint8Array => Buffer.from(text);

function setUp(maxBufferedBytes = 1_000) {
  const clock = new FakeClock();
  const tasks: Array<() => void> = [];
  const closes: Array<{ code: number; reason: string }> = [];
  const open = new Answer();
  const state = new ConnectionState(asUserId('alice'), asConnectionId('c1'));
  const session = new LongPollSession('s1', state, open, {
    idleLimitMs: IDLE_LIMIT_MS,
    maxBufferedBytes,
    clock,
    onClose: (_s, code, reason) => closes.push({ code, reason }),
    schedule: (task) => tasks.push(task),
  });
  /** Runs the deferred flushes, as the event loop would after the current work. */
  const settle = () => {
    while (tasks.length > 0) tasks.shift()!();
  };
  /** Sends welcome and lets it answer the open request. */
  const welcome = () => {
    session.send([frame('welcome')]);
    settle();
  };
  const recv = (ack: number, holdMs = 0) => {
    const answer = new Answer();
    const outcome = session.recv(ack, holdMs, answer);
    return { answer, outcome };
  };
  return { clock, session, open, closes, settle, welcome, recv };
}

describe('a long-poll session', () => {
  it('answers the open request with welcome, unnumbered', () => {
    const { open, welcome, session } = setUp();
    expect(open.pending).toBe(true);
    welcome();
    expect(open).toMatchObject({ batch: 0, got: ['welcome'] });
    expect(session.bufferedBytes()).toBe(0);
  });

  it('numbers batches 1, 2, 3 and moves on only when the previous one is acknowledged', () => {
    const { session, welcome, recv } = setUp();
    welcome();
    session.send([frame('a'), frame('b')]);
    const first = recv(0);
    expect(first.outcome).toBe('batch');
    expect(first.answer).toMatchObject({ batch: 1, got: ['a', 'b'] });
    session.send([frame('c')]);
    expect(recv(1).answer).toMatchObject({ batch: 2, got: ['c'] });
    session.send([frame('d')]);
    expect(recv(2).answer).toMatchObject({ batch: 3, got: ['d'] });
  });

  it('answers a recv whose ack is behind with the same batch again, then continues', () => {
    const { session, welcome, recv } = setUp();
    welcome();
    session.send([frame('a')]);
    expect(recv(0).answer).toMatchObject({ batch: 1, got: ['a'] });
    session.send([frame('b')]);
    // The answer with batch 1 was lost: the client asks again with its old ack.
    const again = recv(0);
    expect(again.outcome).toBe('resent');
    expect(again.answer).toMatchObject({ batch: 1, got: ['a'] });
    expect(session.bufferedBytes()).toBe(2); // a (unacknowledged) and b (queued)
    expect(recv(1).answer).toMatchObject({ batch: 2, got: ['b'] });
    expect(recv(2).answer).toMatchObject({ batch: 0, got: [] });
    expect(session.bufferedBytes()).toBe(0);
  });

  it('refuses an ack of a batch never sent and changes nothing', () => {
    const { session, welcome, recv } = setUp();
    welcome();
    session.send([frame('a')]);
    const bad = recv(1);
    expect(bad.outcome).toBe('bad-ack');
    expect(bad.answer.pending).toBe(true);
    expect(recv(0).answer).toMatchObject({ batch: 1, got: ['a'] });
  });

  it('holds one recv: a newer recv answers the held one empty at once', () => {
    const { session, welcome, recv, settle } = setUp();
    welcome();
    const first = recv(0, 20_000);
    expect(first.outcome).toBe('held');
    const second = recv(0, 20_000);
    expect(second.outcome).toBe('held');
    expect(first.answer).toMatchObject({ batch: 0, got: [] });
    expect(second.answer.pending).toBe(true);
    // Frames sent in one turn leave in one batch, on the held recv.
    session.send([frame('a')]);
    session.send([frame('b')]);
    expect(second.answer.pending).toBe(true);
    settle();
    expect(second.answer).toMatchObject({ batch: 1, got: ['a', 'b'] });
    expect(first.answer.answers).toBe(1);
  });

  it('answers a held recv empty when its hold runs out, and short polling at once', () => {
    const { clock, welcome, recv } = setUp();
    welcome();
    const held = recv(0, 500);
    clock.advance(499);
    expect(held.answer.pending).toBe(true);
    clock.advance(1);
    expect(held.answer).toMatchObject({ batch: 0, got: [] });
    const short = recv(0, 0);
    expect(short.outcome).toBe('empty');
    expect(short.answer).toMatchObject({ batch: 0, got: [] });
  });

  it('closes a session with no recv outstanding for 2 × heartbeat (HEARTBEAT_TIMEOUT), once', () => {
    const { clock, session, welcome, closes } = setUp();
    welcome();
    clock.advance(IDLE_LIMIT_MS - 1);
    expect(session.closure).toBeUndefined();
    clock.advance(1);
    expect(session.closure?.code).toBe(CloseCode.HEARTBEAT_TIMEOUT);
    expect(closes).toEqual([{ code: CloseCode.HEARTBEAT_TIMEOUT, reason: expect.any(String) }]);
    clock.advance(10 * IDLE_LIMIT_MS);
    expect(closes).toHaveLength(1);
  });

  it('keeps a session alive while a recv is held, however long, and counts the idle time from its answer', () => {
    const { clock, session, welcome, recv } = setUp();
    welcome();
    const held = recv(0, 10 * IDLE_LIMIT_MS);
    clock.advance(10 * IDLE_LIMIT_MS - 1);
    expect(session.closure).toBeUndefined();
    clock.advance(1);
    expect(held.answer).toMatchObject({ batch: 0 });
    clock.advance(IDLE_LIMIT_MS - 1);
    expect(session.closure).toBeUndefined();
    recv(0, 0); // a short poll in time keeps it alive too
    clock.advance(IDLE_LIMIT_MS - 1);
    expect(session.closure).toBeUndefined();
    clock.advance(1);
    expect(session.closure?.code).toBe(CloseCode.HEARTBEAT_TIMEOUT);
  });

  it('never writes to an abandoned recv; its frames wait for the next one', () => {
    const { clock, session, welcome, recv, settle } = setUp();
    welcome();
    const gone = recv(0, 20_000);
    session.abandon(gone.answer);
    session.send([frame('a')]);
    settle();
    clock.advance(IDLE_LIMIT_MS - 1);
    expect(gone.answer.pending).toBe(true);
    expect(recv(0).answer).toMatchObject({ batch: 1, got: ['a'] });
  });

  it('starts the idle time when a held recv is abandoned', () => {
    const { clock, session, welcome, recv } = setUp();
    welcome();
    const gone = recv(0, 60_000);
    clock.advance(5_000);
    session.abandon(gone.answer);
    clock.advance(IDLE_LIMIT_MS);
    expect(session.closure?.code).toBe(CloseCode.HEARTBEAT_TIMEOUT);
    expect(gone.answer.pending).toBe(true);
  });

  it('closes when the open request is abandoned before welcome (nobody knows its id)', () => {
    const { session, open, closes } = setUp();
    session.abandon(open);
    expect(closes).toEqual([{ code: LINK_LOST, reason: expect.any(String) }]);
    session.send([frame('welcome')]);
    expect(open.pending).toBe(true);
  });

  it('closes as SLOW_CONSUMER when unacknowledged and queued frames would pass the bound', () => {
    const { session, welcome, recv, closes } = setUp(100);
    welcome();
    session.send([frame('x'.repeat(60))]);
    expect(recv(0).answer).toMatchObject({ batch: 1 }); // 60 bytes now unacknowledged
    session.send([frame('y'.repeat(40))]);
    expect(session.closure).toBeUndefined();
    session.send([frame('z')]);
    expect(closes).toEqual([{ code: CloseCode.SLOW_CONSUMER, reason: 'slow consumer' }]);
    expect(session.bufferedBytes()).toBe(0);
  });

  it('answers a held recv with the close, and ignores everything after it', () => {
    const { session, welcome, recv, settle, closes } = setUp();
    welcome();
    const held = recv(0, 20_000);
    session.close(CloseCode.GOING_AWAY, 'gateway shutting down');
    expect(held.answer.closedWith).toBe(CloseCode.GOING_AWAY);
    session.send([frame('late')]);
    settle();
    session.close(CloseCode.NORMAL, 'again');
    expect(closes).toHaveLength(1);
    expect(recv(0).answer.closedWith).toBe(CloseCode.GOING_AWAY);
  });

  it('answers the pending open request with the close when it never got to welcome', () => {
    const { session, open } = setUp();
    session.close(CloseCode.GOING_AWAY, 'presence unavailable');
    expect(open.closedWith).toBe(CloseCode.GOING_AWAY);
  });
});
