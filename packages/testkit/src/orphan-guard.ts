// Owns cleaning up after the test kit, and after the launchers of deploy/local, when the process
// that started things dies, however it dies: spawned children are stopped and temp dirs removed,
// via an 'exit' hook (SIGKILL) and a watchdog process (SIGTERM, then SIGKILL).
//
// Why a watchdog: a child does not learn that its parent died (Linux's PR_SET_PDEATHSIG is out of
// Node's reach, and the Kafka JVM and redis-server would each need their own way), and a parent
// killed with -9 runs no exit hook. The watchdog is one small Node process per parent, in its own
// process group (a terminal's ^C or a kill of the parent's group does not reach it); it reads its
// stdin from a pipe of the parent, and the kernel closes that pipe when the parent dies, by any
// signal. It then stops every process registered with it, Node or not.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** How long the watchdog waits for the children it sent SIGTERM to before it SIGKILLs them, in ms. */
export const ORPHAN_STOP_GRACE_MS = 4_000;

// The watchdog reads lines "+p <pid>", "-p <pid>", "+d <dir>", "-d <dir>" on stdin. On EOF it sends
// the registered pids SIGCONT (a stopped process ignores SIGTERM) and SIGTERM, SIGKILLs those
// still there after the grace period, then removes the registered dirs.
const WATCHDOG_SOURCE = `
const pids = new Set();
const dirs = new Set();
let buf = '';
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buf += chunk;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    const op = line.slice(0, 1), kind = line.slice(1, 2), arg = line.slice(3);
    const set = kind === 'p' ? pids : kind === 'd' ? dirs : null;
    if (!set || !arg) continue;
    const key = kind === 'p' ? Number(arg) : arg;
    if (op === '+') set.add(key); else set.delete(key);
  }
});
const alive = (pid) => {
  try {
    // A zombie holds nothing but its pid: it counts as gone.
    return !/^\\S+ \\(.*\\) Z/s.test(require('fs').readFileSync('/proc/' + pid + '/stat', 'utf8'));
  } catch {
    try { process.kill(pid, 0); return !require('fs').existsSync('/proc'); } catch { return false; }
  }
};
const signal = (pid, sig) => { try { process.kill(pid, sig); } catch {} };
let reaping = false;
const reap = () => {
  if (reaping) return;
  reaping = true;
  for (const pid of pids) { signal(pid, 'SIGCONT'); signal(pid, 'SIGTERM'); }
  const deadline = Date.now() + ${ORPHAN_STOP_GRACE_MS};
  const check = () => {
    const left = [...pids].filter(alive);
    if (left.length > 0 && Date.now() < deadline) return void setTimeout(check, 100);
    for (const pid of left) signal(pid, 'SIGKILL');
    // Give the killed processes a moment to go, then remove their temp dirs.
    setTimeout(() => {
      for (const dir of dirs) { try { require('fs').rmSync(dir, { recursive: true, force: true }); } catch {} }
      process.exit(0);
    }, left.length > 0 ? 300 : 0);
  };
  check();
};
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

const pids = new Set<number>();
const dirs = new Set<string>();
let watchdog: ChildProcess | undefined;
let exitHookInstalled = false;

function cleanupSync(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  pids.clear();
  for (const dir of dirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
  dirs.clear();
}

function send(line: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', cleanupSync);
  }
  if (!watchdog || watchdog.exitCode !== null || !watchdog.stdin?.writable) {
    try {
      const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
        detached: true, // own process group: a terminal ^C does not reach it before it can act
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.on('error', () => undefined);
      child.stdin?.on('error', () => undefined);
      child.unref();
      // Never let the watchdog's pipe keep this process's event loop alive.
      (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
      watchdog = child;
      for (const pid of pids) child.stdin?.write(`+p ${pid}\n`);
      for (const dir of dirs) child.stdin?.write(`+d ${dir}\n`);
    } catch {
      watchdog = undefined;
    }
  }
  watchdog?.stdin?.write(`${line}\n`);
}

/**
 * Registers `pid` to be SIGKILLed if this process exits or dies first. Returns a release
 * function; call it as soon as the child has exited (so a reused pid is never killed).
 */
export function guardChild(pid: number): () => void {
  pids.add(pid);
  send(`+p ${pid}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    pids.delete(pid);
    send(`-p ${pid}`);
  };
}

/** Registers a temp dir to be removed if this process exits or dies first. Returns a release function. */
export function guardDir(dir: string): () => void {
  dirs.add(dir);
  send(`+d ${dir}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    dirs.delete(dir);
    send(`-d ${dir}`);
  };
}
