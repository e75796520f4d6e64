// Owns running an external command to completion: output captured, a deadline, and an error
// that carries the command line and the tail of its output when it fails.
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) after this long. Default 120000. */
  timeoutMs?: number;
  /** Text written to the command's stdin. */
  input?: string;
  /** Throw unless the exit code is 0. Default true. */
  check?: boolean;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    const tail = (s: string) => s.trim().split('\n').slice(-25).join('\n');
    super(`${command} exited with ${result.signal ?? result.code} after ${result.ms} ms\n${tail(result.stderr)}\n${tail(result.stdout)}`);
  }
}

export function runCommand(command: string, args: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
  const started = Date.now();
  const line = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${line}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr, ms: Date.now() - started };
      if ((opts.check ?? true) && code !== 0) reject(new CommandError(line, result));
      else resolve(result);
    });
    child.stdin.end(opts.input ?? '');
  });
}
