// Requests answered by request id (group:R, sync:R, conversations:R): their frames,
// retransmits, re-sends after a reconnect, deadlines, and which answer settles which.
import { backoffCeilingMs, type FrameInit } from '@parley/protocol';
import type { Clock, TimerHandle } from './clock';
import { RequestInterruptedError, RequestRefusedError, RequestTimeoutError } from './errors';
import type { ConversationSummary, GroupInfo, ServerError, SyncPage } from './frames';

/** The answer each kind of request expects: group:A, sync:A, conversations:A. */
export interface AnswerByKind {
  group: GroupInfo;
  sync: SyncPage;
  conversations: ConversationSummary[];
}

export type AnswerKind = keyof AnswerByKind;

/**
 * idempotent: the server answers a repeat as it answered the first copy (group list, sync,
 * conversations): re-sent when no answer comes in time (doubling wait) and after every
 * reconnect.
 * once: a repeat may act twice (group create, change): never re-sent on a timer, re-sent
 * at most once after a reconnect; a link lost while that second copy waits fails it with
 * RequestInterruptedError.
 */
export type RequestRetry = 'idempotent' | 'once';

export interface RequestSpec<K extends AnswerKind> {
  readonly expects: K;
  /** The request's frame, given its request id. */
  readonly frame: (requestId: string) => FrameInit;
  readonly retry: RequestRetry;
  /** Longest wait for the answer from issue(), in ms, reconnects included; undefined: no limit. */
  readonly deadlineMs: number | undefined;
  readonly onAnswer: (answer: AnswerByKind[K]) => void;
  /**
   * The request failed for good. `copies`: copies handed to a link that the server may have
   * acted on (one refused with a retryable error was not), the answered one included.
   */
  readonly onFailure: (error: Error, copies: number) => void;
}

export interface RequestTiming {
  /** First wait for the answer of an idempotent request before re-sending it, in ms; doubles per retry. */
  readonly retransmitTimeoutMs: number;
  /** Ceiling of that doubling wait, in ms. */
  readonly maxRetransmitTimeoutMs: number;
}

interface PendingRequest {
  readonly requestId: string;
  readonly spec: RequestSpec<AnswerKind>;
  readonly frame: FrameInit;
  /** Copies the server may have acted on (see RequestSpec.onFailure). */
  copies: number;
  /** Exponent of the next retransmit wait on this link. */
  attempt: number;
  retryTimer: TimerHandle | undefined;
  deadline: TimerHandle | undefined;
}

/**
 * Requests go out at once when online and wait otherwise; goOnline (after a welcome) sends
 * every waiting one in issue() order. Retransmit timers run only while online; deadlines
 * run from issue() whatever the link does. Request ids are `<prefix><counter>`: the prefix
 * keeps them apart from msgIds, which share the error frame's msg_id field.
 */
export class PendingRequests {
  private readonly pending = new Map<string, PendingRequest>();
  private online = false;
  private issued = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timing: RequestTiming,
    /** Hands a frame to the current link; false when there is none. */
    private readonly transmit: (frame: FrameInit) => boolean,
    private readonly idPrefix: string,
  ) {}

  /** Requests waiting for their answer. */
  get size(): number {
    return this.pending.size;
  }

  has(requestId: string): boolean {
    return this.pending.has(requestId);
  }

  /** Queues a request; transmits it now when online. Returns its request id. */
  issue<K extends AnswerKind>(spec: RequestSpec<K>): string {
    const requestId = `${this.idPrefix}${++this.issued}`;
    const request: PendingRequest = {
      requestId,
      spec: spec as unknown as RequestSpec<AnswerKind>,
      frame: spec.frame(requestId),
      copies: 0,
      attempt: 0,
      retryTimer: undefined,
      deadline: undefined,
    };
    this.pending.set(requestId, request);
    const deadlineMs = spec.deadlineMs;
    if (deadlineMs !== undefined) {
      request.deadline = this.clock.setTimeout(() => {
        request.deadline = undefined;
        this.fail(request, new RequestTimeoutError(requestId, deadlineMs));
      }, deadlineMs);
    }
    if (this.online) this.transmitNow(request);
    return requestId;
  }

  /** An answer: settles its request. false when no request waits for it (late copy, unknown id, other kind). */
  answered<K extends AnswerKind>(kind: K, requestId: string, answer: AnswerByKind[K]): boolean {
    const request = this.pending.get(requestId);
    if (!request || request.spec.expects !== kind) return false;
    this.remove(request);
    (request.spec.onAnswer as (answer: AnswerByKind[K]) => void)(answer);
    return true;
  }

  /**
   * An error frame naming a request id. Retryable: nothing was done, the request goes again
   * after the next (longer) wait. Not retryable: it fails with RequestRefusedError.
   * false for an unknown id.
   */
  refused(requestId: string, error: ServerError): boolean {
    const request = this.pending.get(requestId);
    if (!request) return false;
    if (error.retryable) {
      request.copies = Math.max(0, request.copies - 1);
      request.attempt += 1;
      this.arm(request);
      return true;
    }
    this.fail(request, new RequestRefusedError(requestId, error.code, error.message));
    return true;
  }

  /** Forgets a request without settling it. */
  cancel(requestId: string): void {
    const request = this.pending.get(requestId);
    if (request) this.remove(request);
  }

  /** A link is ready (after welcome): sends every waiting request in issue() order. */
  goOnline(): void {
    this.online = true;
    for (const request of [...this.pending.values()]) {
      request.attempt = 0;
      this.transmitNow(request);
    }
  }

  /** The link is gone: retransmit timers stop; a `once` request already sent twice fails (its outcome is unknown). */
  goOffline(): void {
    this.online = false;
    for (const request of [...this.pending.values()]) {
      this.disarm(request);
      if (request.spec.retry === 'once' && request.copies >= 2) this.fail(request, new RequestInterruptedError(request.requestId));
    }
  }

  /** Fails every request with `error` (close()). */
  failAll(error: Error): void {
    for (const request of [...this.pending.values()]) this.fail(request, error);
  }

  private transmitNow(request: PendingRequest): void {
    if (this.transmit(request.frame)) request.copies += 1;
    if (request.spec.retry === 'idempotent') this.arm(request);
  }

  /** Retransmit after the current wait: always for idempotent requests, after a retryable refusal for `once` ones. */
  private arm(request: PendingRequest): void {
    this.disarm(request);
    if (!this.online) return;
    const delay = backoffCeilingMs(
      { minDelayMs: this.timing.retransmitTimeoutMs, maxDelayMs: this.timing.maxRetransmitTimeoutMs },
      request.attempt,
    );
    request.retryTimer = this.clock.setTimeout(() => {
      request.retryTimer = undefined;
      if (this.pending.get(request.requestId) !== request || !this.online) return;
      request.attempt += 1;
      this.transmitNow(request);
    }, delay);
  }

  private disarm(request: PendingRequest): void {
    if (request.retryTimer) this.clock.clearTimeout(request.retryTimer);
    request.retryTimer = undefined;
  }

  private fail(request: PendingRequest, error: Error): void {
    if (this.pending.get(request.requestId) !== request) return;
    this.remove(request);
    request.spec.onFailure(error, request.copies);
  }

  private remove(request: PendingRequest): void {
    this.disarm(request);
    if (request.deadline) this.clock.clearTimeout(request.deadline);
    request.deadline = undefined;
    this.pending.delete(request.requestId);
  }
}
