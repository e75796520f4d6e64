// CPU time of named processes, read from /proc/<pid>/stat (utime + stime), sampled on the
// shared monotonic clock so a window of a load run (idle, sending) can be cut out afterwards.
// CPU time, unlike wall-clock latency, barely depends on what else runs on the machine: it is
// the instrument for "cost per message".
import { readFileSync } from 'node:fs';
import { monotonicMicros } from '../latency';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux build that matters). */
export const CLOCK_TICKS_PER_SEC = 100;

/** CPU seconds (user + system) `pid` has used so far; undefined once it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseCpuSeconds(stat);
}

/** utime + stime of one /proc/<pid>/stat line, in seconds (the command name may hold spaces and parentheses). */
export function parseCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime field 14, stime field 15 (1-based).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC;
}

/**
 * Write system calls `pid` has made so far (`syscw` of /proc/<pid>/io: every write, writev,
 * send, … on any descriptor); undefined once it is gone or unreadable. On a messaging hop each
 * is mostly one socket write (a Redis pipeline, a Kafka request, a WebSocket frame batch), so
 * writes per message count the round trips a message costs.
 */
export function writeCallsOf(pid: number): number | undefined {
  try {
    return parseWriteCalls(readFileSync(`/proc/${pid}/io`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The `syscw` line of a /proc/<pid>/io text. */
export function parseWriteCalls(io: string): number | undefined {
  const match = /^syscw:\s*(\d+)$/m.exec(io);
  return match ? Number(match[1]) : undefined;
}

/** A process to watch: its pid is asked at every sample (a restarted broker changes pid). */
export interface WatchedProcess {
  readonly name: string;
  readonly pid: () => number | undefined;
}

export interface CpuSample {
  readonly atUs: number;
  /** CPU seconds so far, by process name (NaN: the process was not there). */
  readonly cpu: Readonly<Record<string, number>>;
  /** Write system calls so far, by process name (NaN: not there or not readable). */
  readonly writes: Readonly<Record<string, number>>;
}

/** CPU per process between two samples, in percent of one core. */
export function cpuPercentBetween(from: CpuSample, to: CpuSample): Record<string, number> {
  const seconds = (to.atUs - from.atUs) / 1e6;
  const out: Record<string, number> = {};
  for (const name of Object.keys(to.cpu)) out[name] = (100 * (to.cpu[name]! - (from.cpu[name] ?? NaN))) / seconds;
  return out;
}

/** CPU seconds per process between two samples. */
export function cpuSecondsBetween(from: CpuSample, to: CpuSample): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(to.cpu)) out[name] = to.cpu[name]! - (from.cpu[name] ?? NaN);
  return out;
}

/** Write system calls per process between two samples. */
export function writeCallsBetween(from: CpuSample, to: CpuSample): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(to.writes)) out[name] = to.writes[name]! - (from.writes[name] ?? NaN);
  return out;
}

/** Takes a sample of every watched process now. */
export function sampleCpu(processes: readonly WatchedProcess[]): CpuSample {
  const cpu: Record<string, number> = {};
  const writes: Record<string, number> = {};
  for (const p of processes) {
    const pid = p.pid();
    cpu[p.name] = pid === undefined ? NaN : cpuSecondsOf(pid) ?? NaN;
    writes[p.name] = pid === undefined ? NaN : writeCallsOf(pid) ?? NaN;
  }
  return { atUs: monotonicMicros(), cpu, writes };
}

/** The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}
