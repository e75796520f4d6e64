// How a launcher learns it must stop, whoever asks: SIGTERM (`kill`, a supervisor, npm passing
// on its own SIGTERM), SIGINT (Ctrl-C), SIGHUP (the terminal closed; npm does not pass it on,
// and dies of it), or its parent process gone (killed with -9, or died of SIGHUP): a launcher
// whose parent is gone stops rather than run on as an orphan. Plain JavaScript: it runs before
// anything is compiled.
'use strict';
const fs = require('node:fs');
const os = require('node:os');

/** The parent pid as the kernel sees it now (process.ppid is read once, at start-up). */
function currentParentPid(originalParent) {
  try {
    // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    // No /proc (macOS): the original parent still exists, or it does not.
    try {
      process.kill(originalParent, 0);
      return originalParent;
    } catch (error) {
      return error.code === 'EPERM' ? originalParent : 1;
    }
  }
}

/**
 * Calls `onGone` once when this process's parent exits (the process is then re-parented), checking
 * every `intervalMs`. Returns a function that stops watching. A process started by init, or whose
 * parent is already gone, is never told.
 */
function watchParent(onGone, { intervalMs = 500, readParentPid = currentParentPid } = {}) {
  const original = process.ppid;
  const timer = setInterval(() => {
    if (readParentPid(original) === original) return;
    clearInterval(timer);
    onGone(original);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Routes every stop request to the program's own stop: its SIGTERM handler (SIGINT: its SIGINT
 * handler, or else its SIGTERM one). SIGHUP and a lost parent count as SIGTERM. A program with no
 * handler exits (exit hooks run: children registered with the orphan guard are killed). `log`
 * says what happened, once; on exit it says the launcher stopped.
 */
function routeStopRequests(log) {
  let stopping = false;
  const ours = new Map();
  const program = (signal) => process.listeners(signal).filter((listener) => listener !== ours.get(signal));
  const stop = (why, signal) => {
    const first = !stopping;
    if (first) {
      stopping = true;
      log(`${why}: stopping everything it started`);
      process.once('exit', (code) => log(`stopped (exit code ${code})`));
    }
    // Node itself calls the program's handlers of the signal that came.
    if (signal === 'SIGINT' && program('SIGINT').length > 0) return;
    const handlers = program('SIGTERM');
    if (handlers.length === 0) process.exit(128 + (os.constants.signals[signal] ?? os.constants.signals.SIGTERM));
    // A SIGHUP or a lost parent stands for a SIGTERM once: a closing terminal sends SIGHUP to
    // this process and kills npm with it, and the program would take the second as "exit now".
    if (signal !== 'SIGTERM' && first) for (const handler of handlers) handler('SIGTERM');
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    const listener = () => stop(signal, signal);
    ours.set(signal, listener);
    process.on(signal, listener);
  }
  watchParent((parent) => stop(`parent process ${parent} exited`, 'SIGHUP'));
}

module.exports = { watchParent, routeStopRequests, currentParentPid };
