// Requests waiting for the sequencer's answer. The API speaks to the sequencer as a gateway
// does: each request goes out with an Origin naming this process's downlink id and a
// connection id of its own, and the sequencer answers that origin (msg:A, group:A or an
// error frame naming the request's id). Pure bookkeeping: no I/O, timers injected.
import { ConnectionId, decodeFrame, ErrorCode, Frame, type DownlinkBatch } from '@parley/protocol';
import type { Clock, TimerHandle } from '@parley/ports';
import { ApiError, fromErrorFrame } from './api-error';

/** The frame that answered a request: msg:A or group:A (an error frame rejects instead). */
export type Answer = Frame;

interface Waiter {
  readonly requestId: string;
  readonly resolve: (frame: Answer) => void;
  readonly reject: (error: Error) => void;
  readonly timer: TimerHandle;
}

export class PendingAnswers {
  private readonly waiters = new Map<ConnectionId, Waiter>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Settles with the answer to `requestId` sent from `connection`; rejects with UNAVAILABLE
   * (retryable: the same id is deduplicated) when none comes within the timeout.
   */
  wait(connection: ConnectionId, requestId: string): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.waiters.delete(connection);
        reject(new ApiError(503, ErrorCode.UNAVAILABLE, 'no answer from the sequencer in time; retry with the same id'));
      }, this.timeoutMs);
      this.waiters.set(connection, { requestId, resolve, reject, timer });
    });
  }

  /** Fails a request whose publish failed. */
  fail(connection: ConnectionId, error: Error): void {
    const waiter = this.take(connection);
    waiter?.reject(error);
  }

  /** Settles the requests a downlink batch answers; frames for other packets (ack:N, msg:N) are ignored. */
  settle(batch: DownlinkBatch): void {
    for (const item of batch.items) {
      const connection = (item.connectionId ?? '') as ConnectionId;
      const waiter = this.waiters.get(connection);
      if (!waiter || !item.frame) continue;
      let frame: Frame;
      try {
        frame = decodeFrame(item.frame);
      } catch {
        continue;
      }
      if (frame.msgA && frame.msgA.msgId === waiter.requestId) {
        this.take(connection)?.resolve(frame);
      } else if (frame.groupA && frame.groupA.requestId === waiter.requestId) {
        this.take(connection)?.resolve(frame);
      } else if (frame.error && frame.error.msgId === waiter.requestId) {
        this.take(connection)?.reject(fromErrorFrame(frame.error.code ?? 0, frame.error.message ?? ''));
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
