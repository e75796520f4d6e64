// The load tester's outbox follows the client_seq rule: 1 alone until its msg:A, then
// pipelined; retransmits go back to the oldest unaccepted message and resend in order;
// OUT_OF_ORDER goes back to expected_client_seq; stale refusals do not start a new pass.
import { SendQueue } from '../../src/send-queue';

const timing = { retransmitMs: 1000, maxRetransmitMs: 8000, ackTimeoutMs: 30_000 };
const seqs = (q: SendQueue<string>, now: number): number[] => q.due(now).map((e) => e.clientSeq);

function queueOf(n: number, random = () => 0.5): SendQueue<string> {
  const q = new SendQueue<string>(timing, random);
  for (let i = 0; i < n; i++) q.push((c) => `m${c}`);
  return q;
}

describe('SendQueue', () => {
  it('numbers messages 1, 2, 3 and sends client_seq 1 alone until its msg:A, then pipelines the rest in order', () => {
    const q = queueOf(3);
    expect(seqs(q, 0)).toEqual([1]);
    expect(seqs(q, 10)).toEqual([]);
    q.accepted(1);
    expect(seqs(q, 20)).toEqual([2, 3]);
    q.push((c) => `m${c}`);
    expect(seqs(q, 30)).toEqual([4]);
    expect(q.get(4)?.message).toBe('m4');
  });

  it('retransmits from the oldest unaccepted message, in order, with one doubling timer for the queue', () => {
    const q = queueOf(4);
    seqs(q, 0);
    q.accepted(1);
    expect(seqs(q, 0)).toEqual([2, 3, 4]);
    q.accepted(3); // accepted out of the middle: skipped by the go-back
    expect(seqs(q, 999)).toEqual([]);
    expect(seqs(q, 1000)).toEqual([2, 4]);
    expect(q.retransmits).toBe(2);
    expect(seqs(q, 2999)).toEqual([]); // doubled: 2 s
    expect(seqs(q, 3000)).toEqual([2, 4]);
    q.accepted(2); // progress resets the timeout
    expect(seqs(q, 3999)).toEqual([]);
    expect(seqs(q, 4000)).toEqual([4]);
  });

  it('goes back to expected_client_seq on OUT_OF_ORDER, once per pass: the refusals of the old pass are stale', () => {
    const q = queueOf(5);
    seqs(q, 0);
    q.accepted(1);
    expect(seqs(q, 0)).toEqual([2, 3, 4, 5]);
    q.accepted(2);
    expect(q.refused(4, 3, 10)).toBe('go-back'); // 3 never reached the sequencer
    expect(q.refused(5, 3, 10)).toBe('stale');
    expect(seqs(q, 10)).toEqual([3, 4, 5]);
    expect(q.refused(5, 3, 11)).toBe('go-back'); // an answer to the new pass
  });

  it('holds the queue for a backoff with full jitter after another retryable refusal, then resends from it in order', () => {
    const q = queueOf(3, () => 0.5);
    seqs(q, 0);
    q.accepted(1);
    seqs(q, 0);
    expect(q.refused(2, undefined, 100)).toBe('backoff'); // e.g. RATE_LIMITED: 0.5 x 1 s
    q.push((c) => `m${c}`);
    expect(seqs(q, 599)).toEqual([]);
    expect(seqs(q, 600)).toEqual([2]);
    expect(q.refused(2, undefined, 700)).toBe('backoff'); // second in a row: 0.5 x 2 s
    expect(seqs(q, 1699)).toEqual([]);
    expect(seqs(q, 1700)).toEqual([2]); // after a refusal: one in flight at a time ...
    q.accepted(2);
    expect(seqs(q, 1701)).toEqual([3, 4]); // ... then the window doubles with each msg:A
  });

  it('lifts the window once it has grown far enough', () => {
    const q = queueOf(2);
    seqs(q, 0);
    q.accepted(1);
    seqs(q, 0);
    q.refused(2, undefined, 0);
    for (let i = 0; i < 600; i++) q.push((c) => `m${c}`);
    let now = 10_000;
    let sent = seqs(q, now);
    expect(sent).toEqual([2]);
    for (let round = 0; round < 10 && sent.length > 0; round++) {
      for (const c of sent) q.accepted(c);
      sent = seqs(q, ++now);
    }
    expect(q.get(602)?.writes).toBe(1);
  });

  it('settles a message on its ack:N and, after a reconnect, sends everything unsettled again in order, accepted ones included', () => {
    const q = queueOf(4);
    seqs(q, 0);
    q.accepted(1);
    seqs(q, 0);
    q.accepted(2);
    q.settle(1);
    q.settle(3); // an ack:N that overtook its msg:A
    expect(q.size).toBe(2);
    q.restart(true);
    expect(seqs(q, 5)).toEqual([2, 4]);
    q.push((c) => `m${c}`);
    expect(seqs(q, 6)).toEqual([5]); // the accepted-rewrite pass ended: accepted messages are not sent again
    q.restart(false); // resync:N: only what is unaccepted
    expect(seqs(q, 7)).toEqual([4, 5]);
  });

  it('writes nothing more once halted, not even after a reconnect', () => {
    const q = queueOf(2);
    seqs(q, 0);
    q.halt();
    q.restart(true);
    expect(seqs(q, 100_000)).toEqual([]);
    expect(q.size).toBe(2);
  });

  it('sends an accepted message again when its ack:N has not come within the ack timeout', () => {
    const q = queueOf(2);
    seqs(q, 0);
    q.accepted(1);
    seqs(q, 0);
    q.accepted(2);
    expect(seqs(q, 29_999)).toEqual([]);
    expect(seqs(q, 30_000)).toEqual([1, 2]);
    expect(seqs(q, 30_001)).toEqual([]);
  });

  it('times each accepted message from its own last write, in whatever order they were accepted and however often rewritten', () => {
    const q = queueOf(3);
    expect(seqs(q, 0)).toEqual([1]);
    q.accepted(1);
    expect(seqs(q, 1000)).toEqual([2, 3]);
    q.accepted(3);
    q.accepted(2); // out of order: each is still timed from its own write
    expect(seqs(q, 29_999)).toEqual([]);
    expect(seqs(q, 30_000)).toEqual([1]);
    expect(seqs(q, 30_999)).toEqual([]);
    expect(seqs(q, 31_000)).toEqual([2, 3]);
    q.restart(true); // a new link: everything unsettled goes out again, and is timed from now
    expect(seqs(q, 40_000)).toEqual([1, 2, 3]);
    q.settle(2);
    expect(seqs(q, 69_999)).toEqual([]);
    expect(seqs(q, 70_000)).toEqual([1, 3]);
  });

  it('holds nothing back once client_seq 1 is settled without a msg:A (refused for good, or its ack:N came first)', () => {
    const q = queueOf(2);
    seqs(q, 0);
    q.settle(1);
    expect(seqs(q, 1)).toEqual([2]);
  });
});
