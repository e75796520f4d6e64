// The gateway's drain on SIGTERM, as a schedule: after the delay the load balancer needs to
// stop sending new connections here, the connections are closed (4007 DRAINING) in even
// slices over the drain window, so the clients arrive on the other gateways spread out
// rather than as one reconnect storm. Pure logic: time from a Clock, the links and the
// close from the caller.
import type { Clock, TimerHandle } from '@parley/ports';

export interface DrainTiming {
  /** From the start of the drain to the first slice, in ms (readiness already fails meanwhile). */
  readonly delayMs: number;
  /** From the first slice to the last, in ms; 0: every connection in one slice. */
  readonly windowMs: number;
}

/** Time between two slices, in ms. */
export const DRAIN_SLICE_MS = 100;

/**
 * How many of `remaining` connections to close now, with `msLeft` of the window left, so the
 * rest spread evenly over the slices still to come (every one once no slice is left).
 */
export function drainSliceSize(remaining: number, msLeft: number, sliceMs: number = DRAIN_SLICE_MS): number {
  if (remaining <= 0) return 0;
  const slicesLeft = Math.max(1, Math.floor(msLeft / sliceMs) + 1);
  return Math.ceil(remaining / slicesLeft);
}

export interface DrainParts<L extends object> {
  readonly clock: Clock;
  readonly timing: DrainTiming;
  /** The connections open now (closed ones are gone from the list). */
  readonly open: () => readonly L[];
  /** Called once, when the delay is over: the gateway admits no new connection from then on. */
  readonly stopAdmitting: () => void;
  /** Closes one connection telling its client to reconnect elsewhere now. */
  readonly close: (link: L) => void;
}

export class ConnectionDrain<L extends object> {
  private timer: TimerHandle | undefined;
  private started = false;
  private finished = false;
  private endsAt = 0;
  /** Connections already told to close (a transport may report the close later). */
  private readonly asked = new WeakSet<object>();
  private resolveDone!: () => void;
  /** Settles once every connection was told to close. */
  readonly done: Promise<void> = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly parts: DrainParts<L>) {}

  /** Starts the schedule (once); `done` settles when the last slice is closed. */
  start(): Promise<void> {
    if (this.started) return this.done;
    this.started = true;
    const { clock, timing } = this.parts;
    this.endsAt = clock.now() + timing.delayMs + timing.windowMs;
    this.timer = clock.setTimeout(() => {
      this.parts.stopAdmitting();
      this.slice();
    }, timing.delayMs);
    return this.done;
  }

  /** Closes what is left at once (a second signal, or a shutdown that cannot wait). */
  now(): void {
    if (this.timer) this.parts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.finished) this.parts.stopAdmitting();
    this.closeSome(Number.POSITIVE_INFINITY);
    this.finish();
  }

  private slice(): void {
    this.timer = undefined;
    const msLeft = this.endsAt - this.parts.clock.now();
    this.closeSome(drainSliceSize(this.remaining().length, msLeft));
    if (msLeft <= 0 || this.remaining().length === 0) {
      // The window is over: whatever a slow close left open goes now.
      this.closeSome(Number.POSITIVE_INFINITY);
      this.finish();
      return;
    }
    this.timer = this.parts.clock.setTimeout(() => this.slice(), Math.min(DRAIN_SLICE_MS, msLeft));
  }

  private remaining(): L[] {
    return this.parts.open().filter((link) => !this.asked.has(link));
  }

  private closeSome(count: number): void {
    const open = this.remaining();
    const n = Math.min(count, open.length);
    for (let i = 0; i < n; i++) {
      const link = open[i]!;
      this.asked.add(link);
      this.parts.close(link);
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.resolveDone();
  }
}
