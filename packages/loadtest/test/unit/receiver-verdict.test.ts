// A group receiver's msg:N go through the same path as in a load run (taken from their bytes
// when they simply come next, decoded in full otherwise) into the ledger and the verdict:
// a lost, duplicated, reordered or mixed-up message must fail the verdict, re-pushes must
// not, and the cumulative ack must cover exactly what is shown.
import { toReceivedMessage } from '@parley/client/wire';
import { decodeFrame, encodeFrame } from '@parley/protocol';
import { GroupAcks } from '../../src/group-acks';
import { newConnection, type Connection } from '../../src/load-connection';
import { makePayload } from '../../src/payload';
import { Receiver } from '../../src/receiver';
import { judgeRun, verdictPassed, type SenderReport, type Verdict } from '../../src/verdict';
import { WorkerTally } from '../../src/worker-tally';

const GROUP = 'g:lt-g0';

interface Pushed {
  readonly seq: number;
  readonly clientSeq: number;
  readonly msgId?: string;
  readonly from?: string;
  readonly epoch?: string;
}

function frameOf(p: Pushed): Uint8Array {
  return encodeFrame({
    msgN: {
      conversation: GROUP,
      position: { epoch: p.epoch ?? 'e1', seq: p.seq },
      msgId: p.msgId ?? `m${p.clientSeq}`,
      fromUser: p.from ?? 'alice',
      payload: makePayload(64, 1000),
      serverTimeMs: 5,
      clientSeq: p.clientSeq,
    },
  });
}

function setup() {
  const tally = new WorkerTally();
  const acks: Array<[string, string, number]> = [];
  const groupAcks = new GroupAcks<Connection>((c, conversation, position) => acks.push([c.plan.user, position.epoch, position.seq]));
  const receiver = new Receiver(tally, () => undefined, groupAcks);
  const bob = newConnection({ user: 'bob', url: 'ws://127.0.0.1:1/ws', transport: 'websocket', localAddress: undefined }, 0);
  bob.welcomed = true;
  /** What the load worker does with an inbound frame that may be a msg:N. */
  const push = (p: Pushed): void => {
    const bytes = frameOf(p);
    if (receiver.tryPushedBytes(bob, bytes)) return;
    const message = toReceivedMessage(decodeFrame(bytes).msgN!);
    receiver.onPushed(bob, message!);
  };
  const verdict = (sent: number): Verdict => {
    const report: SenderReport = {
      from: 'alice',
      conversation: GROUP,
      sent,
      refused: [],
      clientSeqReused: 0,
      unanswered: [],
      unacked: [],
      accepted: Array.from({ length: sent }, (_, i) => [i + 1, 'e1', i + 1] as const),
      positionChanges: 0,
      reSequenced: 0,
    };
    return judgeRun([{ from: 'alice', conversation: GROUP, receivers: ['bob'] }], [report], bob.ledger.reports(), [bob.ledger.counters], bob.ledger.samples);
  };
  return { receiver, bob, push, verdict, acks, groupAcks, tally };
}

const inOrder = (n: number): Pushed[] => Array.from({ length: n }, (_, i) => ({ seq: i + 1, clientSeq: i + 1 }));

describe('a group receiver into the verdict', () => {
  it('passes when every message comes once and in order, most of them taken from their bytes, and acks the last one', () => {
    const { receiver, push, verdict, acks, groupAcks, tally } = setup();
    for (const p of inOrder(50)) push(p);
    const v = verdict(50);
    expect(verdictPassed(v)).toBe(true);
    expect(v.detail.delivered).toBe(50);
    // The first one enters the epoch the long way; the rest simply come next.
    expect(receiver.pushes).toEqual({ fromBytes: 49, decoded: 1 });
    groupAcks.flush();
    expect(acks).toEqual([['bob', 'e1', 50]]);
    expect(tally.timeline.buckets.size).toBeGreaterThan(0);
  });

  it('fails on a lost message, and acks only up to the gap', () => {
    const { push, verdict, acks, groupAcks } = setup();
    for (const p of inOrder(6).filter((p) => p.seq !== 4)) push(p);
    const v = verdict(6);
    // seq 4 never came; 5 and 6 are held behind the gap, never shown: not received either.
    expect(v.lost).toBe(3);
    expect(verdictPassed(v)).toBe(false);
    groupAcks.flush();
    expect(acks).toEqual([['bob', 'e1', 3]]);
  });

  it('takes a gap filled late in order, and passes', () => {
    const { push, verdict } = setup();
    for (const seq of [1, 2, 4, 5, 3, 6]) push({ seq, clientSeq: seq });
    expect(verdictPassed(verdict(6))).toBe(true);
  });

  it('fails on one message shown at two positions (even when both simply come next)', () => {
    const { push, verdict } = setup();
    for (const p of [...inOrder(3), { seq: 4, clientSeq: 3 }, { seq: 5, clientSeq: 4 }]) push(p);
    const v = verdict(4);
    expect(v.duplicated).toBe(1);
    expect(verdictPassed(v)).toBe(false);
  });

  it('fails on messages out of their sender order', () => {
    const { push, verdict } = setup();
    for (const p of [{ seq: 1, clientSeq: 1 }, { seq: 2, clientSeq: 3 }, { seq: 3, clientSeq: 2 }]) push(p);
    const v = verdict(3);
    expect(v.reordered).toBe(1);
    expect(verdictPassed(v)).toBe(false);
  });

  it('fails on a second message at a position already shown', () => {
    const { push, verdict } = setup();
    for (const p of [...inOrder(3), { seq: 2, clientSeq: 4 }]) push(p);
    const v = verdict(3);
    expect(v.sharedPositions).toBe(1);
    expect(verdictPassed(v)).toBe(false);
  });

  it('fails on a msg_id that does not name its client_seq', () => {
    const { push, verdict } = setup();
    for (const p of [...inOrder(2), { seq: 3, clientSeq: 3, msgId: 'm7' }]) push(p);
    const v = verdict(3);
    expect(v.sharedPositions).toBe(1);
    expect(verdictPassed(v)).toBe(false);
  });

  it('counts a re-push of the same message at the same position as legal', () => {
    const { push, verdict } = setup();
    for (const p of [...inOrder(3), { seq: 2, clientSeq: 2 }, { seq: 4, clientSeq: 4 }]) push(p);
    const v = verdict(4);
    expect(verdictPassed(v)).toBe(true);
    expect(v.detail.redelivered).toBe(1);
  });

  it('does not show its own message pushed back: it fills its seq', () => {
    const { push, verdict, acks, groupAcks } = setup();
    for (const p of [{ seq: 1, clientSeq: 1 }, { seq: 2, clientSeq: 1, from: 'bob' }, { seq: 3, clientSeq: 2 }]) push(p);
    const v = verdict(2);
    expect(verdictPassed(v)).toBe(true);
    expect(v.detail.delivered).toBe(2);
    groupAcks.flush();
    expect(acks).toEqual([['bob', 'e1', 3]]);
  });
});
