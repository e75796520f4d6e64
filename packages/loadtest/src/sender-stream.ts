// One sending device's stream into one conversation: its outbox (client_seq order, go-back-N:
// SendQueue) and the tester's own record of what the server answered each client_seq (the
// position of its first msg:A, positions that moved, refusals), which the verdict judges.
// No I/O: the Senders write what the queue lets out.
import type { Connection } from './load-connection';
import type { SenderPlan } from './plan';
import { SendQueue, type SendQueueTiming } from './send-queue';
import type { SenderReport } from './verdict';

/** A written msg:R: its frame (the same bytes at every retransmit) and when it was first queued. */
export interface PendingMessage {
  readonly frame: Uint8Array;
  readonly sentAtUs: number;
}

export interface StreamPosition {
  readonly epoch: string;
  readonly seq: number;
}

/** What a msg:A told about a message: its first position, the same again, or another one (moved in its epoch, or re-sequenced in a new epoch after the server lost its state). */
export type AcceptedOutcome = 'first' | 'same' | 'moved' | 're-sequenced';

/** The client_seq the tester put in a msg id (`m<client_seq>`): NaN when the rest is not a number, 0 when there is no id. */
export const clientSeqOf = (msgId: string | undefined): number => Number((msgId ?? '').slice(1));

export class SenderStream {
  /** Messages queued so far (client_seq 1..sent). */
  sent = 0;
  /** Refused for good before any msg:A: not expected anywhere. */
  readonly refused: number[] = [];
  clientSeqReused = 0;
  /** client_seq -> the position its first msg:A (or an ack:N that overtook it) gave. */
  private readonly positions = new Map<number, StreamPosition>();
  private readonly acceptedAt: Array<[number, string, number]> = [];
  private positionChanges = 0;
  private reSequenced = 0;
  /** The device's outbox for this conversation: client_seq order, go-back-N. */
  readonly queue: SendQueue<PendingMessage>;

  constructor(
    readonly plan: SenderPlan,
    readonly connection: Connection,
    timing: SendQueueTiming,
  ) {
    this.queue = new SendQueue<PendingMessage>(timing);
  }

  /** Whether a msg:A (or an ack:N) gave `clientSeq` a position. */
  hasPosition(clientSeq: number): boolean {
    return this.positions.has(clientSeq);
  }

  /** A msg:A for `clientSeq` at (epoch, seq). */
  onAccepted(clientSeq: number, epoch: string, seq: number): AcceptedOutcome {
    const known = this.positions.get(clientSeq);
    if (known === undefined) {
      this.recordPosition(clientSeq, epoch, seq);
      return 'first';
    }
    if (known.epoch !== epoch) {
      this.reSequenced++; // the server lost its state and sequenced a retransmit anew
      return 're-sequenced';
    }
    if (known.seq !== seq) {
      this.positionChanges++;
      return 'moved';
    }
    return 'same';
  }

  /** An ack:N that overtook its msg:A (or whose msg:A died with a link) names the position; true when it is the first. */
  onPositionFromAck(clientSeq: number, epoch: string, seq: number): boolean {
    if (this.positions.has(clientSeq)) return false;
    this.recordPosition(clientSeq, epoch, seq);
    return true;
  }

  report(): SenderReport {
    const unanswered: number[] = [];
    const unacked: number[] = [];
    for (const p of this.queue.unsettled()) (p.accepted ? unacked : unanswered).push(p.clientSeq);
    return {
      from: this.connection.plan.user,
      conversation: this.plan.conversation,
      sent: this.sent,
      refused: this.refused,
      clientSeqReused: this.clientSeqReused,
      unanswered,
      unacked,
      accepted: this.acceptedAt,
      positionChanges: this.positionChanges,
      reSequenced: this.reSequenced,
    };
  }

  private recordPosition(clientSeq: number, epoch: string, seq: number): void {
    this.positions.set(clientSeq, { epoch, seq });
    this.acceptedAt.push([clientSeq, epoch, seq]);
  }
}
