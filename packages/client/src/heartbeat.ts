// Liveness of the link: a ping every heartbeat interval, and the verdict "dead" when a
// whole interval after a ping passed without any frame from the server.
import type { Clock, TimerHandle } from './clock';

export interface HeartbeatHooks {
  /** Send a ping with this nonce. */
  ping(nonce: number): void;
  /** Nothing arrived for a whole interval after a ping: close the link and reconnect. */
  dead(): void;
}

/**
 * Any frame counts as a sign of life, not only the pong: a busy link whose pong is queued
 * behind messages is not dead. The gateway closes a link silent for 2 x interval, so one
 * ping per interval keeps it open.
 */
export class Heartbeat {
  private timer: TimerHandle | undefined;
  private intervalMs = 0;
  private nonce = 0;
  /** A ping is out and nothing has arrived since it was sent. */
  private waiting = false;

  constructor(
    private readonly clock: Clock,
    private readonly hooks: HeartbeatHooks,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts (or restarts) beating: the first ping goes one interval from now. */
  start(intervalMs: number): void {
    this.stop();
    this.intervalMs = intervalMs;
    this.schedule();
  }

  /** Call for every frame that arrives. */
  frameReceived(): void {
    this.waiting = false;
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = false;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => this.beat(), this.intervalMs);
  }

  private beat(): void {
    this.timer = undefined;
    if (this.waiting) {
      this.waiting = false;
      this.hooks.dead();
      return;
    }
    this.nonce += 1;
    this.waiting = true;
    this.schedule();
    this.hooks.ping(this.nonce);
  }
}
