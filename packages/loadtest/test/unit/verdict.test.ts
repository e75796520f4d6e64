// The verdict must catch what it claims to catch: crafted receipts and sender reports
// with a lost message, a message shown twice, messages out of order, a missing ack:N, a
// position given twice, a reused client_seq; and tell late from lost.
import { expectedDeliveriesBy, judgeRun, ReceiptLedger, SenderReport, Stream, toRanges, verdictLine, verdictPassed } from '../../src/verdict';

const conversation = 'd:alice:bob';
const stream: Stream = { from: 'alice', conversation, receivers: ['bob'] };

function sender(sent: number, overrides: Partial<SenderReport> = {}): SenderReport {
  const accepted = Array.from({ length: sent }, (_, i) => [i + 1, 'e1', i + 1] as const);
  return { from: 'alice', conversation, sent, refused: [], clientSeqReused: 0, unanswered: [], unacked: [], accepted, positionChanges: 0, reSequenced: 0, ...overrides };
}

function receive(ledger: ReceiptLedger, messages: Array<[seq: number, clientSeq: number, epoch?: string]>): void {
  for (const [seq, clientSeq, epoch] of messages) ledger.record(conversation, epoch ?? 'e1', seq, 'alice', clientSeq);
}

function judge(ledger: ReceiptLedger, report: SenderReport) {
  return judgeRun([stream], [report], ledger.reports(), [ledger.counters], ledger.samples);
}

describe('verdict', () => {
  it('passes when every message arrives once and in order', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1], [2, 2], [3, 3]]);
    const v = judge(bob, sender(3));
    expect(v).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
    expect(v.detail.expectedDeliveries).toBe(3);
    expect(verdictPassed(v)).toBe(true);
  });

  it('counts a message that never reached a receiver as lost', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1], [3, 3]]);
    const v = judge(bob, sender(3));
    expect(v.lost).toBe(1);
    expect(v.samples.join('\n')).toContain('alice #2');
    expect(verdictPassed(v)).toBe(false);
  });

  it('does not count as lost what was addressed to a receiver whose connection never came up, but says how much', () => {
    const bob = new ReceiptLedger('bob');
    const v = judgeRun([stream], [sender(3)], bob.reports(), [bob.counters], [], new Set(['bob']));
    expect(v.lost).toBe(0);
    expect(v.detail.toNeverConnected).toBe(3);
    // A receiver that was up is judged as ever.
    expect(judgeRun([stream], [sender(3)], bob.reports(), [bob.counters], [], new Set(['carol'])).lost).toBe(3);
  });

  it('counts every receiver of a group message separately', () => {
    const bob = new ReceiptLedger('bob');
    const carol = new ReceiptLedger('carol');
    bob.record('g:x', 'e1', 1, 'alice', 1);
    const group: Stream = { from: 'alice', conversation: 'g:x', receivers: ['bob', 'carol'] };
    const report: SenderReport = { ...sender(1), conversation: 'g:x' };
    const v = judgeRun([group], [report], [...bob.reports(), ...carol.reports()], [bob.counters, carol.counters]);
    expect(v.lost).toBe(1);
    expect(v.detail.expectedDeliveries).toBe(2);
  });

  it('does not expect messages the server refused for good, but fails the run: the tester sends only valid messages', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1]]);
    const v = judge(bob, sender(2, { refused: [2] }));
    expect(v.lost).toBe(0);
    expect(v.refused).toBe(1);
    expect(verdictPassed(v)).toBe(false);
    expect(verdictLine(v)).toContain('refused 1');
  });

  it('treats a re-push at the same position as legal, not as a duplicate', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1], [1, 1], [2, 2]]);
    const v = judge(bob, sender(2));
    expect(v.duplicated).toBe(0);
    expect(v.detail.redelivered).toBe(1);
  });

  it('counts one message at two positions as duplicated', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1], [2, 1], [3, 2]]);
    const v = judge(bob, sender(2));
    expect(v.duplicated).toBe(1);
    expect(v.detail.receiverDuplicates).toBe(1);
  });

  it('counts two messages at one position at a receiver as a shared position, and fails', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1], [1, 2]]);
    const v = judge(bob, sender(2));
    expect(v.detail.positionConflicts).toBe(1);
    expect(v.sharedPositions).toBe(1);
    expect(v.lost).toBe(1); // #2 was never delivered at a position of its own
    expect(verdictPassed(v)).toBe(false);
  });

  it('catches one position given by msg:A to messages of two senders of a conversation', () => {
    const bob = new ReceiptLedger('bob');
    const alice = new ReceiptLedger('alice');
    receive(bob, [[1, 1]]);
    alice.record(conversation, 'e1', 2, 'bob', 1);
    const fromBob: SenderReport = { ...sender(1), from: 'bob', accepted: [[1, 'e1', 1]] };
    const v = judgeRun([stream, { from: 'bob', conversation, receivers: ['alice'] }], [sender(1), fromBob], [...bob.reports(), ...alice.reports()], [bob.counters, alice.counters]);
    expect(v.sharedPositions).toBe(1);
    expect(v.samples.join('\n')).toContain('e1#1 was given to alice#1 and to bob#1');
    expect(verdictPassed(v)).toBe(false);
    // The same position in another epoch is another position.
    const later: SenderReport = { ...fromBob, accepted: [[1, 'e2', 1]] };
    expect(judgeRun([stream, { from: 'bob', conversation, receivers: ['alice'] }], [sender(1), later], [], []).sharedPositions).toBe(0);
  });

  it('fails a message whose sender never got its ack:N, with or without a msg:A', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1], [2, 2], [3, 3]]);
    const v = judge(bob, sender(3, { unacked: [2], unanswered: [3] }));
    expect(v.lost).toBe(0);
    expect(v.missingAckN).toBe(2);
    expect(v.detail.unacked).toBe(1);
    expect(v.samples.join('\n')).toContain('no ack:N: alice #2');
    expect(verdictPassed(v)).toBe(false);
    expect(verdictLine(v)).toContain('missing ack:N 2');
  });

  it('fails a run in which the server said a client_seq was reused', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1]]);
    const v = judge(bob, sender(2, { refused: [2], clientSeqReused: 1 }));
    expect(v.clientSeqReused).toBe(1);
    expect(verdictPassed(v)).toBe(false);
  });

  it('counts first arrivals after the drain started as late, not lost', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1]]);
    bob.draining = true;
    receive(bob, [[2, 2], [2, 2]]);
    const v = judge(bob, sender(3));
    expect(v.late).toBe(1);
    expect(v.lost).toBe(1);
    expect(v.detail.delivered).toBe(2);
  });

  it('drops a copy re-sequenced in a later epoch by (from_user, msg_id): counted apart, not a duplicate', () => {
    const bob = new ReceiptLedger('bob');
    expect(bob.record(conversation, 'e1', 1, 'alice', 1)).toBe('first');
    expect(bob.record(conversation, 'e2', 1, 'alice', 1)).toBe('re-sequenced');
    expect(bob.record(conversation, 'e2', 1, 'alice', 1)).toBe('redelivered');
    expect(bob.record(conversation, 'e2', 2, 'alice', 2)).toBe('first');
    const v = judge(bob, sender(2, { accepted: [[1, 'e1', 1], [2, 'e2', 2]], reSequenced: 1 }));
    expect(v).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
    expect(v.detail.reSequenced).toBe(2);
    expect(v.detail.epochChanges).toBe(1);
    expect(verdictPassed(v)).toBe(true);
  });

  it('counts a late first arrival from the old epoch against the sender order, not against the new epoch seqs', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1, 'e1'], [1, 3, 'e2'], [2, 2, 'e1']]);
    const v = judge(bob, sender(3, { accepted: [[1, 'e1', 1], [2, 'e1', 2], [3, 'e2', 1]] }));
    expect(v.detail.reorderedBySeq).toBe(0);
    expect(v.detail.reorderedBySender).toBe(1);
  });

  it('counts a msg:A that moved a message to another position as duplicated', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1]]);
    expect(judge(bob, sender(1, { positionChanges: 1 })).duplicated).toBe(1);
  });

  it('counts a seq arriving below one already seen as reordered, by seq and by the sender numbering', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1], [3, 3], [2, 2]]);
    const v = judge(bob, sender(3));
    expect(v.lost).toBe(0);
    expect(v.detail.reorderedBySeq).toBe(1);
    expect(v.detail.reorderedBySender).toBe(1);
    expect(v.reordered).toBe(2);
  });

  it('catches the sender numbering going backwards even when seqs grow', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 2], [2, 1]]);
    const v = judge(bob, sender(2, { accepted: [[1, 'e1', 2], [2, 'e1', 1]] }));
    expect(v.detail.reorderedBySender).toBe(1);
    expect(v.detail.reorderedBySeq).toBe(0);
    expect(v.detail.sequencedOutOfOrder).toBe(1);
    expect(v.reordered).toBe(2);
  });

  it('does not count a new epoch restarting at seq 1 as reordered', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1, 'e1'], [2, 2, 'e1'], [1, 3, 'e2']]);
    const v = judge(bob, sender(3, { accepted: [[1, 'e1', 1], [2, 'e1', 2], [3, 'e2', 1]] }));
    expect(v).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
  });

  it('reports unanswered messages but judges them by whether they arrived', () => {
    const bob = new ReceiptLedger('bob');
    receive(bob, [[1, 1]]);
    const v = judge(bob, sender(2, { unanswered: [2], accepted: [[1, 'e1', 1]] }));
    expect(v.detail.unanswered).toBe(1);
    expect(v.lost).toBe(1);
  });
});

describe('toRanges', () => {
  it('folds distinct values into sorted inclusive ranges', () => {
    expect(toRanges([5, 1, 2, 3, 3, 7, 6, 10])).toEqual([
      [1, 3],
      [5, 7],
      [10, 10],
    ]);
    expect(toRanges([])).toEqual([]);
  });
});

describe('expectedDeliveriesBy', () => {
  it('splits the expected deliveries by the kind of receiver (e.g. its transport), refused messages left out', () => {
    const group: Stream = { from: 'alice', conversation, receivers: ['bob', 'carol', 'dave'] };
    const transportOf = (user: string): string => (user === 'carol' ? 'long-poll' : 'websocket');
    const expected = expectedDeliveriesBy([group], [sender(5, { refused: [2] })], transportOf);
    expect(Object.fromEntries(expected)).toEqual({ websocket: 8, 'long-poll': 4 });
    expect(expectedDeliveriesBy([group], [], transportOf).size).toBe(0);
  });
});
