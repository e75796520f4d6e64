// Owns running a throwaway redis-server for tests: spawn on 127.0.0.1 with no persistence,
// wait until it answers PING, stop it, and restart it on the same port with all data lost.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitOf, tailFile, terminate } from './child';
import { freePort } from './free-port';
import { guardChild, guardDir } from './orphan-guard';
import { respCommand } from './resp';
import { waitFor } from './wait-for';

export interface RedisServerOptions {
  /** Port to listen on; a free one is picked when omitted. */
  port?: number;
  /** redis-server executable; default `$PARLEY_REDIS_SERVER_BIN` or `redis-server` on PATH. */
  binary?: string;
  /** How long to wait for PONG after each start. Default 15000. */
  startTimeoutMs?: number;
  /** More redis-server arguments (e.g. cluster mode), after the defaults. */
  extraArgs?: readonly string[];
}

export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** pid of the current redis-server process (changes on restart). */
  readonly pid: number;
  /** Stops the server and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Stops and starts again on the same port: every key is gone afterwards. */
  restart(): Promise<void>;
  /** kill -9 (a crash). Its directory stays (a cluster node keeps its nodes.conf), not its keys. */
  kill(): Promise<void>;
  /** Starts it again after `kill()`, on the same port and directory, with no keys. */
  start(): Promise<void>;
  /** Sends a signal to the running server (SIGSTOP / SIGCONT to freeze and thaw it). */
  signal(signal: NodeJS.Signals): void;
  /** Its directory (log file `redis.log`, a cluster node's `nodes.conf`). */
  readonly dir: string;
}

const NOT_FOUND = 'redis-server not found: apt-get install -y redis-server';

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const port = opts.port ?? (await freePort());
  const binary = opts.binary ?? process.env.PARLEY_REDIS_SERVER_BIN ?? 'redis-server';
  const startTimeoutMs = opts.startTimeoutMs ?? 15_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-redis-'));
  const logFile = path.join(dir, 'redis.log');
  const releaseDir = guardDir(dir);
  const removeDir = (): void => {
    fs.rmSync(dir, { recursive: true, force: true });
    releaseDir();
  };

  let child: ChildProcess | undefined;
  let release: () => void = () => undefined;
  let stopped = false;

  const launch = async (): Promise<void> => {
    const fd = fs.openSync(logFile, 'a');
    let spawned: ChildProcess;
    try {
      spawned = spawn(
        binary,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
          '--daemonize', 'no', '--dir', dir, ...(opts.extraArgs ?? [])],
        // Own process group: a terminal's ^C reaches the launcher, which stops the services first.
        { stdio: ['ignore', fd, fd], cwd: dir, detached: true },
      );
    } finally {
      fs.closeSync(fd);
    }
    child = spawned;
    spawned.unref();
    const spawnError = new Promise<never>((_, reject) => {
      spawned.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'ENOENT' ? new Error(NOT_FOUND) : err);
      });
    });
    spawnError.catch(() => undefined);
    if (spawned.pid !== undefined) {
      const releaseThis = guardChild(spawned.pid);
      release = releaseThis;
      void exitOf(spawned).then(releaseThis);
    }
    const earlyExit = exitOf(spawned).then(({ code, signal }) => {
      throw new Error(
        `redis-server on port ${port} exited during startup (code ${code}, signal ${signal}); ` +
          `log tail:\n${tailFile(logFile)}`,
      );
    });
    earlyExit.catch(() => undefined);
    const abort = new AbortController();
    const ready = waitFor(
      async () => (await respCommand(port, ['PING'], { timeoutMs: 1000 })) === 'PONG',
      {
        timeoutMs: startTimeoutMs,
        intervalMs: 25,
        what: `redis-server on 127.0.0.1:${port} to answer PING`,
        signal: abort.signal,
      },
    );
    ready.catch(() => undefined);
    try {
      await Promise.race([ready, spawnError, earlyExit]);
      abort.abort();
    } catch (err) {
      abort.abort(); // stop polling if redis-server died or never started
      await terminate(spawned, 2000, 'SIGKILL');
      const e = err as Error;
      if (e.message === NOT_FOUND || e.message.includes('log tail')) throw e;
      throw new Error(`${e.message}; log tail:\n${tailFile(logFile)}`);
    }
  };

  const halt = async (): Promise<void> => {
    if (!child) return;
    const c = child;
    child = undefined;
    await terminate(c, 3000);
    release();
  };

  try {
    await launch();
  } catch (err) {
    removeDir();
    throw err;
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid(): number {
      return child?.pid ?? -1;
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await halt();
      removeDir();
    },
    async restart(): Promise<void> {
      if (stopped) throw new Error(`redis-server on port ${port} was stopped; cannot restart`);
      await halt();
      await launch();
    },
    async kill(): Promise<void> {
      if (!child) return;
      const c = child;
      child = undefined;
      await terminate(c, 0, 'SIGKILL');
      release();
    },
    async start(): Promise<void> {
      if (stopped) throw new Error(`redis-server on port ${port} was stopped; cannot start it again`);
      if (child) throw new Error(`redis-server on port ${port} is running`);
      await launch();
    },
    signal(signal: NodeJS.Signals): void {
      child?.kill(signal);
    },
    dir,
  };
}
