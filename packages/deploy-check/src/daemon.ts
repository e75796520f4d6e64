// Owns the long-running processes of the control-plane tier (etcd, kube-apiserver, controllers,
// kwok, Prometheus, the parley services): each logs to a file, is registered with the test kit's
// orphan guard (killed even if the test process dies), and is stopped with SIGTERM, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { guardChild, waitFor } from '@parley/testkit';

export interface DaemonOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
}

export class Daemon {
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exit: Promise<void>;
  private readonly gone = new AbortController();
  private readonly unguard: () => void;

  constructor(
    readonly name: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        this.gone.abort();
        resolve();
      });
      child.once('error', (err) => {
        this.exited = { code: null, signal: null };
        this.gone.abort();
        fs.appendFileSync(logFile, `\nspawn failed: ${err.message}\n`);
        resolve();
      });
    });
    this.unguard = guardChild(child.pid ?? -1);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  /** The last lines of its log, for failure messages. */
  tail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Waits until `ready()` holds; fails at once, with the log's tail, if the process exits. */
  async waitUntil(ready: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
    await waitFor(ready, { timeoutMs, intervalMs: 250, what: `${this.name}: ${what}`, signal: this.gone.signal }).catch((err: Error) => {
      const exited = this.running ? '' : ` (${this.name} exited: ${JSON.stringify(this.exited)})`;
      throw new Error(`${err.message}${exited}\n--- ${this.name} log (${this.logFile}) ---\n${this.tail()}`);
    });
  }

  /** SIGTERM, SIGKILL after `graceMs`; resolves once it has exited. Idempotent. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.running) {
      try {
        this.child.kill('SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exit;
      clearTimeout(timer);
    }
    this.unguard();
  }
}

export function startDaemon(opts: DaemonOptions): Daemon {
  const log = fs.openSync(opts.logFile, 'a');
  const child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  return new Daemon(opts.name, opts.logFile, child);
}

/** Stops every daemon in the list, the last started first; never throws. */
export async function stopAll(daemons: Daemon[]): Promise<void> {
  for (const d of [...daemons].reverse()) {
    await d.stop().catch(() => undefined);
  }
}
