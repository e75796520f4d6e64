// `npm run bench`: parley against raw uWebSockets.js, `ws` and Socket.IO on this machine,
// with one client harness (`ws` clients in worker processes): idle memory per connection,
// group fan-out, and 1:1 latency embedded and on real Kafka + Redis. Writes a markdown
// table to bench/results/ and prints it. `--only idle,fanout,latency,cpu,steps` runs some sections
// (see BENCH_USAGE in bench-args.ts); the CPU-per-message and stepped-rate sections live in
// cost-sections.ts.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort, guardChild, startKafkaBroker, startRedisServer } from '@parley/testkit';
import { readFdLimits } from '../fd-limit';
import { monotonicMicros } from '../latency';
import { parseLoadArgs } from '../options';
import { LoadResult, runLoad } from '../run-load';
import { figureColumn, markdownTable, textColumn } from '../markdown-table';
import { BENCH_USAGE, BenchArgsError, BenchSection, parseBenchArgs } from './bench-args';
import { cpuSection, SectionOutput, stepsSection } from './cost-sections';
import type { BenchClientCommand, BenchClientReport, ClientFlavor } from './bench-client-main';
import { CONNECT_ATTEMPTS, ConnectionPlan, CONNECTIONS_PER_PROCESS, CONNECTIONS_PER_SOURCE_ADDRESS, MIN_CLIENT_PROCESSES, planConnections, processesFor } from './connection-plan';

type ServerKind = 'parley' | 'parley-gateway' | 'uws' | 'ws' | 'socketio';
const SERVER_LABEL: Record<ServerKind, string> = {
  parley: 'parley, `npm start` (gateway + sequencer + delivery, in-memory stores)',
  'parley-gateway': 'parley gateway alone (PARLEY_ROLES=gateway)',
  uws: 'raw uWebSockets.js',
  ws: 'ws',
  socketio: 'Socket.IO',
};
/** The name a sentence uses. */
const SERVER_SHORT: Record<ServerKind, string> = { parley: '`npm start`', 'parley-gateway': 'the parley gateway', uws: 'raw uWebSockets.js', ws: 'ws', socketio: 'Socket.IO' };
const FLAVOR: Record<ServerKind, ClientFlavor> = { parley: 'parley', 'parley-gateway': 'parley', uws: 'raw', ws: 'raw', socketio: 'socketio' };
const isParley = (kind: ServerKind): boolean => kind === 'parley' || kind === 'parley-gateway';

const REPO = join(__dirname, '..', '..', '..', '..');
const PARLEY_MAIN = join(REPO, 'services', 'server', 'dist', 'main.js');
const JWT_SECRET = 'parley-bench-secret-0123456789';
/**
 * A process here may hold 20,000 files (a hard limit not even root can raise): the larger size
 * is spread over several server processes (connection-plan.ts) and their RSS growth summed.
 */
const IDLE_SIZES = [10_000, 50_000];
const IDLE_KINDS: readonly ServerKind[] = ['parley', 'parley-gateway', 'uws', 'ws', 'socketio'];
/**
 * `npm start` keeps its in-memory stores in its one process: several of them would be several
 * separate parleys, so it is measured only at sizes one process can hold.
 */
const SINGLE_PROCESS_KINDS: ReadonlySet<ServerKind> = new Set(['parley']);
/** Connections per second over all client processes while connecting. */
const RAMP_PER_SEC = 5000;
const FANOUT_MEMBERS = 1000;
const FANOUT_BROADCASTS = 2000;
const FANOUT_BYTES = 64;

/** Server processes `kind` runs as to hold `size` connections, or undefined when it cannot here. */
function serverProcessesFor(kind: ServerKind, size: number): number | undefined {
  const needed = processesFor(size);
  return needed > 1 && SINGLE_PROCESS_KINDS.has(kind) ? undefined : needed;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Sockets a process holds: the entries of /proc/<pid>/fd that link to socket:[inode]. */
function socketCount(pid: number): number {
  const dir = `/proc/${pid}/fd`;
  let sockets = 0;
  for (const fd of readdirSync(dir)) {
    try {
      if (readlinkSync(`${dir}/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed between the listing and the readlink
    }
  }
  return sockets;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs `work` and reports the share of one core `pid` used meanwhile. */
async function withCpu<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; cpuPercent: number }> {
  const cpu0 = cpuSeconds(pid);
  const t0 = Date.now();
  const value = await work();
  return { value, cpuPercent: Math.round((100 * (cpuSeconds(pid) - cpu0)) / ((Date.now() - t0) / 1000)) };
}

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

interface Server {
  readonly kind: ServerKind;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(kind: ServerKind, extraEnv: Record<string, string> = {}, port?: number): Promise<Server> {
  port ??= await freePort();
  const child =
    isParley(kind)
      ? spawn(process.execPath, [PARLEY_MAIN], {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env,
            PARLEY_GATEWAY_PORT: String(port),
            PARLEY_GATEWAY_HOST: '127.0.0.1',
            PARLEY_LOG_LEVEL: 'error',
            PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '100000',
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
async function startServers(kind: ServerKind, count: number): Promise<Server[]> {
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

const urlOf = (server: Server): string => (isParley(server.kind) ? `ws://127.0.0.1:${server.port}/ws` : `ws://127.0.0.1:${server.port}`);

class ClientProcess {
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
function freshSourceOctets(count: number): number {
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
async function connectClients(servers: readonly Server[], plan: ConnectionPlan, tag: string): Promise<{ clients: ClientProcess[]; connected: number; retries: number }> {
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

interface IdleRow {
  readonly server: ServerKind;
  readonly connections: number;
  readonly connected: number;
  /** Σ(RSS after − RSS before) over the server processes ÷ connected. */
  readonly bytesPerConnection: number;
  /** Connections each server process was to hold (the plan). */
  readonly sharePerProcess: readonly number[];
  /** Connections each server process held: sockets in its /proc/<pid>/fd, less those before. */
  readonly heldPerProcess: readonly number[];
  readonly rssGrowthPerProcess: readonly number[];
  /** Connection attempts made again after a failed one (CONNECT_ATTEMPTS). */
  readonly retries: number;
}

/** Every connection up and every server process holding exactly its share. */
const idleRowComplete = (row: IdleRow): boolean => row.connected === row.connections && row.heldPerProcess.every((held, i) => held === row.sharePerProcess[i]);

async function idleMemory(kind: ServerKind, size: number, serverProcesses: number): Promise<IdleRow> {
  const plan = planConnections(size, serverProcesses);
  const servers = await startServers(kind, plan.serverProcesses);
  try {
    await sleep(1500);
    const pids = servers.map((s) => s.child.pid!);
    const rssBefore = pids.map(rssBytes);
    const socketsBefore = pids.map(socketCount);
    const { clients, connected, retries } = await connectClients(servers, plan, `${kind}${size}`);
    await sleep(3000);
    const rssAfter = pids.map(rssBytes);
    const heldPerProcess = pids.map((pid, i) => socketCount(pid) - socketsBefore[i]!);
    await Promise.all(clients.map((c) => c.stop()));
    const rssGrowthPerProcess = rssAfter.map((after, i) => after - rssBefore[i]!);
    const growth = rssGrowthPerProcess.reduce((a, b) => a + b, 0);
    const row: IdleRow = {
      server: kind,
      connections: size,
      connected,
      bytesPerConnection: connected > 0 ? growth / connected : NaN,
      sharePerProcess: plan.serverShares,
      heldPerProcess,
      rssGrowthPerProcess,
      retries,
    };
    const mib = (bytes: readonly number[]): string => bytes.map((b) => (b / 2 ** 20).toFixed(0)).join(' + ');
    log(
      `idle ${kind} ${size}: ${connected} up${retries > 0 ? ` (${retries} retries)` : ''}, held ${heldPerProcess.join(' + ')} (shares ${plan.serverShares.join(' + ')}), ${(row.bytesPerConnection / 1024).toFixed(2)} KB each ` +
        `(RSS ${mib(rssBefore)} -> ${mib(rssAfter)} MiB)${idleRowComplete(row) ? '' : ' INCOMPLETE'}`,
    );
    return row;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** Peers: the server broadcasts FANOUT_BROADCASTS messages to FANOUT_MEMBERS clients. */
async function peerFanout(kind: 'uws' | 'ws' | 'socketio'): Promise<{ rate: number; cpuPercent: number }> {
  const server = await startServer(kind);
  try {
    const { clients, connected } = await connectClients([server], planConnections(FANOUT_MEMBERS, 1), `f${kind}`);
    if (connected !== FANOUT_MEMBERS) throw new Error(`${kind}: only ${connected} of ${FANOUT_MEMBERS} connected`);
    await sleep(500);
    const startedUs = monotonicMicros();
    const cpu0 = cpuSeconds(server.child.pid!);
    clients[0]!.send({ type: 'burst', count: FANOUT_BROADCASTS, bytes: FANOUT_BYTES });
    const expected = FANOUT_MEMBERS * FANOUT_BROADCASTS;
    const deadline = Date.now() + 120_000;
    let received = 0;
    let lastUs = 0;
    while (Date.now() < deadline) {
      await sleep(200);
      const counts = await Promise.all(clients.map((c) => c.request({ type: 'counts' })));
      received = counts.reduce((n, r) => n + (r.type === 'counts' ? r.received : 0), 0);
      lastUs = Math.max(...counts.map((r) => (r.type === 'counts' ? r.lastUs : 0)));
      if (received >= expected) break;
    }
    const cpuPercent = Math.round((100 * (cpuSeconds(server.child.pid!) - cpu0)) / ((monotonicMicros() - startedUs) / 1e6));
    await Promise.all(clients.map((c) => c.stop()));
    const rate = received / ((lastUs - startedUs) / 1e6);
    log(`fan-out ${kind}: ${received}/${expected} deliveries, ${Math.round(rate)}/s, server cpu ${cpuPercent}%`);
    return { rate: received >= expected ? rate : NaN, cpuPercent };
  } finally {
    await server.stop();
  }
}

async function parleyLoad(server: Server, args: string[]): Promise<LoadResult> {
  const options = parseLoadArgs(['--url', urlOf(server), '--secret', JWT_SECRET, '--quiet', '--source-from', String(freshSourceOctets(2)), ...args]);
  return runLoad(options);
}

const FANOUT_ARGS = ['--scenario', 'groups', '--connections', String(FANOUT_MEMBERS), '--group-size', String(FANOUT_MEMBERS), '--group-senders', '1', '--rate', '1000', '--duration', '2', '--payload', String(FANOUT_BYTES), '--drain-ms', '60000'];
const LATENCY_ARGS = ['--scenario', 'pairs', '--connections', '2000', '--rate', '10000', '--duration', '20', '--payload', '64'];
/** The same pairs at a tenth of the rate: latency when the server keeps up. */
const LIGHT_LATENCY_ARGS = ['--scenario', 'pairs', '--connections', '2000', '--rate', '1000', '--duration', '20', '--payload', '64'];
/**
 * Run on the same server before a latency measurement and not counted: a fresh process (and a
 * fresh Kafka topic) is cold, JIT compilers of Node and of the JVM broker included, and the first
 * seconds measure start-up rather than the steady state.
 */
const WARM_UP_ARGS = ['--scenario', 'pairs', '--connections', '2000', '--rate', '1000', '--duration', '10', '--payload', '64'];

interface Measured {
  readonly result: LoadResult;
  /** The parley process's CPU over the run, percent of one core. */
  readonly serverCpuPercent: number;
}

interface ModeRun {
  readonly fanout?: Measured;
  readonly latency?: Measured;
  readonly lightLatency?: Measured;
}

let runNumber = 0;

async function measuredParleyRun(extraEnv: Record<string, string>, args: string[], warmUpArgs?: string[]): Promise<Measured> {
  // Fresh topics, consumer groups and Redis keys per run: a killed server leaves a backlog
  // and a consumer-group member that only times out after the session timeout.
  const prefix = `bench${Date.now().toString(36)}${runNumber++}`;
  const server = await startServer('parley', { PARLEY_TOPIC_PREFIX: prefix, PARLEY_REDIS_PREFIX: `${prefix}:`, ...extraEnv });
  try {
    await sleep(1000);
    if (warmUpArgs) {
      const warmUp = await parleyLoad(server, warmUpArgs);
      log(`warm-up: ${Math.round(warmUp.throughput.sentPerSec)} msgs/s for ${warmUp.options.durationSec} s, ${verdictOf(warmUp)}`);
    }
    const { value, cpuPercent } = await withCpu(server.child.pid!, () => parleyLoad(server, args));
    return { result: value, serverCpuPercent: cpuPercent };
  } finally {
    await server.stop();
  }
}

async function parleyRuns(extraEnv: Record<string, string>, label: string, sections: ReadonlySet<BenchSection>): Promise<ModeRun> {
  let fanout: Measured | undefined;
  if (sections.has('fanout')) {
    fanout = await measuredParleyRun(extraEnv, FANOUT_ARGS);
    log(`fan-out parley ${label}: ${Math.round(fanout.result.throughput.deliveredPerSec)}/s, server cpu ${fanout.serverCpuPercent}%, ${verdictOf(fanout.result)}`);
  }
  if (!sections.has('latency')) return { fanout };
  const latency = await measuredParleyRun(extraEnv, LATENCY_ARGS, WARM_UP_ARGS);
  const lightLatency = await measuredParleyRun(extraEnv, LIGHT_LATENCY_ARGS, WARM_UP_ARGS);
  for (const [name, m] of [['10k/s', latency], ['1k/s', lightLatency]] as const) {
    const l = m.result.latency;
    log(`1:1 parley ${label} ${name}: msg:N p50 ${l.msgN.p50} p99 ${l.msgN.p99}; ack:N p50 ${l.ackN.p50} p99 ${l.ackN.p99} ms; server cpu ${m.serverCpuPercent}%; ${verdictOf(m.result)}`);
  }
  return { fanout, latency, lightLatency };
}

const kb = (bytes: number): string => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(2) : 'n/a');
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a / b).toFixed(2) : 'n/a');
const perSec = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const count = (n: number): string => n.toLocaleString('en-US');
const verdictOf = (r: LoadResult): string => `lost ${r.verdict.lost}, dup ${r.verdict.duplicated}, reordered ${r.verdict.reordered}`;

/** Ephemeral ports the kernel hands out per source address (net.ipv4.ip_local_port_range). */
function ephemeralPorts(): number {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return high! - low! + 1;
  } catch {
    // not Linux: fall through
  }
  return NaN;
}

function idleSection(idle: readonly IdleRow[]): string[] {
  const rowOf = (kind: ServerKind, size: number): IdleRow | undefined => idle.find((r) => r.server === kind && r.connections === size);
  const idleOf = (kind: ServerKind, size: number): number => rowOf(kind, size)?.bytesPerConnection ?? NaN;
  const hardFiles = readFdLimits()?.hard ?? NaN;
  const fileLimit = Number.isFinite(hardFiles) ? `${count(hardFiles)}-file limit` : `${count(CONNECTIONS_PER_PROCESS)} connections per process`;
  const cell = (kind: ServerKind, size: number): string => {
    if (serverProcessesFor(kind, size) === undefined) return `n/a (one process; ${fileLimit})`;
    const row = rowOf(kind, size);
    if (!row) return 'n/a';
    if (row.connected < row.connections) return `${kb(row.bytesPerConnection)} (only ${count(row.connected)} up)`;
    if (!idleRowComplete(row)) return `${kb(row.bytesPerConnection)} (uneven: ${row.heldPerProcess.map(count).join(' + ')})`;
    return kb(row.bytesPerConnection);
  };
  const split = IDLE_SIZES.filter((size) => processesFor(size) > 1);
  const ports = ephemeralPorts();
  const notes = split.map((size) => {
    const plan = planConnections(size);
    const k = plan.serverProcesses;
    const singles = IDLE_KINDS.filter((kind) => serverProcessesFor(kind, size) === undefined);
    return (
      `At ${count(size)} connections: a process here may hold at most ${Number.isFinite(hardFiles) ? count(hardFiles) : 'a limited number of'} open files ` +
      '(hard limit; `ulimit -Hn` cannot be raised, not even by root), ' +
      `so each server runs as ${k} = ⌈${count(size)} ÷ ${count(CONNECTIONS_PER_PROCESS)}⌉ processes, each on its own port and given ${plan.serverShares.map(count).join(' + ')} connections round-robin; ` +
      `per connection = Σ(RSS after − RSS before) over the ${k} processes ÷ connections. ` +
      'Each process was checked to hold its share (the sockets in its /proc/<pid>/fd). ' +
      `The ${k} parley gateways run \`PARLEY_ROLES=gateway\`, each embedded with its own PARLEY_GATEWAY_ID and port (idle connections need no shared store; a connection counts once its welcome arrived). ` +
      singles.map((kind) => `${SERVER_SHORT[kind]} is not measured: its in-memory stores live in its one process, which cannot hold ${count(size)} connections here, and ${k} of them would be ${k} separate parleys. `).join('') +
      `Clients: ${plan.clients.length} processes (${plan.clients.map((c) => count(c.count)).join(' + ')}), each binding ${plan.clients[0]!.sourceAddresses} source addresses 127.0.0.x of its own, round-robin ` +
      `(at most ${count(CONNECTIONS_PER_SOURCE_ADDRESS)} connections per address${Number.isFinite(ports) ? ` of its ${count(ports)} ephemeral ports` : ''}: past a quarter of them, bind() becomes slow enough to stall the clients).`
    );
  });
  const [small] = IDLE_SIZES;
  return [
    '## Idle memory: server RSS growth per idle connection (KB)',
    '',
    ...markdownTable(
      [textColumn('server'), ...IDLE_SIZES.map((s) => figureColumn(`${count(s)} conns`))],
      [
        ...IDLE_KINDS.map((k) => [SERVER_LABEL[k], ...IDLE_SIZES.map((s) => cell(k, s))]),
        ['**parley gateway ÷ raw uWS** (target ≤ 2)', ...IDLE_SIZES.map((s) => ratio(idleOf('parley-gateway', s), idleOf('uws', s)))],
        ['**parley gateway ÷ Socket.IO** (target ≤ 0.2)', ...IDLE_SIZES.map((s) => ratio(idleOf('parley-gateway', s), idleOf('socketio', s)))],
      ],
    ),
    '',
    ...notes,
    `The ratios use the gateway-alone row, the only parley row measured at every size; \`npm start\` at ${count(small!)}: ÷ raw uWS ${ratio(idleOf('parley', small!), idleOf('uws', small!))}, ÷ Socket.IO ${ratio(idleOf('parley', small!), idleOf('socketio', small!))}.`,
    `Connected (per server process): ${idle.map((r) => `${r.server}@${r.connections}: ${count(r.connected)}${r.heldPerProcess.length > 1 ? ` (${r.heldPerProcess.map(count).join(' + ')})` : ''}${r.retries > 0 ? `, ${count(r.retries)} retried` : ''}`).join(', ')}. ` +
      `A connection reset while connecting (a CPU-starved server lets its accept queue overflow) is tried again, up to ${CONNECT_ATTEMPTS - 1} times; it held nothing on the server.`,
    '',
  ];
}

interface FanoutPeers {
  readonly uws: { rate: number; cpuPercent: number };
  readonly ws: { rate: number; cpuPercent: number };
  readonly socketio: { rate: number; cpuPercent: number };
}

function fanoutSection(peers: FanoutPeers, embedded: Measured, real: Measured): string[] {
  return [
    `## Group fan-out: deliveries per second to ${count(FANOUT_MEMBERS)} members (${FANOUT_BYTES}-byte payload)`,
    '',
    ...markdownTable(
      [textColumn('server'), figureColumn('deliveries/s'), figureColumn('server CPU (% of one core)'), figureColumn('÷ raw uWS (target ≥ 0.5)'), figureColumn('÷ Socket.IO (target ≥ 3)')],
      [
        ...([['parley embedded', embedded.result.throughput.deliveredPerSec, embedded.serverCpuPercent], ['parley Kafka + Redis', real.result.throughput.deliveredPerSec, real.serverCpuPercent]] as const).map(
          ([name, rate, cpu]) => [name, perSec(rate), String(cpu), ratio(rate, peers.uws.rate), ratio(rate, peers.socketio.rate)],
        ),
        ['raw uWebSockets.js publish', perSec(peers.uws.rate), String(peers.uws.cpuPercent), '', ''],
        ['ws (loop over clients)', perSec(peers.ws.rate), String(peers.ws.cpuPercent), '', ''],
        ['Socket.IO rooms', perSec(peers.socketio.rate), String(peers.socketio.cpuPercent), '', ''],
      ],
    ),
    '',
    `Peers: the server broadcasts ${count(FANOUT_BROADCASTS)} messages to all members; rate = deliveries ÷ (last delivery − burst request). ` +
      `parley: one sender sends 1,000 msgs/s for 2 s (2,000 messages, as many as the peers broadcast) into one group of ${FANOUT_MEMBERS} through the whole pipeline (gateway → bus → sequencer → delivery → gateway) with acks; rate = deliveries ÷ (last delivery − first send). ` +
      `Verdicts: embedded ${verdictOf(embedded.result)}; Kafka + Redis ${verdictOf(real.result)}. Group receivers ack cumulatively every 100 ms.` +
      [embedded.result, real.result]
        .map((r, i) => (r.loadGenerator.bottleneck ? ` Load generator limited the ${i === 0 ? 'embedded' : 'Kafka + Redis'} run: ${r.loadGenerator.bottleneck}.` : ''))
        .join(''),
    '',
  ];
}

function latencySection(embedded: ModeRun, real: ModeRun): string[] {
  const runs: Array<[string, Measured | undefined]> = [
    ['embedded', embedded.latency],
    ['Kafka + Redis', real.latency],
    ['embedded', embedded.lightLatency],
    ['Kafka + Redis', real.lightLatency],
  ];
  return [
    '## 1:1 latency: 1,000 pairs (2,000 connections), 20 s, 64 B (ms)',
    '',
    ...markdownTable(
      [textColumn('mode'), ...['offered msgs/s', 'sent/s', 'send → msg:N p50', 'p99', 'send → ack:N p50', 'p99', 'server CPU %'].map(figureColumn), textColumn('verdict')],
      runs.flatMap(([name, m]) => {
        if (!m) return [];
        const r = m.result;
        const notes = [verdictOf(r), r.drain.timedOut ? `server fell behind: ${count(r.drain.outstandingAtEnd)} unacked when the ${r.options.drainMs / 1000} s drain ended (counted as lost)` : '', r.loadGenerator.bottleneck ? `load generator limited: ${r.loadGenerator.bottleneck}` : ''].filter(Boolean);
        const l = r.latency;
        return [[name, perSec(r.options.ratePerSec), perSec(r.throughput.sentPerSec), String(l.msgN.p50), String(l.msgN.p99), String(l.ackN.p50), String(l.ackN.p99), String(m.serverCpuPercent), notes.join('; ')]];
      }),
    ),
    '',
    'Each row runs on a fresh server after a 10 s warm-up at 1,000 msgs/s on that server (not counted), so it measures the steady state rather than cold JIT compilers and fresh Kafka topics. Target (Kafka + Redis): p50 ≤ 5 ms and p99 ≤ 25 ms.',
    '',
  ];
}

/** Runs the sections `argv` asks for; resolves to the process's exit code (2: bad arguments). */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(argv);
  } catch (err) {
    if (!(err instanceof BenchArgsError)) throw err;
    process.stderr.write(`${err.message}\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const { sections } = args;
  const startedMs = Date.now();
  const idle: IdleRow[] = [];
  if (sections.has('idle')) {
    for (const size of IDLE_SIZES)
      for (const kind of IDLE_KINDS) {
        const processes = serverProcessesFor(kind, size);
        if (processes === undefined) log(`idle ${kind} ${size}: skipped (one process cannot hold ${size} connections here)`);
        else idle.push(await idleMemory(kind, size, processes));
      }
  }
  const fanoutPeers: FanoutPeers | undefined = sections.has('fanout') ? { uws: await peerFanout('uws'), ws: await peerFanout('ws'), socketio: await peerFanout('socketio') } : undefined;
  let embedded: ModeRun = {};
  let real: ModeRun = {};
  if (sections.has('fanout') || sections.has('latency')) {
    embedded = await parleyRuns({}, 'embedded', sections);
    log('starting Kafka and Redis');
    const [redis, kafka] = await Promise.all([startRedisServer(), startKafkaBroker()]);
    try {
      real = await parleyRuns({ PARLEY_KAFKA_BROKERS: kafka.brokers.join(','), PARLEY_REDIS_URL: redis.url, KAFKAJS_NO_PARTITIONER_WARNING: '1' }, 'kafka+redis', sections);
    } finally {
      await Promise.allSettled([redis.stop(), kafka.stop()]);
    }
  }

  const costs: Partial<Record<'cpu' | 'steps', SectionOutput>> = {
    cpu: sections.has('cpu') ? await cpuSection(log) : undefined,
    steps: sections.has('steps') ? await stepsSection(log) : undefined,
  };

  const totalSec = Math.round((Date.now() - startedMs) / 1000);
  const at = new Date().toISOString();
  const clientNote = IDLE_SIZES.map((size) => `${planConnections(size).clients.length} at ${count(size)}`).join(', ');
  const lines: string[] = [
    `# parley benchmark, ${at}${args.full ? '' : ` (only ${[...sections].join(', ')})`}`,
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}. ` +
      `One client harness for every server: \`ws\` clients in worker processes (${MIN_CLIENT_PROCESSES}, or one per ${count(CONNECTIONS_PER_PROCESS)} connections: ${clientNote}), fresh 127.0.0.x source addresses per measurement (parley messaging rows: the load tester, packages/loadtest). Total time ${totalSec} s.`,
    '',
    ...(sections.has('idle') ? idleSection(idle) : []),
    ...(fanoutPeers && embedded.fanout && real.fanout ? fanoutSection(fanoutPeers, embedded.fanout, real.fanout) : []),
    ...(sections.has('latency') ? latencySection(embedded, real) : []),
    ...(costs.cpu?.lines ?? []),
    ...(costs.steps?.lines ?? []),
    '## Commands',
    '',
    '```',
    args.full ? 'npm run bench' : `node bench/run-bench.js --only ${[...sections].join(',')}   # after npm run build`,
    ...(sections.has('fanout') || sections.has('latency') ? [`# parley rows run the load tester, equivalent to:`] : []),
    ...(sections.has('fanout') ? [`npm run load -- --url ws://127.0.0.1:PORT/ws ${FANOUT_ARGS.join(' ')}`] : []),
    ...(sections.has('latency') ? [`npm run load -- --url ws://127.0.0.1:PORT/ws ${LATENCY_ARGS.join(' ')}`, `npm run load -- --url ws://127.0.0.1:PORT/ws ${LIGHT_LATENCY_ARGS.join(' ')}`] : []),
    ...(costs.cpu?.commands ?? []),
    ...(costs.steps?.commands ?? []),
    '```',
    '',
  ];
  const markdown = lines.join('\n');
  const dir = join(REPO, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = at.replace(/[:.]/g, '-');
  const file = join(dir, args.full ? `${stamp}.md` : `${stamp}-${[...sections].join('-')}.md`);
  writeFileSync(file, markdown);
  let readme = false;
  // Only a full run stands for "the latest run": a partial one would leave holes in the tables.
  if (args.full) {
    writeFileSync(join(dir, 'latest.md'), markdown);
    writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ idle, fanoutPeers, embedded, real, cpu: costs.cpu?.data, steps: costs.steps?.data }, null, 2)}\n`);
    readme = updateReadme(join(REPO, 'README.md'), markdown, file.slice(REPO.length + 1));
  }
  process.stdout.write(`${markdown}\nwritten to ${file}${args.full ? ', bench/results/latest.md' : ''}${readme ? ' and README.md' : ''}\n`);
  log(`total time ${totalSec} s`);
  return 0;
}

const README_START = '<!-- bench:latest:start -->';
const README_END = '<!-- bench:latest:end -->';

/** Puts the table between the README's bench markers (headings demoted under "Figures"). */
export function updateReadme(readmePath: string, markdown: string, resultFile: string): boolean {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return false;
  const body = markdown
    .split('\n')
    .filter((line, i) => !(i === 0 && line.startsWith('# ')))
    .map((line) => (line.startsWith('## ') ? `#### ${line.slice(3)}` : line))
    .join('\n')
    .trim();
  const block = `${README_START}\n_From [${resultFile}](${resultFile})._\n\n${body}\n${README_END}`;
  writeFileSync(readmePath, readme.slice(0, start) + block + readme.slice(end + README_END.length));
  return true;
}
