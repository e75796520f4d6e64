// One device's outbox for one conversation, as PROTOCOL.md's sender rules and client_seq rule
// want it: client_seq 1, 2, 3, ... with no gaps; client_seq 1 alone until its msg:A; after
// that pipelined; unaccepted messages (re)transmitted strictly in client_seq order from the
// oldest one (go-back-N: one ordered queue and one retransmit timer, never a timer per
// message); OUT_OF_ORDER resent from `expected_client_seq`; other retryable refusals resent
// after a backoff with full jitter, and then with a window of unaccepted messages in flight
// that starts at 1 and doubles with each msg:A (a rate-limited client that resends its whole
// queue at once is only refused again, and closed for flooding); a message settled by its
// ack:N. No I/O, clock and randomness injected: the caller writes what `due` returns.
import { backoffCeilingMs, fullJitterMs, type BackoffPolicy } from '@parley/protocol';

export interface SendQueueTiming {
  /** First retransmit timeout of an unaccepted message (doubles while nothing is accepted). */
  readonly retransmitMs: number;
  /** Cap of the doubling retransmit timeout. */
  readonly maxRetransmitMs: number;
  /** After msg:A, a message with no ack:N for this long is sent again (sender rule 3). */
  readonly ackTimeoutMs: number;
}

export interface Outgoing<T> {
  readonly clientSeq: number;
  readonly message: T;
  accepted: boolean;
  /** Writes so far (0: never written; more than 1: retransmitted). */
  writes: number;
  lastWriteMs: number;
  /** The go-back pass this message was last written in: refusals of an older pass are stale. */
  pass: number;
}

export type Refusal = 'go-back' | 'backoff' | 'stale' | 'unknown';

/** A window that grew this far after a refusal is lifted. */
const MAX_WINDOW = 256;

export class SendQueue<T> {
  private readonly entries = new Map<number, Outgoing<T>>();
  /** Highest client_seq handed out. */
  private last = 0;
  /** Next client_seq to write in the current pass. */
  private cursor = 1;
  private pass = 0;
  /** The current pass also rewrites accepted messages still waiting for their ack:N (after a reconnect or resync:N). */
  private rewriteAccepted = false;
  private firstAccepted = false;
  /** Retransmits of the oldest unaccepted message since something was accepted (the timeout doubles with each). */
  private retransmitAttempt = 0;
  private holdUntilMs = 0;
  private backoffAttempt = 0;
  /** Most unaccepted messages written and in flight at once (Infinity: no limit, until a refusal asks to slow down). */
  private window = Infinity;
  /** Writes that were retransmits. */
  retransmits = 0;
  /**
   * No accepted message's ack timeout runs out before this: at most the earliest of their
   * `lastWriteMs + ackTimeoutMs`. `due` walks the queue for sender rule 3 only from then, so
   * a queue of messages waiting for their ack:N is not walked at every msg:A, ack:N and send
   * (which made a lagging tester slower the further it lagged).
   */
  private ackCheckAtMs = Infinity;

  constructor(
    private readonly timing: SendQueueTiming,
    private readonly random: () => number = Math.random,
  ) {}

  /** Retransmit timeouts and refusal backoffs: from retransmitMs, doubling, capped at maxRetransmitMs. */
  private backoffPolicy(): BackoffPolicy {
    return { minDelayMs: this.timing.retransmitMs, maxDelayMs: this.timing.maxRetransmitMs };
  }

  private retransmitTimeoutMs(): number {
    return backoffCeilingMs(this.backoffPolicy(), this.retransmitAttempt);
  }

  /** Messages not yet settled by an ack:N (or a refusal for good). */
  get size(): number {
    return this.entries.size;
  }

  /** Appends a message with the next client_seq; it goes out at the next `due` allowed to write it. */
  push(make: (clientSeq: number) => T): Outgoing<T> {
    const clientSeq = ++this.last;
    const entry: Outgoing<T> = { clientSeq, message: make(clientSeq), accepted: false, writes: 0, lastWriteMs: 0, pass: -1 };
    this.entries.set(clientSeq, entry);
    return entry;
  }

  get(clientSeq: number): Outgoing<T> | undefined {
    return this.entries.get(clientSeq);
  }

  unsettled(): IterableIterator<Outgoing<T>> {
    return this.entries.values();
  }

  /**
   * What to write now, in order. The caller writes each (on a link that is up). Returns
   * nothing while a refusal's backoff runs.
   */
  due(nowMs: number): Array<Outgoing<T>> {
    if (nowMs < this.holdUntilMs) return [];
    const out: Array<Outgoing<T>> = [];
    // One timer for the queue: the oldest unaccepted message written this long ago sends everything unaccepted again, in order.
    const oldest = this.oldestUnaccepted();
    if (oldest && oldest.writes > 0 && oldest.clientSeq < this.cursor && nowMs - oldest.lastWriteMs >= this.retransmitTimeoutMs()) {
      this.goBack(oldest.clientSeq, false);
      this.retransmitAttempt++;
    }
    let inFlight = this.window === Infinity ? 0 : this.unacceptedInFlight();
    for (; this.cursor <= this.last; this.cursor++) {
      if (!this.firstAccepted && this.cursor > 1) break; // client_seq 1 alone until its msg:A
      const entry = this.entries.get(this.cursor);
      if (!entry) continue; // settled
      if (entry.accepted && !this.rewriteAccepted) continue;
      if (!entry.accepted && inFlight >= this.window) break;
      if (!entry.accepted) inFlight++;
      out.push(this.written(entry, nowMs));
    }
    if (this.cursor > this.last) this.rewriteAccepted = false;
    // Sender rule 3: accepted, and no ack:N for ackTimeoutMs.
    if (nowMs >= this.ackCheckAtMs) {
      let next = Infinity;
      for (const entry of this.entries.values()) {
        if (!entry.accepted) continue;
        if (entry.clientSeq < this.cursor && nowMs - entry.lastWriteMs >= this.timing.ackTimeoutMs) out.push(this.written(entry, nowMs));
        next = Math.min(next, entry.lastWriteMs + this.timing.ackTimeoutMs);
      }
      this.ackCheckAtMs = next;
    }
    return out;
  }

  /**
   * A new link (welcome) or resync:N: everything unaccepted goes out again, in order, from
   * the oldest; with `rewriteAccepted`, also the accepted messages still waiting for an
   * ack:N (after a new link: that ack:N may have died with the old one).
   */
  restart(rewriteAccepted: boolean): void {
    if (this.holdUntilMs === Infinity) return;
    this.holdUntilMs = 0;
    this.retransmitAttempt = 0;
    const first = this.entries.keys().next();
    this.goBack(first.done ? this.last + 1 : first.value, rewriteAccepted);
  }

  /** msg:A: the message is sequenced. */
  accepted(clientSeq: number): Outgoing<T> | undefined {
    const entry = this.entries.get(clientSeq);
    if (clientSeq === 1) this.firstAccepted = true;
    if (!entry || entry.accepted) return undefined;
    entry.accepted = true;
    this.ackCheckAtMs = Math.min(this.ackCheckAtMs, entry.lastWriteMs + this.timing.ackTimeoutMs);
    this.retransmitAttempt = 0;
    this.backoffAttempt = 0;
    if (this.window !== Infinity) this.window = this.window >= MAX_WINDOW ? Infinity : this.window * 2;
    return entry;
  }

  /** ack:N (or a refusal for good): the message leaves the queue. */
  settle(clientSeq: number): Outgoing<T> | undefined {
    const entry = this.entries.get(clientSeq);
    if (clientSeq === 1) this.firstAccepted = true;
    if (!entry) return undefined;
    this.entries.delete(clientSeq);
    return entry;
  }

  /**
   * A retryable refusal of `clientSeq`. OUT_OF_ORDER (with `expectedClientSeq`) goes back to
   * that one at once; any other waits a backoff (full jitter) and goes back to the refused
   * message. Refusals answering an older pass are stale: that pass was already redone.
   */
  refused(clientSeq: number, expectedClientSeq: number | undefined, nowMs: number): Refusal {
    const entry = this.entries.get(clientSeq);
    if (!entry) return 'unknown';
    if (entry.pass < this.pass) return 'stale';
    if (expectedClientSeq !== undefined && expectedClientSeq > 0) {
      this.goBack(Math.min(expectedClientSeq, clientSeq), false);
      return 'go-back';
    }
    this.backoffAttempt++;
    this.window = 1;
    this.holdUntilMs = nowMs + fullJitterMs(this.backoffPolicy(), this.backoffAttempt - 1, this.random);
    this.goBack(clientSeq, false);
    return 'backoff';
  }

  /** Nothing more is written (the conversation cannot go on): what is unsettled stays so, and the verdict sees it. */
  halt(): void {
    this.holdUntilMs = Infinity;
  }

  /** Unaccepted messages written in the current pass: in flight. */
  private unacceptedInFlight(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (!entry.accepted && entry.writes > 0 && entry.pass === this.pass && entry.clientSeq < this.cursor) n++;
    return n;
  }

  private oldestUnaccepted(): Outgoing<T> | undefined {
    for (const entry of this.entries.values()) if (!entry.accepted) return entry;
    return undefined;
  }

  private goBack(from: number, rewriteAccepted: boolean): void {
    this.pass++;
    this.cursor = Math.min(this.cursor, Math.max(1, from));
    if (rewriteAccepted) this.rewriteAccepted = true;
  }

  private written(entry: Outgoing<T>, nowMs: number): Outgoing<T> {
    if (entry.writes > 0) this.retransmits++;
    entry.writes++;
    entry.lastWriteMs = nowMs;
    if (entry.accepted) this.ackCheckAtMs = Math.min(this.ackCheckAtMs, nowMs + this.timing.ackTimeoutMs);
    entry.pass = this.pass;
    return entry;
  }
}
