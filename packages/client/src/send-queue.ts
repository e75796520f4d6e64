// Sends in flight, from send() until their ack:N: one ordered lane per conversation that
// numbers its messages (client_seq 1, 2, 3, ... of this device) and transmits them strictly
// in that order, go-back-N: a refusal, a timeout or a reconnect resends from the oldest
// message the server has not accepted. Each send's promise settles on msg:A (or an ack:N
// that overtook it); an accepted send stays until its ack:N.
import { backoffCeilingMs, equalJitterMs, ErrorCode, type ConversationId, type Epoch, type MsgId, type Seq, type UserId } from '@parley/protocol';
import type { Clock, TimerHandle } from './clock';
import type { ClientError } from './errors';
import type { AckReceipt, Accepted } from './frames';

export type SendState = 'awaiting-accept' | 'awaiting-ack';

/** Who a msg:R goes to: a user (1:1) or a group conversation (`g:<group id>`). */
export type Recipient =
  | { readonly toUser: UserId; readonly conversation?: undefined }
  | { readonly conversation: ConversationId; readonly toUser?: undefined };

/** What send() hands to the queue. */
export type NewMessage = Recipient & {
  readonly msgId: MsgId;
  readonly payload: Uint8Array;
};

/** What a msg:R carries. */
export type OutgoingMessage = NewMessage & { readonly clientSeq: number };

/** What send() resolves with: where the server stored the message. */
export interface SendReceipt {
  readonly msgId: MsgId;
  readonly conversation: ConversationId;
  readonly epoch: Epoch;
  readonly seq: Seq;
}

export interface SendQueueTiming {
  /** First wait for the oldest unaccepted message's msg:A before going back to it, in ms; doubles per go-back in a row. */
  readonly retransmitTimeoutMs: number;
  /** Ceiling of the doubling wait (and of the wait after a retryable refusal), in ms. */
  readonly maxRetransmitTimeoutMs: number;
  /** Wait for ack:N after msg:A before re-sending msg:R, in ms (repeats at the same interval). */
  readonly ackTimeoutMs: number;
  /** Unaccepted messages of one conversation in flight at once (after the first msg:A of a round; before it, one). */
  readonly window: number;
  /** Jitter of the wait after a refusal, in [0, 1) (Math.random in production). */
  readonly random: () => number;
}

/** Where the lanes get their conversation and numbers (device-state.ts behind it). */
export interface SendNumbering {
  /** The conversation of a recipient; undefined while our user id is unknown (a 1:1 send before the first welcome). */
  conversationOf(recipient: Recipient): ConversationId | undefined;
  /** Takes the conversation's next client_seq (stored before it returns). */
  next(conversation: ConversationId): number;
  /** The numbers after `last` go back to the counter (they were never sequenced). */
  rewind(conversation: ConversationId, last: number): void;
  /**
   * The server holds counters of this device we cannot follow (CLIENT_SEQ_REUSED, or an
   * OUT_OF_ORDER naming a message we no longer have): start a new device (no counters) and
   * reconnect with it. Called after the queue went offline; it renumbers every lane after.
   */
  renewDevice(): void;
}

interface PendingSend {
  readonly message: NewMessage;
  lane: Lane | undefined;
  clientSeq: number;
  state: SendState;
  /** The lane's round of this send's last transmission (-1: not sent in the current link's rounds). */
  round: number;
  /** When msg:A came (or the last ack-timeout re-send): the ack:N wait runs from here. */
  acceptedAt: number;
  /** Accepted, its ack:N overdue: goes again when the lane's cursor passes it. */
  resendDue: boolean;
  /** msg:R copies handed to the link so far (over every connection). */
  transmissions: number;
  /** CLIENT_SEQ_REUSED refusals of it (the second one fails it). */
  reusedRefusals: number;
  readonly resolve: (receipt: SendReceipt) => void;
  readonly reject: (error: Error) => void;
}

/**
 * One conversation's sends in client_seq order. A round transmits from `cursor` on; a
 * go-back starts a new round at the oldest unaccepted message (answers to an older round's
 * copies still count, but its refusals are stale: the go-back already covers them).
 */
interface Lane {
  readonly conversation: ConversationId;
  readonly sends: PendingSend[];
  cursor: number;
  round: number;
  /** A msg:A came in this round: up to `window` unaccepted messages may be in flight; before it, one. */
  open: boolean;
  /** Go-backs in a row without a msg:A: the exponent of the next wait. */
  attempt: number;
  /** The head's accept timeout, or the wait of a go-back (then `waiting`). */
  timer: TimerHandle | undefined;
  timerFor: PendingSend | undefined;
  waiting: boolean;
  ackTimer: TimerHandle | undefined;
}

/** The ServerError fields a refusal needs. */
export interface SendRefusal {
  readonly code: number;
  readonly retryable: boolean;
  /** OUT_OF_ORDER: the client_seq the server expects next (0: not given). */
  readonly expectedClientSeq: number;
}

/**
 * The rules (docs/PROTOCOL.md "Devices and client_seq"):
 * - a conversation's client_seq 1 goes alone until its msg:A; so does the first message of
 *   every round (after a reconnect, a refusal, a timeout), since a server that lost our
 *   state accepts whatever comes first; after a msg:A up to `window` go at once;
 * - no msg:A for the oldest unaccepted message within the (doubling) retransmit timeout, or
 *   a retryable refusal (after a jittered, doubling wait): go back to the oldest unaccepted
 *   message and resend from it in order (an OUT_OF_ORDER naming an accepted message we
 *   still hold goes back to that one; one naming a message we no longer hold, and
 *   CLIENT_SEQ_REUSED, mean the server's counters are not ours: every lane is numbered
 *   again from 1 under a new device, after a reconnect; the refused message goes too, and
 *   fails only if the new device is refused CLIENT_SEQ_REUSED for it again);
 * - any other non-retryable refusal fails that message for good; the later ones of its
 *   lane take the numbers down by one (the refused number was never sequenced);
 * - no ack:N within ackTimeoutMs of msg:A: the message goes again, in lane order;
 * - timers run only while online; goOnline (after a welcome) resends every lane from its start.
 */
export class SendQueue {
  private readonly byId = new Map<MsgId, PendingSend>();
  private readonly lanes = new Map<ConversationId, Lane>();
  /** Sends that wait for our user id to know their conversation, in send() order. */
  private unplaced: PendingSend[] = [];
  private online = false;
  private retransmitCount = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timing: SendQueueTiming,
    private readonly numbering: SendNumbering,
    /** Hands one msg:R to the current link (dropped when there is none). */
    private readonly transmit: (message: OutgoingMessage) => void,
  ) {}

  /** Pending sends (awaiting msg:A or ack:N). */
  get size(): number {
    return this.byId.size;
  }

  /** msg:R copies sent after the first one of each message (timeouts, refusals, reconnects). */
  get retransmits(): number {
    return this.retransmitCount;
  }

  has(msgId: MsgId): boolean {
    return this.byId.has(msgId);
  }

  stateOf(msgId: MsgId): SendState | undefined {
    return this.byId.get(msgId)?.state;
  }

  /** The client_seq a pending send carries (undefined before it has one). */
  clientSeqOf(msgId: MsgId): number | undefined {
    const send = this.byId.get(msgId);
    return send?.lane ? send.clientSeq : undefined;
  }

  /** Queues a send at the end of its conversation's lane. Resolves on msg:A (or an ack:N that overtook it). */
  add(message: NewMessage): Promise<SendReceipt> {
    return new Promise<SendReceipt>((resolve, reject) => {
      const send: PendingSend = {
        message,
        lane: undefined,
        clientSeq: 0,
        state: 'awaiting-accept',
        round: -1,
        acceptedAt: 0,
        resendDue: false,
        transmissions: 0,
        reusedRefusals: 0,
        resolve,
        reject,
      };
      this.byId.set(message.msgId, send);
      this.unplaced.push(send);
      this.placeWaiting();
    });
  }

  /** msg:A: resolves the send and starts its ack:N wait. Returns the receipt, or undefined when it settles nothing. */
  accepted(accept: Accepted): SendReceipt | undefined {
    const send = this.byId.get(accept.msgId);
    const lane = send?.lane;
    if (!send || !lane || send.state !== 'awaiting-accept') return undefined;
    const receipt = toReceipt(accept);
    send.state = 'awaiting-ack';
    send.acceptedAt = this.clock.now();
    send.resolve(receipt);
    lane.open = true;
    lane.attempt = 0;
    if (lane.timerFor === send) this.disarm(lane);
    this.armAck(lane);
    this.pump(lane);
    return receipt;
  }

  /** ack:N: the send is done. Resolves its promise too if no msg:A came. Returns false for an unknown msgId. */
  acknowledged(ack: AckReceipt): boolean {
    const send = this.byId.get(ack.msgId);
    if (!send) return false;
    if (send.state === 'awaiting-accept') send.resolve(toReceipt(ack));
    const lane = send.lane;
    this.remove(send);
    if (lane) {
      lane.open = true;
      this.armAck(lane);
      this.pump(lane);
    }
    return true;
  }

  /**
   * An error frame naming one of our msgIds (see the class comment). `error` is what a send
   * failed for good rejects with. Returns false for an unknown msgId.
   */
  refused(msgId: MsgId, refusal: SendRefusal, error: ClientError): boolean {
    const send = this.byId.get(msgId);
    if (!send) return false;
    const lane = send.lane;
    if (!lane) return true;
    if (refusal.retryable) {
      // A refusal of an older round is covered by the go-back that began this one; an
      // accepted message's re-send will go again at its next ack timeout.
      if (send.round !== lane.round || send.state !== 'awaiting-accept') return true;
      if (refusal.code === ErrorCode.OUT_OF_ORDER && refusal.expectedClientSeq > 0) {
        // Not ahead of what the server expects: the answer to an older copy (renumbered since).
        if (refusal.expectedClientSeq >= send.clientSeq) return true;
        const expected = lane.sends.findIndex((s) => s.clientSeq === refusal.expectedClientSeq);
        if (expected < 0 && refusal.expectedClientSeq < send.clientSeq) return this.deviceLost(), true;
        const oldest = this.oldestUnaccepted(lane);
        if (expected >= 0 && expected < oldest) {
          // The server lost the state of the accepted ones from there on: all of them go again, in order.
          for (let i = expected; i < oldest; i++) lane.sends[i]!.resendDue = true;
          return this.goBack(lane, expected, this.refusalDelay(lane)), true;
        }
        // The ones before it were accepted, their msg:A still on the way (or lost: the head's timeout covers that).
        if (expected > oldest) return this.goBack(lane, expected, this.refusalDelay(lane)), true;
      }
      this.goBack(lane, this.oldestUnaccepted(lane), this.refusalDelay(lane));
      return true;
    }
    if (refusal.code === ErrorCode.CLIENT_SEQ_REUSED && send.state === 'awaiting-ack') {
      // A re-send, for its ack:N, of a message accepted before the server lost its state:
      // our counters are fine; it goes unnumbered from now on (client_seq 0).
      send.clientSeq = 0;
      return true;
    }
    if (refusal.code === ErrorCode.CLIENT_SEQ_REUSED && send.reusedRefusals++ === 0) {
      // The server has later numbers of this device than we do: our counters were lost or
      // restored from an older copy, another client shares our device, or the server lost
      // its state and sequenced later messages of ours first. The message was not sequenced
      // (a sequenced msgId is answered with its position): it goes again from a new device.
      this.deviceLost();
      return true;
    }
    const wasAccepted = send.state === 'awaiting-ack';
    const index = lane.sends.indexOf(send);
    this.remove(send);
    if (!wasAccepted) send.reject(error);
    if (refusal.code === ErrorCode.CLIENT_SEQ_REUSED) {
      this.deviceLost(); // refused again on a new device: failed, and the others go on from yet another
    } else if (!wasAccepted) {
      // The refused number was never sequenced: the later messages close the hole.
      for (let i = index; i < lane.sends.length; i++) if (lane.sends[i]!.clientSeq > send.clientSeq) lane.sends[i]!.clientSeq -= 1;
      this.numbering.rewind(lane.conversation, Math.max(send.clientSeq - 1, ...lane.sends.map((s) => s.clientSeq)));
      if (this.online && lane.sends.length > 0) this.goBack(lane, this.oldestUnaccepted(lane), 0);
    }
    return true;
  }

  /** A link is ready (after welcome): every lane goes back to its start, in conversation order. */
  goOnline(): void {
    this.online = true;
    for (const lane of [...this.lanes.values()]) {
      lane.attempt = 0;
      this.goBack(lane, 0, 0);
      this.armAck(lane);
    }
    this.placeWaiting(); // sends made before the first welcome: numbered now that our user is known
  }

  /** The link is gone: timers stop until the next goOnline. */
  goOffline(): void {
    this.online = false;
    for (const lane of this.lanes.values()) {
      this.disarm(lane);
      if (lane.ackTimer) this.clock.clearTimeout(lane.ackTimer);
      lane.ackTimer = undefined;
    }
  }

  /** Rejects every send still awaiting msg:A with `error` and empties the queue. */
  failAll(error: Error): void {
    this.goOffline();
    const sends = [...this.byId.values()];
    this.byId.clear();
    this.lanes.clear();
    this.unplaced = [];
    for (const send of sends) if (send.state === 'awaiting-accept') send.reject(error);
  }

  /** Gives waiting sends their lane and number, once their conversation is known. */
  private placeWaiting(): void {
    const still: PendingSend[] = [];
    for (const send of this.unplaced) {
      const conversation = this.numbering.conversationOf(send.message);
      if (!conversation) {
        still.push(send);
        continue;
      }
      let lane = this.lanes.get(conversation);
      if (!lane) {
        lane = { conversation, sends: [], cursor: 0, round: 0, open: false, attempt: 0, timer: undefined, timerFor: undefined, waiting: false, ackTimer: undefined };
        this.lanes.set(conversation, lane);
      }
      send.lane = lane;
      send.clientSeq = this.numbering.next(conversation);
      lane.sends.push(send);
      this.pump(lane);
    }
    this.unplaced = still;
  }

  /** Transmits what the lane's round may send now, then watches its head. */
  private pump(lane: Lane): void {
    if (!this.online || lane.waiting) return;
    const limit = lane.open ? this.timing.window : 1;
    let inFlight = 0;
    for (let i = 0; i < lane.cursor && i < lane.sends.length; i++) {
      const send = lane.sends[i]!;
      if (send.state === 'awaiting-accept' && send.round === lane.round) inFlight += 1;
    }
    while (lane.cursor < lane.sends.length) {
      const send = lane.sends[lane.cursor]!;
      if (send.state === 'awaiting-accept') {
        if (inFlight >= limit) break;
        inFlight += 1;
      } else if (!send.resendDue) {
        lane.cursor += 1;
        continue;
      }
      lane.cursor += 1;
      send.resendDue = false;
      send.round = lane.round;
      this.send(send);
    }
    this.armHead(lane);
  }

  private send(send: PendingSend): void {
    if (send.transmissions > 0) this.retransmitCount += 1;
    send.transmissions += 1;
    this.transmit({ ...send.message, clientSeq: send.clientSeq });
  }

  /** A new round from `from`: after `delayMs` (nothing of the lane goes meanwhile), or at once. */
  private goBack(lane: Lane, from: number, delayMs: number): void {
    this.disarm(lane);
    lane.round += 1;
    lane.open = false;
    lane.cursor = Math.max(0, from);
    if (!this.online) return;
    if (delayMs <= 0) return this.pump(lane);
    lane.waiting = true;
    lane.timer = this.clock.setTimeout(() => {
      lane.timer = undefined;
      lane.waiting = false;
      this.pump(lane);
    }, delayMs);
  }

  /** The head (oldest unaccepted message sent in this round) gets the accept timeout. */
  private armHead(lane: Lane): void {
    if (!this.online || lane.waiting) return;
    const index = this.oldestUnaccepted(lane);
    const head = index < lane.cursor ? lane.sends[index] : undefined;
    if (lane.timerFor === head && (head === undefined || lane.timer)) return;
    this.disarm(lane);
    if (!head) return;
    const delay = backoffCeilingMs({ minDelayMs: this.timing.retransmitTimeoutMs, maxDelayMs: this.timing.maxRetransmitTimeoutMs }, lane.attempt);
    lane.timerFor = head;
    lane.timer = this.clock.setTimeout(() => {
      lane.timer = undefined;
      lane.timerFor = undefined;
      if (!this.online || this.lanes.get(lane.conversation) !== lane) return;
      lane.attempt += 1;
      this.goBack(lane, this.oldestUnaccepted(lane), 0);
    }, delay);
  }

  /** One ack:N timer per lane, for the accepted message waiting longest. */
  private armAck(lane: Lane): void {
    if (lane.ackTimer) this.clock.clearTimeout(lane.ackTimer);
    lane.ackTimer = undefined;
    if (!this.online) return;
    let oldest: number | undefined;
    for (const send of lane.sends) if (send.state === 'awaiting-ack' && (oldest === undefined || send.acceptedAt < oldest)) oldest = send.acceptedAt;
    if (oldest === undefined) return;
    lane.ackTimer = this.clock.setTimeout(() => {
      lane.ackTimer = undefined;
      if (!this.online || this.lanes.get(lane.conversation) !== lane) return;
      const now = this.clock.now();
      let first: number | undefined;
      lane.sends.forEach((send, i) => {
        if (send.state !== 'awaiting-ack' || send.acceptedAt + this.timing.ackTimeoutMs > now) return;
        send.resendDue = true;
        send.acceptedAt = now;
        first ??= i;
      });
      if (first !== undefined && first < lane.cursor) this.goBack(lane, first, 0);
      else this.pump(lane);
      this.armAck(lane);
    }, oldest + this.timing.ackTimeoutMs - this.clock.now());
  }

  private disarm(lane: Lane): void {
    if (lane.timer) this.clock.clearTimeout(lane.timer);
    lane.timer = undefined;
    lane.timerFor = undefined;
    lane.waiting = false;
  }

  /** Index of the lane's oldest unaccepted message (the lane's length when there is none). */
  private oldestUnaccepted(lane: Lane): number {
    const index = lane.sends.findIndex((s) => s.state === 'awaiting-accept');
    return index < 0 ? lane.sends.length : index;
  }

  /** The wait after a retryable refusal: doubling per go-back in a row, jittered over its upper half. */
  private refusalDelay(lane: Lane): number {
    lane.attempt += 1;
    return equalJitterMs({ minDelayMs: this.timing.retransmitTimeoutMs, maxDelayMs: this.timing.maxRetransmitTimeoutMs }, lane.attempt, this.timing.random);
  }

  /** New device: every lane is numbered again from 1, in order, and waits for the reconnect. */
  private deviceLost(): void {
    this.goOffline();
    this.numbering.renewDevice();
    for (const lane of this.lanes.values()) {
      lane.round += 1;
      for (const send of lane.sends) {
        // Accepted ones are sequenced already: their re-sends (for ack:N) go unnumbered.
        send.clientSeq = send.state === 'awaiting-accept' ? this.numbering.next(lane.conversation) : 0;
        send.round = -1;
      }
    }
  }

  private remove(send: PendingSend): void {
    this.byId.delete(send.message.msgId);
    const lane = send.lane;
    if (!lane) {
      this.unplaced = this.unplaced.filter((s) => s !== send);
      return;
    }
    const index = lane.sends.indexOf(send);
    if (index >= 0) {
      lane.sends.splice(index, 1);
      if (index < lane.cursor) lane.cursor -= 1;
    }
    if (lane.timerFor === send) this.disarm(lane);
    if (lane.sends.length === 0) {
      this.disarm(lane);
      if (lane.ackTimer) this.clock.clearTimeout(lane.ackTimer);
      this.lanes.delete(lane.conversation);
    }
  }
}

function toReceipt(at: { msgId: MsgId; conversation: ConversationId; position: { epoch: Epoch; seq: Seq } }): SendReceipt {
  return { msgId: at.msgId, conversation: at.conversation, epoch: at.position.epoch, seq: at.position.seq };
}
