// Owns spawning a Node child process for tests (a service to SIGKILL and restart): captured
// output, an exit promise, and waiting for a log line, with the child killed if the test dies.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { exitOf, terminate } from './child';
import { repoRoot } from './kafka-broker';
import { guardChild } from './orphan-guard';

export interface SpawnNodeOptions {
  cwd?: string;
  /** Extra node flags, e.g. ['--enable-source-maps']. */
  execArgv?: string[];
  /** Echo the child's output to this process's stderr (also on when PARLEY_TEST_ECHO_CHILD=1). */
  echo?: boolean;
  /** Name before each echoed line (default: the script's file name and the pid). */
  label?: string;
  /** What an output line is echoed as; undefined: not echoed. Default: the line as it is. */
  echoAs?: (line: string) => string | undefined;
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
  return spawnProcess(process.execPath, [...(opts.execArgv ?? []), script, ...args], env, opts, script.split('/').pop() ?? script);
}

/**
 * Runs `npm run <script> [-- args]` in the repository, as a user would; `env` adds to this
 * process's environment (an undefined value removes a variable).
 */
export function spawnNpmScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  opts: Omit<SpawnNodeOptions, 'execArgv'> = {},
): NodeProcessHandle {
  return spawnProcess('npm', ['run', script, ...(args.length > 0 ? ['--', ...args] : [])], env, { cwd: repoRoot(), ...opts }, `npm run ${script}`);
}

/** `name` labels echoed lines, with the pid, unless `opts.label` says otherwise. */
function spawnProcess(command: string, argv: string[], env: Record<string, string | undefined>, opts: SpawnNodeOptions, name: string): NodeProcessHandle {
  const child = spawn(command, argv, {
    cwd: opts.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal's ^C reaches only the parent, which decides the order of the stop.
    detached: true,
  });
  const echo = opts.echo ?? process.env.PARLEY_TEST_ECHO_CHILD === '1';
  const label = `[${opts.label ?? `${name}:${child.pid ?? '?'}`}]`;
  const echoAs = opts.echoAs ?? ((line: string) => line);
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
      const shown = echo ? echoAs(l) : undefined;
      if (shown !== undefined) process.stderr.write(`${label} ${shown}\n`);
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
