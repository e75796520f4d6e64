// A client connection over HTTP long-polling (docs/PROTOCOL.md, "HTTP fallback"): frames
// queue up until a `recv` takes them as one numbered batch, kept until the next `recv`
// acknowledges it. Pure logic: the HTTP answers come in as PollAnswers, time from a Clock.
import { CloseCode } from '@parley/protocol';
import type { Clock, TimerHandle } from '@parley/ports';
import type { ClientLink } from './client-link';
import type { ConnectionState } from './connection';

/** Close code of a session whose open request went away unanswered (as a WebSocket dropped without a close frame). */
export const LINK_LOST = 1006;

/**
 * One pending HTTP request the session answers: the open request (until `welcome`) or a
 * held `recv`. The session calls at most one method, at most once, and never after the
 * owner reported the request gone with `abandon`.
 */
export interface PollAnswer {
  /** Ends the request with `frames`; `batch` is their batch number, 0 when the answer is not numbered (empty, or the open answer). */
  frames(batch: number, frames: readonly Uint8Array[]): void;
  /** Ends the request because the session closed with `code`. */
  closed(code: number, reason: string): void;
}

/** What a `recv` got: a new batch, the unacknowledged batch again, an empty answer, held, refused (ack never sent), or the close. */
export type RecvOutcome = 'batch' | 'resent' | 'empty' | 'held' | 'bad-ack' | 'closed';

export interface LongPollSessionOptions {
  /** A session with no recv outstanding for this long is closed (2 × heartbeat interval). */
  readonly idleLimitMs: number;
  /** Unacknowledged plus queued bytes beyond which the session is closed as SLOW_CONSUMER. */
  readonly maxBufferedBytes: number;
  readonly clock: Clock;
  /** Called once when the session closes, whoever closed it. */
  readonly onClose: (session: LongPollSession, code: number, reason: string) => void;
  /** Runs a flush after the current synchronous work, so frames sent together leave in one answer (default queueMicrotask). */
  readonly schedule?: (task: () => void) => void;
}

interface Batch {
  readonly number: number;
  readonly frames: Uint8Array[];
  readonly bytes: number;
}

export class LongPollSession implements ClientLink {
  readonly transport = 'long_poll';
  /** Frames not yet in a batch, oldest first. */
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  /** The last batch answered, until a recv acknowledges it. While it exists no new batch is made. */
  private unacked: Batch | undefined;
  private lastBatch = 0;
  /** The open request, until `welcome` (the handler's first frame) answers it. */
  private opening: PollAnswer | undefined;
  private held: PollAnswer | undefined;
  private holdTimer: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private flushScheduled = false;
  private closedWith: { readonly code: number; readonly reason: string } | undefined;
  private readonly schedule: (task: () => void) => void;

  constructor(
    /** The session id: the client's bearer credential for this session (random, never logged). */
    readonly id: string,
    readonly state: ConnectionState,
    open: PollAnswer,
    private readonly options: LongPollSessionOptions,
  ) {
    this.opening = open;
    this.schedule = options.schedule ?? queueMicrotask;
  }

  /** How the session closed; undefined while it is open. */
  get closure(): { readonly code: number; readonly reason: string } | undefined {
    return this.closedWith;
  }

  send(frames: readonly Uint8Array[]): void {
    if (this.closedWith) return;
    let bytes = 0;
    for (const frame of frames) bytes += frame.byteLength;
    if (this.bufferedBytes() + bytes > this.options.maxBufferedBytes) {
      // Like a WebSocket over maxBackpressure: the client resumes from its inbox.
      this.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
      return;
    }
    for (const frame of frames) this.queue.push(frame);
    this.queuedBytes += bytes;
    if ((this.opening || this.held) && !this.flushScheduled) {
      this.flushScheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /**
   * A `recv` acknowledging batch `ack` and willing to wait `holdMs` (0: short polling).
   * An `ack` behind the unacknowledged batch gets that batch again (its answer was lost);
   * a held recv is answered empty at once by the next recv.
   */
  recv(ack: number, holdMs: number, answer: PollAnswer): RecvOutcome {
    if (this.closedWith) {
      answer.closed(this.closedWith.code, this.closedWith.reason);
      return 'closed';
    }
    if (!Number.isSafeInteger(ack) || ack < 0 || ack > this.lastBatch) return 'bad-ack';
    this.answerHeldEmpty();
    if (this.unacked) {
      if (ack < this.unacked.number) {
        this.answered(answer, this.unacked.number, this.unacked.frames);
        return 'resent';
      }
      this.unacked = undefined;
    }
    if (this.queue.length > 0) {
      this.answerWithNewBatch(answer);
      return 'batch';
    }
    if (holdMs <= 0) {
      this.answered(answer, 0, []);
      return 'empty';
    }
    this.held = answer;
    this.clearIdleTimer();
    this.holdTimer = this.options.clock.setTimeout(() => {
      this.holdTimer = undefined;
      if (this.held !== answer) return;
      this.held = undefined;
      this.answered(answer, 0, []);
    }, holdMs);
    return 'held';
  }

  /** The request behind `answer` went away (client aborted): it must not be written to. */
  abandon(answer: PollAnswer): void {
    if (this.opening === answer) {
      // The client never learnt the session id: nobody can use this session.
      this.opening = undefined;
      this.close(LINK_LOST, 'open request aborted');
    } else if (this.held === answer) {
      this.held = undefined;
      this.clearHoldTimer();
      this.armIdleTimer();
    }
  }

  close(code: number, reason: string): void {
    if (this.closedWith) return;
    this.closedWith = { code, reason };
    this.clearHoldTimer();
    this.clearIdleTimer();
    const waiting = [this.opening, this.held];
    this.opening = this.held = undefined;
    // Frames not taken are dropped, as with a WebSocket: they come again from the inbox or by retransmit.
    this.queue = [];
    this.queuedBytes = 0;
    this.unacked = undefined;
    for (const answer of waiting) answer?.closed(code, reason);
    this.options.onClose(this, code, reason);
  }

  bufferedBytes(): number {
    return this.queuedBytes + (this.unacked?.bytes ?? 0);
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closedWith || this.queue.length === 0) return;
    if (this.opening) {
      const open = this.opening;
      this.opening = undefined;
      const frames = this.takeQueue();
      this.answered(open, 0, frames);
    } else if (this.held) {
      const held = this.held;
      this.held = undefined;
      this.clearHoldTimer();
      this.answerWithNewBatch(held);
    }
  }

  private answerWithNewBatch(answer: PollAnswer): void {
    const bytes = this.queuedBytes;
    const frames = this.takeQueue();
    this.lastBatch += 1;
    this.unacked = { number: this.lastBatch, frames, bytes };
    this.answered(answer, this.lastBatch, frames);
  }

  private takeQueue(): Uint8Array[] {
    const frames = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    return frames;
  }

  private answerHeldEmpty(): void {
    const previous = this.held;
    if (!previous) return;
    this.held = undefined;
    this.clearHoldTimer();
    previous.frames(0, []);
  }

  /** Answers a request; from now on no recv is outstanding, so the idle limit runs. */
  private answered(answer: PollAnswer, batch: number, frames: readonly Uint8Array[]): void {
    this.armIdleTimer();
    answer.frames(batch, frames);
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    this.idleTimer = this.options.clock.setTimeout(() => {
      this.idleTimer = undefined;
      this.close(CloseCode.HEARTBEAT_TIMEOUT, 'no recv for 2 × heartbeat interval');
    }, this.options.idleLimitMs);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) this.options.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private clearHoldTimer(): void {
    if (this.holdTimer) this.options.clock.clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }
}
