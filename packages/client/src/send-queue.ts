// Sends in flight, from send() until their ack:N: each one's state (awaiting-accept until
// msg:A, then awaiting-ack until ack:N, which for a group message is the single QUEUED
// one), its promise, and its retransmit timer on the Clock.
import type { ConversationId, Epoch, MsgId, Seq, UserId } from '@parley/protocol';
import { backoffCeilingMs } from './backoff';
import type { Clock, TimerHandle } from './clock';
import type { ClientError } from './errors';
import type { AckReceipt, Accepted } from './frames';

export type SendState = 'awaiting-accept' | 'awaiting-ack';

/** Who a msg:R goes to: a user (1:1) or a group conversation (`g:<group id>`). */
export type Recipient =
  | { readonly toUser: UserId; readonly conversation?: undefined }
  | { readonly conversation: ConversationId; readonly toUser?: undefined };

/** What a msg:R carries. */
export type OutgoingMessage = Recipient & {
  readonly msgId: MsgId;
  readonly payload: Uint8Array;
  readonly clientSeq: number;
};

/** What send() resolves with: where the server stored the message. */
export interface SendReceipt {
  readonly msgId: MsgId;
  readonly conversation: ConversationId;
  readonly epoch: Epoch;
  readonly seq: Seq;
}

export interface SendQueueTiming {
  /** First wait for msg:A before retransmitting, in ms; doubles per retransmit. */
  readonly retransmitTimeoutMs: number;
  /** Ceiling of the doubling wait for msg:A, in ms. */
  readonly maxRetransmitTimeoutMs: number;
  /** Wait for ack:N after msg:A before re-sending msg:R, in ms (repeats at the same interval). */
  readonly ackTimeoutMs: number;
}

interface PendingSend {
  readonly message: OutgoingMessage;
  state: SendState;
  /** msg:R copies handed to the link so far (over every connection). */
  transmissions: number;
  /** Retransmits on this connection while awaiting msg:A: the exponent of the next wait. */
  retransmitAttempt: number;
  timer: TimerHandle | undefined;
  readonly resolve: (receipt: SendReceipt) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Order: sends are kept, and re-sent after a reconnect, in the order send() was called.
 * Retransmits are per message; a msg:R refused with a retryable error makes the gateway
 * refuse the conversation's later ones (OUT_OF_ORDER, retryable) until it comes again, so
 * the server still sequences them in clientSeq order.
 *
 * Timers run only while online (between goOnline and goOffline): on a dead link every
 * pending msg:R is re-sent by goOnline after the next welcome instead.
 */
export class SendQueue {
  private readonly pending = new Map<MsgId, PendingSend>();
  private online = false;
  private retransmitCount = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timing: SendQueueTiming,
    /** Hands one msg:R to the current link (dropped when there is none). */
    private readonly transmit: (message: OutgoingMessage) => void,
  ) {}

  /** Pending sends (awaiting msg:A or ack:N). */
  get size(): number {
    return this.pending.size;
  }

  /** msg:R copies sent after the first one of each message (timeouts, retryable errors, reconnects). */
  get retransmits(): number {
    return this.retransmitCount;
  }

  has(msgId: MsgId): boolean {
    return this.pending.has(msgId);
  }

  stateOf(msgId: MsgId): SendState | undefined {
    return this.pending.get(msgId)?.state;
  }

  /** Queues a send; transmits it now when online. Resolves on msg:A (or an ack:N that overtook it). */
  add(message: OutgoingMessage): Promise<SendReceipt> {
    return new Promise<SendReceipt>((resolve, reject) => {
      const send: PendingSend = {
        message,
        state: 'awaiting-accept',
        transmissions: 0,
        retransmitAttempt: 0,
        timer: undefined,
        resolve,
        reject,
      };
      this.pending.set(message.msgId, send);
      if (this.online) this.transmitNow(send);
    });
  }

  /**
   * msg:A: resolves the send's promise and starts the ack:N wait. Returns the receipt, or
   * undefined when the msg:A settles nothing (an answer to a retransmit of a send already
   * accepted, or to one already acked).
   */
  accepted(accept: Accepted): SendReceipt | undefined {
    const send = this.pending.get(accept.msgId);
    if (!send || send.state !== 'awaiting-accept') return undefined;
    const receipt = toReceipt(accept);
    send.state = 'awaiting-ack';
    send.resolve(receipt);
    this.arm(send);
    return receipt;
  }

  /** ack:N: the send is done. Resolves its promise too if no msg:A came. Returns false for an unknown msgId. */
  acknowledged(ack: AckReceipt): boolean {
    const send = this.pending.get(ack.msgId);
    if (!send) return false;
    if (send.state === 'awaiting-accept') send.resolve(toReceipt(ack));
    this.remove(send);
    return true;
  }

  /**
   * An error frame naming one of our msgIds. Retryable: the msg:R goes again after the
   * next (longer) retransmit wait. Not retryable: the send fails with `error` and leaves the
   * queue (an already-accepted one just leaves: its promise has resolved). Returns false
   * for an unknown msgId.
   */
  refused(msgId: MsgId, retryable: boolean, error: ClientError): boolean {
    const send = this.pending.get(msgId);
    if (!send) return false;
    if (retryable) {
      if (send.state === 'awaiting-accept') {
        send.retransmitAttempt += 1;
        this.arm(send);
      }
      return true;
    }
    this.remove(send);
    if (send.state === 'awaiting-accept') send.reject(error);
    return true;
  }

  /** A link is ready (after welcome): re-sends every pending msg:R in send() order and arms timers. */
  goOnline(): void {
    this.online = true;
    for (const send of [...this.pending.values()]) {
      send.retransmitAttempt = 0;
      this.transmitNow(send);
    }
  }

  /** The link is gone: timers stop until the next goOnline. */
  goOffline(): void {
    this.online = false;
    for (const send of this.pending.values()) this.disarm(send);
  }

  /** Rejects every send still awaiting msg:A with `error` and empties the queue. */
  failAll(error: Error): void {
    const sends = [...this.pending.values()];
    for (const send of sends) this.remove(send);
    for (const send of sends) if (send.state === 'awaiting-accept') send.reject(error);
  }

  private transmitNow(send: PendingSend): void {
    if (send.transmissions > 0) this.retransmitCount += 1;
    send.transmissions += 1;
    this.transmit(send.message);
    this.arm(send);
  }

  private arm(send: PendingSend): void {
    this.disarm(send);
    if (!this.online) return;
    const delay =
      send.state === 'awaiting-accept'
        ? backoffCeilingMs(
            { minDelayMs: this.timing.retransmitTimeoutMs, maxDelayMs: this.timing.maxRetransmitTimeoutMs },
            send.retransmitAttempt,
          )
        : this.timing.ackTimeoutMs;
    send.timer = this.clock.setTimeout(() => this.timedOut(send), delay);
  }

  private disarm(send: PendingSend): void {
    if (send.timer) this.clock.clearTimeout(send.timer);
    send.timer = undefined;
  }

  /** No msg:A (or no ack:N) in time: the msg:R goes again with the same msgId; the server answers it idempotently. */
  private timedOut(send: PendingSend): void {
    send.timer = undefined;
    if (this.pending.get(send.message.msgId) !== send || !this.online) return;
    if (send.state === 'awaiting-accept') send.retransmitAttempt += 1;
    this.transmitNow(send);
  }

  private remove(send: PendingSend): void {
    this.disarm(send);
    this.pending.delete(send.message.msgId);
  }
}

function toReceipt(at: { msgId: MsgId; conversation: ConversationId; position: { epoch: Epoch; seq: Seq } }): SendReceipt {
  return { msgId: at.msgId, conversation: at.conversation, epoch: at.position.epoch, seq: at.position.seq };
}
