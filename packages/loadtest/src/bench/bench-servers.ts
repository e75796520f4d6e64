// The servers the bench measures, each its own process on its own port: parley (`npm start`'s
// main, or its gateway alone) and the peers (raw uWebSockets.js, ws, Socket.IO), started,
// waited for and killed; guarded so none outlives the bench.
import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { GATEWAY_NODE_FLAGS } from '@parley/gateway';
import { freePort, guardChild } from '@parley/testkit';
import type { ClientFlavor } from './bench-client-main';
import { sleep } from './bench-log';

export type ServerKind = 'parley' | 'parley-gateway' | 'uws' | 'ws' | 'socketio';
export const SERVER_LABEL: Record<ServerKind, string> = {
  parley: 'parley, `npm start` (gateway + sequencer + delivery, in-memory stores)',
  'parley-gateway': 'parley gateway alone (PARLEY_ROLES=gateway)',
  uws: 'raw uWebSockets.js',
  ws: 'ws',
  socketio: 'Socket.IO',
};
/** The name a sentence uses. */
export const SERVER_SHORT: Record<ServerKind, string> = { parley: '`npm start`', 'parley-gateway': 'the parley gateway', uws: 'raw uWebSockets.js', ws: 'ws', socketio: 'Socket.IO' };
export const FLAVOR: Record<ServerKind, ClientFlavor> = { parley: 'parley', 'parley-gateway': 'parley', uws: 'raw', ws: 'raw', socketio: 'socketio' };
export const isParley = (kind: ServerKind): boolean => kind === 'parley' || kind === 'parley-gateway';

export const REPO = join(__dirname, '..', '..', '..', '..');
const PARLEY_MAIN = join(REPO, 'services', 'server', 'dist', 'main.js');
export const JWT_SECRET = 'parley-bench-secret-0123456789';
/** PARLEY_RATE_LIMIT_FRAMES_PER_SEC of the bench's parley servers: a load run's connections send far more than a person's. */
export const PARLEY_BENCH_FRAME_RATE = 100_000;

async function waitForPort(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
}

export interface Server {
  readonly kind: ServerKind;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The command line of a parley server: the gateway alone runs with the flags a gateway process
 * ships with (GATEWAY_NODE_FLAGS: its Kubernetes Deployment, the local cluster), `npm start`'s
 * all-in-one server with Node's defaults, as `npm start` runs it.
 */
export function parleyArgv(kind: ServerKind): string[] {
  return [...(kind === 'parley-gateway' ? GATEWAY_NODE_FLAGS : []), PARLEY_MAIN];
}

export async function startServer(kind: ServerKind, extraEnv: Record<string, string> = {}, port?: number): Promise<Server> {
  port ??= await freePort();
  const child =
    isParley(kind)
      ? spawn(process.execPath, parleyArgv(kind), {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env,
            PARLEY_GATEWAY_PORT: String(port),
            PARLEY_GATEWAY_HOST: '127.0.0.1',
            PARLEY_LOG_LEVEL: 'error',
            PARLEY_RATE_LIMIT_FRAMES_PER_SEC: String(PARLEY_BENCH_FRAME_RATE),
            PARLEY_JWT_SECRET: JWT_SECRET,
            PARLEY_GATEWAY_ID: `bench-${port}`,
            ...(kind === 'parley-gateway' ? { PARLEY_ROLES: 'gateway' } : {}),
            ...extraEnv,
          },
        })
      : spawn(process.execPath, [join(__dirname, 'peer-server-main.js'), kind, String(port)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // Stopped with this process however it ends (the IPC peers exit when their channel closes).
  const release = child.pid !== undefined ? guardChild(child.pid) : () => undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve())).then(release);
  try {
    await waitForPort(port);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  return {
    kind,
    port,
    child,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * `count` processes of one kind, each on its own port (parley: its own PARLEY_GATEWAY_ID too,
 * named after the port). Several uWS processes could share one port (it sets SO_REUSEPORT), but
 * the kernel spreads by a hash, only roughly evenly; one port each lets the clients give every
 * process exactly its share.
 */
export async function startServers(kind: ServerKind, count: number): Promise<Server[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  const started = await Promise.allSettled([...ports].map((port) => startServer(kind, {}, port)));
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.all(servers.map((s) => s.stop()));
    throw failure.reason;
  }
  return servers;
}

export const urlOf = (server: Server): string => (isParley(server.kind) ? `ws://127.0.0.1:${server.port}/ws` : `ws://127.0.0.1:${server.port}`);
