// The bench's client harness: `ws` clients in worker processes (bench-client-main.ts), each
// bound to fresh 127.0.0.x source addresses, opening a connection plan's connections to the
// servers and answering counts over IPC.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BenchClientCommand, BenchClientReport } from './bench-client-main';
import { log } from './bench-log';
import { FLAVOR, JWT_SECRET, urlOf, type Server } from './bench-servers';
import type { ConnectionPlan } from './connection-plan';

/** Connections per second over all client processes while connecting. */
const RAMP_PER_SEC = 5000;

export class ClientProcess {
  private readonly child = spawn(process.execPath, [join(__dirname, 'bench-client-main.js')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  private waiting: Array<{ resolve: (r: BenchClientReport) => void; reject: (err: Error) => void }> = [];
  private readonly exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));

  constructor() {
    this.child.on('message', (r: BenchClientReport) => this.waiting.shift()?.resolve(r));
    // A client that dies (out of memory, a bug) fails the measurement instead of hanging it.
    this.child.once('exit', (code, signal) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`bench client exited (${signal ?? code}) with a request pending`));
    });
  }

  request(command: BenchClientCommand): Promise<BenchClientReport> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.send(command);
    });
  }

  send(command: BenchClientCommand): void {
    this.child.send(command);
  }

  async stop(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/**
 * Every measurement binds its clients to fresh source addresses: the ports of the last one
 * stay in TIME_WAIT for a minute, and binding a source address (needed to pick it) cannot
 * reuse them, so back-to-back runs on one address run out of ephemeral ports.
 */
let nextSourceOctet = 10;
export function freshSourceOctets(count: number): number {
  const first = nextSourceOctet;
  nextSourceOctet += count;
  if (nextSourceOctet > 250) throw new Error('out of 127.0.0.x source addresses');
  return first;
}

/**
 * Opens plan.connections connections to `servers` (plan.serverProcesses of them) from the
 * plan's client processes (under 18,000 connections each), each on source addresses of its
 * own (under CONNECTIONS_PER_SOURCE_ADDRESS connections each).
 */
export async function connectClients(servers: readonly Server[], plan: ConnectionPlan, tag: string): Promise<{ clients: ClientProcess[]; connected: number; retries: number }> {
  if (servers.length !== plan.serverProcesses) throw new Error(`plan for ${plan.serverProcesses} servers, given ${servers.length}`);
  let octet = freshSourceOctets(plan.clients.reduce((n, c) => n + c.sourceAddresses, 0));
  const clients = plan.clients.map(() => new ClientProcess());
  const reports = await Promise.all(
    clients.map((c, i) => {
      const share = plan.clients[i]!;
      const localAddresses = Array.from({ length: share.sourceAddresses }, () => `127.0.0.${octet++}`);
      return c.request({
        type: 'connect',
        urls: servers.map(urlOf),
        flavor: FLAVOR[servers[0]!.kind],
        count: share.count,
        firstIndex: share.firstIndex,
        rampPerSec: RAMP_PER_SEC / plan.clients.length,
        localAddresses,
        secret: JWT_SECRET,
        userPrefix: `bench${tag}w${i}`,
      });
    }),
  );
  let connected = 0;
  let retries = 0;
  const failures: Record<string, number> = {};
  for (const r of reports) {
    if (r.type !== 'connected') continue;
    connected += r.connected;
    retries += r.retries;
    for (const [why, n] of Object.entries(r.failures)) failures[why] = (failures[why] ?? 0) + n;
  }
  if (connected < plan.connections) log(`${tag}: ${plan.connections - connected} connections failed: ${Object.entries(failures).map(([why, n]) => `${why} ×${n}`).join(', ')}`);
  return { clients, connected, retries };
}
