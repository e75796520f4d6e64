// Owns the lifecycle plumbing shared by every server/process the kit spawns: an exit promise,
// "SIGTERM, then SIGKILL after a grace period", and reading the tail of a log file.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves once the child has exited (immediately if it already has). Never rejects. */
export function exitOf(child: ChildProcess): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // A spawn failure (ENOENT) emits 'error' and maybe never 'exit'.
    child.once('error', () => resolve({ code: child.exitCode, signal: child.signalCode }));
  });
}

/** Sends `signal` (default SIGTERM), escalates to SIGKILL after `graceMs`, resolves on exit. */
export async function terminate(
  child: ChildProcess,
  graceMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<ExitInfo> {
  const exited = exitOf(child);
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return exited;
  // An unref'd child's exit alone does not keep this process alive: once the SIGKILL timer has
  // fired, nothing else may, and the process would end before the child's exit is seen.
  child.ref();
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
  const timer = setTimeout(() => {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }, graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Last `lines` lines of a text file, or a note if it cannot be read. */
export function tailFile(file: string, lines = 40): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const all = text.split('\n');
    if (all[all.length - 1] === '') all.pop();
    return all.slice(-lines).join('\n');
  } catch (err) {
    return `(cannot read ${file}: ${(err as Error).message})`;
  }
}
