// Repeats the frames of a flushed DownlinkBatcher that reached no gateway (a `PUBLISH` no
// subscriber heard: the gateway's subscription re-opening after a store restart), with
// backoff, for frames nothing else would repeat before the client's own retransmit
// (delivery's ack:N, the sequencer's msg:A).
import type { Clock, Downlink, DownlinkBatcher, TimerHandle } from '@parley/ports';
import type { Counter, Logger } from '@parley/observability';

/** Delays of the repeats of an unheard frame, in ms: about 8 s in all, well before a client's retransmit. */
export const REPEAT_DELAYS_MS: readonly number[] = [100, 250, 500, 1_000, 2_000, 4_000];

export interface UnheardRepeatsParts {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly downlink: Downlink;
  /** Counts the gateway batches published again. */
  readonly repeated: Counter<string>;
  /** What the frames are, for the log line when they are given up ("ack:N", "msg:A"). */
  readonly what: string;
  /** Default REPEAT_DELAYS_MS. */
  readonly delaysMs?: readonly number[];
}

export class UnheardRepeats {
  private stopped = false;
  private readonly timers = new Set<TimerHandle>();
  private readonly delaysMs: readonly number[];

  constructor(private readonly parts: UnheardRepeatsParts) {
    this.delaysMs = parts.delaysMs ?? REPEAT_DELAYS_MS;
  }

  /**
   * After `out` was flushed: publishes its `repeatIfUnheard` items whose gateway nobody heard
   * again, after each delay in turn, until heard or out of attempts.
   */
  repeatUnheard(out: DownlinkBatcher, attempt = 0): void {
    const lost = out.unheard();
    if (!lost || this.stopped) return;
    const delayMs = this.delaysMs[attempt];
    if (delayMs === undefined) {
      this.parts.logger.warn({ gateways: lost.gatewayCount }, `${this.parts.what} reached no gateway after every repeat; the clients retransmit`);
      return;
    }
    const timer = this.parts.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      this.parts.repeated.inc(lost.gatewayCount);
      // A failed publish leaves every item unheard: the next attempt takes them all again.
      lost.flush(this.parts.downlink).then(
        () => this.repeatUnheard(lost, attempt + 1),
        (err: unknown) => {
          this.parts.logger.warn({ err }, `repeating ${this.parts.what} failed; trying again`);
          this.repeatUnheard(lost, attempt + 1);
        },
      );
    }, delayMs);
    this.timers.add(timer);
  }

  /** Cancels every pending repeat. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) this.parts.clock.clearTimeout(timer);
    this.timers.clear();
  }
}
