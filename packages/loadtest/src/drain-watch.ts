// When the load tester stops waiting after sending: everything answered and delivered, or the
// drain window over. A server that fell behind is still working off its backlog when the window
// ends; with an extension, the drain goes on while anything still arrives, so what is merely
// late is not called lost. What never comes is then told apart by the stall: nothing new for
// DRAIN_STALL_MS.

/** Past the drain window, nothing new for this long ends an extended drain. */
export const DRAIN_STALL_MS = 30_000;

export type DrainState = 'drained' | 'waiting' | 'gave-up';

export class DrainWatch {
  private lastProgress: string | undefined;
  private lastProgressAtMs: number;

  /**
   * @param windowMs how long the drain waits in any case (`--drain-ms`)
   * @param extendMs past the window, how much longer it may wait while progress is made (`--drain-extend-ms`)
   */
  constructor(
    private readonly startedMs: number,
    private readonly windowMs: number,
    private readonly extendMs: number,
    private readonly stallMs = DRAIN_STALL_MS,
  ) {
    this.lastProgressAtMs = startedMs;
  }

  /**
   * @param done everything answered and delivered
   * @param progress a summary of the counts that move as answers and deliveries arrive
   */
  observe(nowMs: number, done: boolean, progress: string): DrainState {
    if (done) return 'drained';
    if (progress !== this.lastProgress) {
      this.lastProgress = progress;
      this.lastProgressAtMs = nowMs;
    }
    const elapsedMs = nowMs - this.startedMs;
    if (elapsedMs < this.windowMs) return 'waiting';
    if (elapsedMs >= this.windowMs + this.extendMs) return 'gave-up';
    return nowMs - this.lastProgressAtMs < this.stallMs ? 'waiting' : 'gave-up';
  }

  /** Whether the drain went past its window. */
  extended(nowMs: number): boolean {
    return nowMs - this.startedMs > this.windowMs;
  }
}
