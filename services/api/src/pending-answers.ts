// Requests waiting for the sequencer's answer. The API speaks to the sequencer as a gateway
// does: each request goes out with an Origin naming this process's downlink id and a
// connection id of its own, and the sequencer answers that origin (msg:A, group:A or an
// error frame naming the request's id), read by sequencer-answer.ts. Pure bookkeeping: no
// I/O, timers injected.
import { ConnectionId, ErrorCode, type DownlinkBatch } from '@parley/protocol';
import type { Clock, TimerHandle } from '@parley/ports';
import { ApiError, fromErrorFrame } from './api-error';
import { readSequencerAnswers, type GroupAnswered, type MessageAccepted } from './sequencer-answer';
import type { InvalidField } from './stored-message';

/** What answers a request: msg:A for a send, group:A for a group request (an error frame rejects instead). */
export type Answer = MessageAccepted | GroupAnswered;
export type AnswerKind = Answer['kind'];
export type AnswerOf<K extends AnswerKind> = Extract<Answer, { kind: K }>;

interface Waiter {
  readonly requestId: string;
  readonly kind: AnswerKind;
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: Error) => void;
  readonly timer: TimerHandle;
}

export class PendingAnswers {
  private readonly waiters = new Map<ConnectionId, Waiter>();

  /** `countInvalid` counts each answer to a waiting request that lacked a field (the request fails INTERNAL). */
  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly countInvalid: (field: InvalidField) => void,
  ) {}

  /**
   * Settles with the `kind` answer to `requestId` sent from `connection`; rejects with
   * UNAVAILABLE (retryable: the same id is deduplicated) when none comes within the timeout.
   */
  wait<K extends AnswerKind>(connection: ConnectionId, requestId: string, kind: K): Promise<AnswerOf<K>> {
    return new Promise<AnswerOf<K>>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.waiters.delete(connection);
        reject(new ApiError(503, ErrorCode.UNAVAILABLE, 'no answer from the sequencer in time; retry with the same id'));
      }, this.timeoutMs);
      this.waiters.set(connection, { requestId, kind, resolve: resolve as (answer: Answer) => void, reject, timer });
    });
  }

  /** Fails a request whose publish failed. */
  fail(connection: ConnectionId, error: Error): void {
    const waiter = this.take(connection);
    waiter?.reject(error);
  }

  /** Settles the requests a downlink batch answers; frames for other packets (ack:N, msg:N) and other ids are ignored. */
  settle(batch: DownlinkBatch): void {
    for (const { connection, requestId, body } of readSequencerAnswers(batch)) {
      const waiter = this.waiters.get(connection);
      if (!waiter || requestId !== waiter.requestId) continue;
      if (body.kind === 'refused') {
        this.take(connection)?.reject(fromErrorFrame(body.code, body.message));
      } else if (body.kind === 'invalid') {
        this.countInvalid(body.invalid);
        this.take(connection)?.reject(new ApiError(500, ErrorCode.INTERNAL, `the sequencer's answer has no valid ${body.invalid}; retry with the same id`));
      } else if (body.kind === waiter.kind) {
        this.take(connection)?.resolve(body);
      }
    }
  }

  get size(): number {
    return this.waiters.size;
  }

  /** Rejects every waiting request (the process is stopping). */
  close(): void {
    for (const connection of [...this.waiters.keys()]) {
      this.take(connection)?.reject(new ApiError(503, ErrorCode.UNAVAILABLE, 'the API is stopping; retry with the same id'));
    }
  }

  private take(connection: ConnectionId): Waiter | undefined {
    const waiter = this.waiters.get(connection);
    if (!waiter) return undefined;
    this.waiters.delete(connection);
    this.clock.clearTimeout(waiter.timer);
    return waiter;
  }
}
