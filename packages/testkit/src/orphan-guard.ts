// Owns killing spawned servers/processes when the process that spawned them dies, however it
// dies: an 'exit' hook for normal exits, plus one detached watchdog that SIGKILLs them on pipe EOF.
import { spawn, type ChildProcess } from 'node:child_process';

// The watchdog reads "+pid" / "-pid" lines on stdin. Its stdin is a pipe from this process, so
// the kernel closes it when this process dies (even by SIGKILL); on EOF it kills what is left.
const WATCHDOG_SOURCE = `
const pids = new Set();
let buf = '';
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('SIGHUP', () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buf += chunk;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line[0] === '+') pids.add(pid); else pids.delete(pid);
  }
});
const reap = () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  process.exit(0);
};
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

const guarded = new Set<number>();
let watchdog: ChildProcess | undefined;
let exitHookInstalled = false;

function killAllSync(): void {
  for (const pid of guarded) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  guarded.clear();
}

function ensureWatchdog(): ChildProcess | undefined {
  if (watchdog && watchdog.exitCode === null && watchdog.stdin?.writable) return watchdog;
  try {
    const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
      detached: true, // own process group: a terminal ^C does not reach it before it can act
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    child.unref();
    // Never let the watchdog's pipe keep the parent's event loop alive.
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    for (const pid of guarded) child.stdin?.write(`+${pid}\n`);
    watchdog = child;
    return child;
  } catch {
    return undefined;
  }
}

/**
 * Registers `pid` to be killed if this process exits or dies first.
 * Returns a release function to call once the child has exited on its own.
 */
export function guardChild(pid: number): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killAllSync);
  }
  guarded.add(pid);
  ensureWatchdog()?.stdin?.write(`+${pid}\n`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    guarded.delete(pid);
    if (watchdog?.stdin?.writable) watchdog.stdin.write(`-${pid}\n`);
  };
}
