import { newConnection } from '../../src/load-connection';
import { clientSeqOf, SenderStream } from '../../src/sender-stream';

function stream(): SenderStream {
  const connection = newConnection({ user: 'alice', url: 'ws://127.0.0.1:1/ws', transport: 'websocket', localAddress: undefined }, 0);
  const s = new SenderStream({ connection: 0, conversation: 'd:alice:bob', toUser: 'bob', receivers: ['bob'] }, connection, { retransmitMs: 1000, maxRetransmitMs: 30_000, ackTimeoutMs: 30_000 });
  for (let i = 0; i < 3; i++) {
    s.sent++;
    s.queue.push((clientSeq) => ({ frame: new Uint8Array([clientSeq]), sentAtUs: 0 }));
  }
  return s;
}

describe('SenderStream: what the server answered each client_seq', () => {
  it('keeps the first position a msg:A gave; a repeat at the same place changes nothing', () => {
    const s = stream();
    expect(s.onAccepted(1, 'e1', 10)).toBe('first');
    expect(s.onAccepted(1, 'e1', 10)).toBe('same');
    expect(s.report()).toMatchObject({ accepted: [[1, 'e1', 10]], positionChanges: 0, reSequenced: 0 });
  });

  it('counts a message given another seq in its epoch (moved) apart from one sequenced anew in a new epoch', () => {
    const s = stream();
    s.onAccepted(1, 'e1', 10);
    expect(s.onAccepted(1, 'e1', 11)).toBe('moved');
    expect(s.onAccepted(1, 'e2', 1)).toBe('re-sequenced');
    expect(s.report()).toMatchObject({ accepted: [[1, 'e1', 10]], positionChanges: 1, reSequenced: 1 });
  });

  it('takes the position from an ack:N that overtook its msg:A, once', () => {
    const s = stream();
    expect(s.onPositionFromAck(2, 'e1', 4)).toBe(true);
    expect(s.onPositionFromAck(2, 'e1', 4)).toBe(false);
    expect(s.hasPosition(2)).toBe(true);
    expect(s.onAccepted(2, 'e1', 4)).toBe('same');
  });

  it('reports unsettled messages as unanswered (no msg:A) or unacked (msg:A, no ack:N)', () => {
    const s = stream();
    s.queue.accepted(1);
    s.onAccepted(1, 'e1', 1);
    s.queue.accepted(2);
    s.onAccepted(2, 'e1', 2);
    s.queue.settle(2);
    expect(s.report()).toEqual({
      from: 'alice',
      conversation: 'd:alice:bob',
      sent: 3,
      refused: [],
      clientSeqReused: 0,
      unanswered: [3],
      unacked: [1],
      accepted: [
        [1, 'e1', 1],
        [2, 'e1', 2],
      ],
      positionChanges: 0,
      reSequenced: 0,
    });
  });

  it('reads the client_seq out of the tester msg ids', () => {
    expect(clientSeqOf('m42')).toBe(42);
    expect(clientSeqOf('mx')).toBeNaN();
    expect(clientSeqOf(undefined)).toBe(0);
  });
});
