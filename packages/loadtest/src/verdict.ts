// The verdict: were messages lost, shown twice or out of order, did every message get its
// ack:N, did two messages ever share a position? Receivers record what arrived in a
// ReceiptLedger (per connection, no I/O); senders report what they sent, the positions they
// were given and what was never acknowledged; `judgeRun` checks every message against every
// receiver. A message that arrived only after the drain started is late, not lost; lost is
// what never arrived, after the run waited for quiet.
import { DenseNumberMap } from './dense-map';

/** What one connection received from one sender in one conversation. */
export interface ReceiptReport {
  readonly receiver: string;
  readonly conversation: string;
  readonly from: string;
  /** Distinct client_seqs received, as sorted disjoint inclusive ranges [first, last]. */
  readonly clientSeqRanges: ReadonlyArray<readonly [number, number]>;
}

/** Anomalies a receiver saw by itself, counted as they happened. */
export interface ReceiptCounters {
  /** First arrivals of a message. */
  delivered: number;
  /** The same message at the same position again (the server re-pushes until acked: legal). */
  redelivered: number;
  /** The same message (sender, client_seq) at a second position of the same epoch: the server's dedupe failed. */
  duplicated: number;
  /**
   * The same message again at a position of another epoch: the server lost its state and
   * sequenced a retransmit anew. A client drops it by (from_user, msg_id), as the receiver
   * rules say: not shown twice, counted apart.
   */
  reSequenced: number;
  /** First arrivals after the drain started (sending had stopped): arrived, but late. */
  late: number;
  /** Conversations entering a new epoch after their first one. */
  epochChanges: number;
  /** One position carrying two different messages. */
  conflicts: number;
  /** A first arrival with a seq below one already seen in the same epoch. */
  reorderedBySeq: number;
  /** A first arrival whose client_seq is below one already seen from the same sender. */
  reorderedBySender: number;
}

export const emptyReceiptCounters = (): ReceiptCounters => ({
  delivered: 0,
  redelivered: 0,
  duplicated: 0,
  reSequenced: 0,
  late: 0,
  epochChanges: 0,
  conflicts: 0,
  reorderedBySeq: 0,
  reorderedBySender: 0,
});

/** What one sender sent into one conversation. Its messages carry client_seq 1..sent. */
export interface SenderReport {
  readonly from: string;
  readonly conversation: string;
  readonly sent: number;
  /** client_seqs refused for good (a non-retryable error) before any msg:A: not expected anywhere. */
  readonly refused: readonly number[];
  /** CLIENT_SEQ_REUSED refusals: the server thinks this device reused a client_seq (a failure: the tester never does). */
  readonly clientSeqReused: number;
  /** client_seqs never answered by msg:A. */
  readonly unanswered: readonly number[];
  /** client_seqs answered by msg:A but never by ack:N (the sender never learnt the outcome). */
  readonly unacked: readonly number[];
  /** [client_seq, epoch, seq] of every msg:A. */
  readonly accepted: ReadonlyArray<readonly [number, string, number]>;
  /** msg:A answers that gave an already-answered message a different position in the same epoch. */
  readonly positionChanges: number;
  /** msg:A answers that gave an already-answered message a position in another epoch (the server lost its state). */
  readonly reSequenced: number;
}

export type ReceiptOutcome = 'first' | 'redelivered' | 're-sequenced' | 'duplicated' | 'conflict';

/** What one receiver got from one sender in one conversation. */
interface SenderReceipts {
  /** client_seq -> (position key + 1) of its first arrival; 0: not arrived. */
  readonly positionOf: DenseNumberMap;
  /** Highest client_seq first received. */
  lastClientSeq: number;
}

/** What one receiver got in one conversation; a receiver holds on to it across deliveries (ReceiptLedger.receiptsOf). */
export interface ConversationReceipts {
  readonly conversation: string;
  /** Epochs seen, in order: a position is (index in this list, seq). */
  readonly epochs: string[];
  /** Highest seq first received, per epoch index (seqs of different epochs are not compared). */
  readonly lastSeq: number[];
  /** Per epoch index: seq -> (message key + 1) of what arrived there (see positionKey, messageKey). */
  readonly messageAt: DenseNumberMap[];
  /** Per sender index of the ledger. */
  readonly bySender: Array<SenderReceipts | undefined>;
}

// Keys are numbers, not `epoch#seq` / `from#clientSeq` strings: a receiver records millions
// of deliveries in a fan-out run, and two strings per delivery made the tester, not the
// server, the bottleneck. index * 2^32 + n stays exact below 2^53 (index < 2^21, n < 2^32).
const SPLIT = 2 ** 32;
const keyOf = (index: number, n: number): number => index * SPLIT + n;
const indexOf = (key: number): number => Math.floor(key / SPLIT);
const nOf = (key: number): number => key % SPLIT;

/**
 * The receiving side of one connection: every message shown is recorded once here, and
 * judged as it comes (per conversation: the same message at a second position, two
 * messages at one position, a seq below one already seen in the epoch, a client_seq below
 * one already seen from the sender) and at the end (`reports`: which client_seqs of each
 * sender arrived, for the lost count).
 */
export class ReceiptLedger {
  readonly counters = emptyReceiptCounters();
  private readonly conversations = new Map<string, ConversationReceipts>();
  /** Senders seen by this receiver; a message key holds the sender's index here. */
  private readonly senders: string[] = [];
  private readonly senderIndex = new Map<string, number>();
  /** A few anomalies, for people. */
  readonly samples: string[] = [];
  /** Set when the drain starts: first arrivals from then on are late. */
  draining = false;

  constructor(readonly receiver: string) {}

  record(conversation: string, epoch: string, seq: number, from: string, clientSeq: number): ReceiptOutcome {
    return this.recordIn(this.receiptsOf(conversation), epoch, seq, this.senderOf(from), clientSeq);
  }

  /** The receipts of one conversation (kept by a caller that records many messages of it). */
  receiptsOf(conversation: string): ConversationReceipts {
    let c = this.conversations.get(conversation);
    if (!c) {
      c = { conversation, epochs: [], lastSeq: [], messageAt: [], bySender: [] };
      this.conversations.set(conversation, c);
    }
    return c;
  }

  /** The index of a sender in this ledger (kept by a caller that records many messages from it). */
  senderOf(from: string): number {
    let sender = this.senderIndex.get(from);
    if (sender === undefined) {
      sender = this.senders.push(from) - 1;
      this.senderIndex.set(from, sender);
    }
    return sender;
  }

  /** `record`, with the conversation's receipts and the sender's index at hand. */
  recordIn(c: ConversationReceipts, epoch: string, seq: number, sender: number, clientSeq: number): ReceiptOutcome {
    let epochIndex = c.epochs.lastIndexOf(epoch);
    if (epochIndex < 0) {
      epochIndex = c.epochs.push(epoch) - 1;
      c.messageAt.push(new DenseNumberMap());
      c.lastSeq.push(0);
      if (epochIndex > 0) this.counters.epochChanges++;
    }
    let fromSender = c.bySender[sender];
    if (!fromSender) c.bySender[sender] = fromSender = { positionOf: new DenseNumberMap(), lastClientSeq: 0 };
    const message = keyOf(sender, clientSeq);
    const messageAt = c.messageAt[epochIndex]!;
    const atPosition = messageAt.get(seq) - 1;
    const previousPosition = fromSender.positionOf.get(clientSeq) - 1;
    if (atPosition >= 0) {
      if (atPosition === message) {
        this.counters.redelivered++;
        return 'redelivered';
      }
      this.counters.conflicts++;
      this.sample(`${this.receiver} ${c.conversation}: position ${epoch}#${seq} carried ${this.messageName(atPosition)} and then ${this.messageName(message)}`);
      return 'conflict';
    }
    messageAt.set(seq, message + 1);
    if (previousPosition >= 0 && indexOf(previousPosition) !== epochIndex) {
      this.counters.reSequenced++;
      return 're-sequenced';
    }
    if (previousPosition >= 0) {
      this.counters.duplicated++;
      this.sample(`${this.receiver} ${c.conversation}: ${this.messageName(message)} arrived at ${c.epochs[indexOf(previousPosition)]}#${nOf(previousPosition)} and again at ${epoch}#${seq}`);
      return 'duplicated';
    }
    fromSender.positionOf.set(clientSeq, keyOf(epochIndex, seq) + 1);
    this.counters.delivered++;
    if (this.draining) this.counters.late++;
    const lastSeq = c.lastSeq[epochIndex]!;
    if (seq < lastSeq) {
      this.counters.reorderedBySeq++;
      this.sample(`${this.receiver} ${c.conversation}: seq ${seq} arrived after seq ${lastSeq}`);
    } else {
      c.lastSeq[epochIndex] = seq;
    }
    if (clientSeq < fromSender.lastClientSeq) {
      this.counters.reorderedBySender++;
      this.sample(`${this.receiver} ${c.conversation}: ${this.senders[sender]}'s #${clientSeq} arrived after #${fromSender.lastClientSeq}`);
    } else {
      fromSender.lastClientSeq = clientSeq;
    }
    return 'first';
  }

  /**
   * A msg:N whose msg_id does not name the client_seq it carries (the tester's ids are
   * `m<client_seq>`): the server mixed up two messages. Counted as a conflict.
   */
  misidentified(conversation: string, from: string, msgId: string, clientSeq: number): void {
    this.counters.conflicts++;
    this.sample(`${this.receiver} ${conversation}: msg_id ${msgId} from ${from} carried client_seq ${clientSeq}`);
  }

  private messageName(message: number): string {
    return `${this.senders[indexOf(message)]}#${nOf(message)}`;
  }

  reports(): ReceiptReport[] {
    const out: ReceiptReport[] = [];
    for (const [conversation, c] of this.conversations) {
      c.bySender.forEach((fromSender, sender) => {
        if (fromSender && fromSender.positionOf.size > 0) out.push({ receiver: this.receiver, conversation, from: this.senders[sender]!, clientSeqRanges: toRanges(fromSender.positionOf.keys()) });
      });
    }
    return out;
  }

  private sample(line: string): void {
    if (this.samples.length < 10) this.samples.push(line);
  }
}

/** Sorted disjoint inclusive ranges covering the distinct values. */
export function toRanges(values: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const v of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && v === last[1] + 1) last[1] = v;
    else ranges.push([v, v]);
  }
  return ranges;
}

export interface Stream {
  readonly from: string;
  readonly conversation: string;
  readonly receivers: readonly string[];
}

export interface Verdict {
  /** (message, receiver) pairs never received: every sent, not refused message must reach every receiver. */
  readonly lost: number;
  /** Messages shown twice: at two positions, or two messages at one position, or re-positioned by a msg:A. */
  readonly duplicated: number;
  /** Out of order: by seq at a receiver, by the sender's numbering at a receiver, or sequenced against the sender's order. */
  readonly reordered: number;
  /** (message, receiver) pairs that arrived, but only after the drain started. Not a failure by itself. */
  readonly late: number;
  /** Messages sent (not refused) whose sender never got their ack:N: a failure. */
  readonly missingAckN: number;
  /** Positions (epoch, seq) given to two different messages of a conversation (by msg:A or at a receiver): a failure. */
  readonly sharedPositions: number;
  /** CLIENT_SEQ_REUSED refusals (the tester never reuses a client_seq): a failure. */
  readonly clientSeqReused: number;
  /**
   * Messages refused for good (a non-retryable error, e.g. NOT_A_MEMBER to a member):
   * the tester only sends valid messages, so the server refusing one is a failure (they are
   * not expected at receivers, and not counted as lost).
   */
  readonly refused: number;
  readonly detail: {
    readonly expectedDeliveries: number;
    readonly delivered: number;
    readonly redelivered: number;
    /** Copies of a message at a position of a later epoch, dropped by (from_user, msg_id): see ReceiptCounters.reSequenced. */
    readonly reSequenced: number;
    /** New epochs entered by conversations at receivers (the server's counters restarted). */
    readonly epochChanges: number;
    readonly unanswered: number;
    readonly unacked: number;
    readonly refused: number;
    readonly receiverDuplicates: number;
    readonly positionConflicts: number;
    readonly positionChanges: number;
    readonly reorderedBySeq: number;
    readonly reorderedBySender: number;
    readonly sequencedOutOfOrder: number;
    /** (message, receiver) pairs not received because the receiver never connected: kept by the server, not lost. */
    readonly toNeverConnected: number;
  };
  readonly samples: readonly string[];
}

const receiptKey = (receiver: string, conversation: string, from: string): string => `${receiver}\u0000${conversation}\u0000${from}`;
const senderKey = (from: string, conversation: string): string => `${from}\u0000${conversation}`;

/** Checks every sent message against every receiver of its stream. Pure. */
export function judgeRun(
  streams: Iterable<Stream>,
  senders: readonly SenderReport[],
  receipts: readonly ReceiptReport[],
  counters: readonly ReceiptCounters[],
  receiverSamples: readonly string[] = [],
  /** Receivers whose connection never came up: what they never got is not lost (the server keeps it for them), it is counted apart. */
  neverConnected: ReadonlySet<string> = new Set(),
): Verdict {
  const samples = [...receiverSamples];
  const sample = (line: string): void => {
    if (samples.length < 20) samples.push(line);
  };
  const receiptIndex = new Map<string, ReceiptReport>();
  for (const r of receipts) receiptIndex.set(receiptKey(r.receiver, r.conversation, r.from), r);
  const senderIndex = new Map<string, SenderReport>();
  for (const s of senders) senderIndex.set(senderKey(s.from, s.conversation), s);

  let lost = 0;
  let expectedDeliveries = 0;
  let unanswered = 0;
  let unacked = 0;
  let refused = 0;
  let clientSeqReused = 0;
  let positionChanges = 0;
  let senderReSequenced = 0;
  let sharedPositions = 0;
  /** conversation -> (epoch#seq -> from#clientSeq) of every msg:A. */
  const positions = new Map<string, Map<string, string>>();
  let sequencedOutOfOrder = 0;
  let toNeverConnected = 0;
  for (const stream of streams) {
    const report = senderIndex.get(senderKey(stream.from, stream.conversation));
    if (!report) continue; // this stream sent nothing
    unanswered += report.unanswered.length;
    unacked += report.unacked.length;
    refused += report.refused.length;
    clientSeqReused += report.clientSeqReused;
    positionChanges += report.positionChanges;
    senderReSequenced += report.reSequenced;
    for (const clientSeq of report.unacked) sample(`no ack:N: ${stream.from} #${clientSeq} in ${stream.conversation} (msg:A came)`);
    for (const clientSeq of report.unanswered) sample(`no msg:A nor ack:N: ${stream.from} #${clientSeq} in ${stream.conversation}`);
    let taken = positions.get(stream.conversation);
    if (!taken) positions.set(stream.conversation, (taken = new Map()));
    for (const [clientSeq, epoch, seq] of report.accepted) {
      const key = `${epoch}#${seq}`;
      const message = `${stream.from}#${clientSeq}`;
      const holder = taken.get(key);
      if (holder === undefined) taken.set(key, message);
      else if (holder !== message) {
        sharedPositions++;
        sample(`shared position: ${stream.conversation} ${key} was given to ${holder} and to ${message}`);
      }
    }
    const refusedSet = new Set(report.refused);
    for (const receiver of stream.receivers) {
      const ranges = receiptIndex.get(receiptKey(receiver, stream.conversation, stream.from))?.clientSeqRanges ?? [];
      let r = 0;
      for (let clientSeq = 1; clientSeq <= report.sent; clientSeq++) {
        if (refusedSet.has(clientSeq)) continue;
        expectedDeliveries++;
        while (r < ranges.length && ranges[r]![1] < clientSeq) r++;
        const range = ranges[r];
        if (!range || range[0] > clientSeq) {
          if (neverConnected.has(receiver)) {
            toNeverConnected++;
            continue;
          }
          lost++;
          sample(`lost: ${stream.from} #${clientSeq} in ${stream.conversation} never reached ${receiver}`);
        }
      }
    }
    // The server must sequence one sender's messages in the order they were sent.
    const accepted = [...report.accepted].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < accepted.length; i++) {
      const [prevClientSeq, prevEpoch, prevSeq] = accepted[i - 1]!;
      const [clientSeq, epoch, seq] = accepted[i]!;
      if (epoch === prevEpoch && seq <= prevSeq) {
        sequencedOutOfOrder++;
        sample(`sequenced out of order: ${stream.from} #${clientSeq} got seq ${seq} after #${prevClientSeq} got seq ${prevSeq}`);
      }
    }
  }
  const sum = (pick: (c: ReceiptCounters) => number): number => counters.reduce((total, c) => total + pick(c), 0);
  const receiverDuplicates = sum((c) => c.duplicated);
  const positionConflicts = sum((c) => c.conflicts);
  const reorderedBySeq = sum((c) => c.reorderedBySeq);
  const reorderedBySender = sum((c) => c.reorderedBySender);
  return {
    lost,
    duplicated: receiverDuplicates + positionChanges,
    reordered: reorderedBySeq + reorderedBySender + sequencedOutOfOrder,
    late: sum((c) => c.late),
    missingAckN: unanswered + unacked,
    sharedPositions: sharedPositions + positionConflicts,
    clientSeqReused,
    refused,
    detail: {
      expectedDeliveries,
      delivered: sum((c) => c.delivered),
      redelivered: sum((c) => c.redelivered),
      reSequenced: sum((c) => c.reSequenced) + senderReSequenced,
      epochChanges: sum((c) => c.epochChanges),
      unanswered,
      unacked,
      refused,
      receiverDuplicates,
      positionConflicts,
      positionChanges,
      reorderedBySeq,
      reorderedBySender,
      sequencedOutOfOrder,
      toNeverConnected,
    },
    samples,
  };
}

/**
 * Deliveries expected (every sent, not refused message, once per receiver) per kind of
 * receiver, e.g. per transport: shows which receivers the verdict's figures cover. Pure.
 */
export function expectedDeliveriesBy<K>(streams: Iterable<Stream>, senders: readonly SenderReport[], kindOf: (receiver: string) => K): Map<K, number> {
  const senderIndex = new Map<string, SenderReport>();
  for (const s of senders) senderIndex.set(senderKey(s.from, s.conversation), s);
  const expected = new Map<K, number>();
  for (const stream of streams) {
    const report = senderIndex.get(senderKey(stream.from, stream.conversation));
    if (!report) continue;
    const perReceiver = report.sent - report.refused.length;
    for (const receiver of stream.receivers) {
      const kind = kindOf(receiver);
      expected.set(kind, (expected.get(kind) ?? 0) + perReceiver);
    }
  }
  return expected;
}

export const verdictPassed = (v: Verdict): boolean =>
  v.lost === 0 && v.duplicated === 0 && v.reordered === 0 && v.missingAckN === 0 && v.sharedPositions === 0 && v.clientSeqReused === 0 && v.refused === 0;

/** The verdict in one line, for people and result files. */
export function verdictLine(v: Verdict): string {
  return (
    `${verdictPassed(v) ? 'PASS' : 'FAIL'}: lost ${v.lost}, duplicated ${v.duplicated}, reordered ${v.reordered}, missing ack:N ${v.missingAckN}, ` +
    `shared positions ${v.sharedPositions}, client_seq reused ${v.clientSeqReused}, refused ${v.refused}; late ${v.late} of ${v.detail.expectedDeliveries} deliveries`
  );
}
