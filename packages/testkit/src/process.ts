// Owns spawning a Node child process for tests (a service to SIGKILL and restart): captured
// output, an exit promise, and waiting for a log line, with the child killed if the test dies.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { exitOf, terminate } from './child';
import { guardChild } from './orphan-guard';

export interface SpawnNodeOptions {
  cwd?: string;
  /** Extra node flags, e.g. ['--enable-source-maps']. */
  execArgv?: string[];
  /** Echo the child's output to this process's stderr (also on when PARLEY_TEST_ECHO_CHILD=1). */
  echo?: boolean;
}

export interface NodeProcessHandle {
  readonly pid: number;
  /** Resolves with the exit code, or null when the child was ended by a signal. Never rejects. */
  readonly exited: Promise<number | null>;
  /** Signal that ended the child, once it has exited that way. */
  readonly exitSignal: NodeJS.Signals | null;
  /** stdout and stderr interleaved in arrival order. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Complete lines seen so far (both streams). */
  lines(): string[];
  /** Sends a signal (default SIGTERM); no-op if already exited. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after graceMs (default 5000); resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /**
   * Resolves with the first line (seen since spawn) matching `regex`; rejects if the child exits
   * first or nothing matches within `timeoutMs`, quoting the output tail.
   */
  waitForLine(regex: RegExp, timeoutMs: number): Promise<string>;
}

export function spawnNodeProcess(
  script: string,
  args: string[],
  env: Record<string, string>,
  opts: SpawnNodeOptions = {},
): NodeProcessHandle {
  const child = spawn(process.execPath, [...(opts.execArgv ?? []), script, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const echo = opts.echo ?? process.env.PARLEY_TEST_ECHO_CHILD === '1';
  const label = `[${script.split('/').pop() ?? script}:${child.pid ?? '?'}]`;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let all = '';
  let out = '';
  let err = '';
  const lines: string[] = [];
  const partial = { stdout: '', stderr: '' };

  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    all += text;
    if (stream === 'stdout') out += text;
    else err += text;
    const pieces = (partial[stream] + text).split('\n');
    partial[stream] = pieces.pop() ?? '';
    for (const line of pieces) {
      const l = line.replace(/\r$/, '');
      lines.push(l);
      if (echo) process.stderr.write(`${label} ${l}\n`);
      events.emit('line', l);
    }
  };
  child.stdout?.on('data', onData('stdout'));
  child.stderr?.on('data', onData('stderr'));

  const release = child.pid !== undefined ? guardChild(child.pid) : () => undefined;
  let exitSignal: NodeJS.Signals | null = null;
  let hasExited = false;
  child.once('error', (e) => {
    all += `\n[spawn error] ${e.message}\n`;
  });
  const exited = exitOf(child).then(({ code, signal }) => {
    hasExited = true;
    exitSignal = signal;
    release();
    for (const s of ['stdout', 'stderr'] as const) {
      if (partial[s]) {
        lines.push(partial[s]);
        events.emit('line', partial[s]);
        partial[s] = '';
      }
    }
    events.emit('exit');
    return code;
  });

  const tail = (): string => all.split('\n').slice(-30).join('\n');

  return {
    pid: child.pid ?? -1,
    exited,
    get exitSignal() {
      return exitSignal;
    },
    output: () => all,
    stdout: () => out,
    stderr: () => err,
    lines: () => [...lines],
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (hasExited) return;
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    },
    async stop(graceMs = 5000) {
      await terminate(child, graceMs);
      return exited;
    },
    waitForLine(regex: RegExp, timeoutMs: number): Promise<string> {
      const seen = lines.find((l) => regex.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const cleanup = (): void => {
          clearTimeout(timer);
          events.off('line', onLine);
          events.off('exit', onExit);
        };
        const onLine = (l: string): void => {
          if (regex.test(l)) {
            cleanup();
            resolve(l);
          }
        };
        const onExit = (): void => {
          cleanup();
          reject(
            new Error(`${label} exited (code ${child.exitCode}, signal ${child.signalCode}) before printing ${regex}; output tail:\n${tail()}`),
          );
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${label} printed no line matching ${regex} within ${timeoutMs}ms; output tail:\n${tail()}`));
        }, timeoutMs);
        events.on('line', onLine);
        if (hasExited) onExit();
        else events.on('exit', onExit);
      });
    },
  };
}
