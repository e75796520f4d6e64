// The open-file limit: Node has no setrlimit, so a worker that needs more than the soft
// limit is started through `sh -c 'ulimit -n N; exec node ...'` (up to the hard limit).
import { readFileSync } from 'node:fs';

export interface FdLimits {
  readonly soft: number;
  readonly hard: number;
}

/** Parses the "Max open files" line of /proc/<pid>/limits ("unlimited" reads as Infinity). */
export function parseFdLimits(limitsText: string): FdLimits | undefined {
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'));
  if (!line) return undefined;
  const [soft, hard] = line.slice('Max open files'.length).trim().split(/\s+/);
  const value = (s: string | undefined): number => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: value(soft), hard: value(hard) };
}

export function readFdLimits(): FdLimits | undefined {
  try {
    return parseFdLimits(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}

/** Files a worker holds besides its sockets (stdio, IPC, epoll, libuv's own). */
export const FD_OVERHEAD_PER_WORKER = 256;
