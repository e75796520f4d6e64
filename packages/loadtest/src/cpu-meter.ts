// This process's CPU use as a percentage of one core, over the time since the last reading
// (readings closer than MIN_WINDOW_US apart keep the last figure), and the highest seen.
// Clock and CPU counters injected, so it is tested without burning CPU.

/** Readings closer together than this (microseconds) would be noise: the last figure stands. */
const MIN_WINDOW_US = 200_000;

export interface CpuCounters {
  /** Microseconds of CPU in user mode and in the kernel, since the process started (process.cpuUsage). */
  readonly user: number;
  readonly system: number;
}

export class CpuMeter {
  private last: CpuCounters;
  private lastAtUs: number;
  /** CPU used over the last window, in percent of one core (0 before the first window). */
  percent = 0;
  /** Highest `percent` so far. */
  max = 0;

  constructor(
    private readonly nowUs: () => number,
    private readonly usage: () => CpuCounters = () => process.cpuUsage(),
  ) {
    this.last = usage();
    this.lastAtUs = nowUs();
  }

  /** Takes a reading when the window since the last one is long enough. */
  sample(): void {
    const nowUs = this.nowUs();
    const elapsedUs = nowUs - this.lastAtUs;
    if (elapsedUs <= MIN_WINDOW_US) return;
    const usage = this.usage();
    const used = usage.user - this.last.user + usage.system - this.last.system;
    this.percent = Math.round((100 * used) / elapsedUs);
    this.max = Math.max(this.max, this.percent);
    this.last = usage;
    this.lastAtUs = nowUs;
  }
}

/** CPU (user + system) this process used since `start` (a process.cpuUsage() reading), in seconds. */
export function cpuSecondsSince(start: CpuCounters): number {
  const now = process.cpuUsage(start);
  return (now.user + now.system) / 1e6;
}
