// The sending side of one worker: at the planned rate, the next message of the next stream
// whose device came up once, written as far as its outbox allows (retransmits in client_seq
// order, SendQueue); and what the server answers a sender: msg:A, ack:N and refusals. A
// sender's own msg:A or ack:N is also the seq it will not receive (receiver rule 4): handed
// to the receiver as a fill.
import type { AckReceipt, Accepted, ServerError } from '@parley/client/wire';
import { encodeFrame, ErrorCode } from '@parley/protocol';
import { monotonicMicros, recordMicros } from './latency';
import type { Connection, FrameWriter } from './load-connection';
import { makePayload } from './payload';
import type { WorkerPlan } from './plan';
import { clientSeqOf, SenderStream } from './sender-stream';
import type { SendQueueTiming } from './send-queue';
import type { SenderReport } from './verdict';
import type { WorkerTally } from './worker-tally';

/** After msg:A, a message with no ack:N for this long is sent again (PROTOCOL.md, sender rule 3). */
const ACK_TIMEOUT_MS = 30_000;
/** Cap of the doubling retransmit timeout of unaccepted messages. */
const MAX_RETRANSMIT_MS = 30_000;

/** One of a connection's own messages has (epoch, seq) in `conversation`: not a gap in what it shows. */
export type OwnSeqFill = (c: Connection, conversation: string, epoch: string, seq: number) => void;

export class Senders {
  readonly streams: SenderStream[];
  /** The stream of each connection (by index), when the plan makes it a sender. */
  private readonly byConnection: Array<SenderStream | undefined> = [];
  private sending = false;
  private scheduled = 0;
  private nextStream = 0;
  /** When sending started and stopped (monotonic microseconds; 0: not yet). */
  startedUs = 0;
  stoppedUs = 0;

  constructor(
    private readonly plan: WorkerPlan,
    connections: readonly Connection[],
    private readonly tally: WorkerTally,
    private readonly write: FrameWriter,
    private readonly fillOwn: OwnSeqFill,
  ) {
    const timing: SendQueueTiming = { retransmitMs: plan.retransmitMs, maxRetransmitMs: Math.max(plan.retransmitMs, MAX_RETRANSMIT_MS), ackTimeoutMs: ACK_TIMEOUT_MS };
    this.streams = plan.senders.map((s) => {
      const stream = new SenderStream(s, connections[s.connection]!, timing);
      this.byConnection[s.connection] = stream;
      return stream;
    });
  }

  /** Sending starts: at the planned rate (sendDue), or the whole burst now. */
  start(): void {
    this.sending = true;
    this.startedUs = monotonicMicros();
    for (let i = 0; i < this.plan.burst; i++) {
      this.scheduled++;
      if (!this.sendNext()) this.tally.counters.notSent++;
    }
  }

  stop(): void {
    if (!this.sending) return;
    this.sending = false;
    this.stoppedUs = monotonicMicros();
  }

  /** Queues (and writes) the messages the rate asks for since sending started; each one no stream could take counts as not sent. */
  sendDue(): void {
    if (!this.sending || this.streams.length === 0) return;
    const elapsedUs = monotonicMicros() - this.startedUs;
    const due = Math.floor((this.plan.ratePerSec * elapsedUs) / 1e6) - this.scheduled;
    for (let i = 0; i < due; i++) {
      this.scheduled++;
      if (!this.sendNext()) this.tally.counters.notSent++;
    }
  }

  /** Writes what retransmit timeouts let out again. */
  retransmit(): void {
    for (const stream of this.streams) if (stream.queue.size > 0) this.flush(stream);
  }

  /**
   * After a welcome or resync:N, the outbox goes out again in client_seq order: what is
   * unaccepted and, after a new link (`rewriteAccepted`), also what has msg:A but no ack:N.
   */
  restart(c: Connection, rewriteAccepted: boolean): void {
    const stream = this.byConnection[c.index];
    if (!stream) return;
    stream.queue.restart(rewriteAccepted);
    this.flush(stream);
  }

  onAccepted(c: Connection, a: Accepted): void {
    const stream = this.byConnection[c.index];
    if (!stream) return;
    const clientSeq = clientSeqOf(a.msgId);
    const { epoch, seq } = a.position;
    if (stream.onAccepted(clientSeq, epoch, seq) === 'first') this.tally.counters.accepted++;
    const entry = stream.queue.accepted(clientSeq);
    if (entry) recordMicros(this.tally.histograms.msgA, monotonicMicros() - entry.message.sentAtUs);
    // No msg:N comes back to the sending connection: its msg:A fills that seq (receiver rule 4).
    this.fillOwn(c, stream.plan.conversation, epoch, seq);
    // client_seq 1's msg:A lets the rest go; progress may also end a retransmit wait.
    this.flush(stream);
  }

  onAckNotify(c: Connection, n: AckReceipt): void {
    const stream = this.byConnection[c.index];
    if (!stream) return;
    // An ack:N is the first sign of its message's seq when it overtook the msg:A, or when the msg:A died with a cut link.
    this.fillOwn(c, n.conversation, n.position.epoch, n.position.seq);
    const clientSeq = clientSeqOf(n.msgId);
    const storedOffline = n.status === 'STORED_OFFLINE';
    if (storedOffline) this.tally.counters.storedOffline++;
    const entry = stream.queue.settle(clientSeq);
    if (!entry) return; // a repeat for a message already settled
    if (!storedOffline) {
      recordMicros(this.tally.histograms.ackN, monotonicMicros() - entry.message.sentAtUs);
      this.tally.counters.acked++;
    }
    // The ack:N overtook the msg:A (or the msg:A died with a link): it names the position.
    if (!entry.accepted && stream.onPositionFromAck(clientSeq, n.position.epoch, n.position.seq)) this.tally.counters.accepted++;
    this.flush(stream);
  }

  /** An error frame: counted by its code's name; a refusal of one of this connection's messages decides its fate. */
  onError(c: Connection, e: ServerError): void {
    this.tally.countError(e.codeName ?? `code:${e.code}`);
    const stream = this.byConnection[c.index];
    if (!stream || !e.msgId || !/^m[0-9]+$/.test(e.msgId)) return;
    const clientSeq = clientSeqOf(e.msgId);
    if (e.retryable) {
      const expected = e.expectedClientSeq;
      if (e.code === ErrorCode.OUT_OF_ORDER && stream.refused.includes(expected)) {
        // The server waits for a number that was refused for good (the tester does not renumber): the stream cannot go on.
        this.tally.countError('stream-stuck');
        stream.queue.halt();
        return;
      }
      stream.queue.refused(clientSeq, e.code === ErrorCode.OUT_OF_ORDER && expected > 0 ? expected : undefined, Date.now());
      this.flush(stream);
      return;
    }
    if (e.code === ErrorCode.CLIENT_SEQ_REUSED && stream.hasPosition(clientSeq)) {
      // Sent again for a missing ack:N after the server lost its state (and its dedupe):
      // the message stays accepted and still waits for its ack:N (PROTOCOL.md, client rule 4).
      this.tally.countError('CLIENT_SEQ_REUSED-after-msg:A');
      return;
    }
    // The tester never loses its counters: the server taking a number twice is a failure.
    if (e.code === ErrorCode.CLIENT_SEQ_REUSED) stream.clientSeqReused++;
    const entry = stream.queue.settle(clientSeq);
    // Refused for good before any msg:A: not expected anywhere. One that was accepted before stays expected.
    if (entry && !stream.hasPosition(clientSeq)) stream.refused.push(clientSeq);
    this.flush(stream);
  }

  /** What each stream that sent anything sent and was answered, for the verdict. */
  reports(): SenderReport[] {
    return this.streams.filter((s) => s.sent > 0).map((s) => s.report());
  }

  /**
   * Queues the next message of the next stream whose connection came up once (a client
   * keeps its outbox across a reconnect; the welcome sends the queue in order) and sends
   * what its queue allows now. Never-connected senders are skipped.
   */
  private sendNext(): boolean {
    for (let tries = 0; tries < this.streams.length; tries++) {
      const stream = this.streams[this.nextStream]!;
      this.nextStream = (this.nextStream + 1) % this.streams.length;
      if (!stream.connection.everWelcomed) continue;
      const sentAtUs = monotonicMicros();
      stream.sent++;
      stream.queue.push((clientSeq) => ({
        sentAtUs,
        frame: encodeFrame({
          msgR: {
            msgId: `m${clientSeq}`,
            clientSeq,
            payload: makePayload(this.plan.payloadBytes, sentAtUs),
            ...(stream.plan.toUser ? { toUser: stream.plan.toUser } : { conversation: stream.plan.conversation }),
          },
        }),
      }));
      this.tally.timeline.sent(sentAtUs, stream.plan.receivers.length);
      this.flush(stream);
      return true;
    }
    return false;
  }

  /** Writes what the stream's queue allows now (nothing while its link is down: the welcome restarts it). */
  private flush(stream: SenderStream): void {
    if (!stream.connection.welcomed) return;
    for (const entry of stream.queue.due(Date.now())) this.write(stream.connection, 'msgR', entry.message.frame);
  }
}
