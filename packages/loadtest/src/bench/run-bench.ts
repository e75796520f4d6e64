// `npm run bench`: parley against raw uWebSockets.js, `ws` and Socket.IO on this machine,
// with one client harness (`ws` clients in worker processes): idle memory per connection,
// group fan-out, and 1:1 latency embedded and on real Kafka + Redis. Writes a markdown
// table to bench/results/ and prints it.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort, startKafkaBroker, startRedisServer } from '@parley/testkit';
import { monotonicMicros } from '../latency';
import { parseLoadArgs } from '../options';
import { LoadResult, runLoad } from '../run-load';
import type { BenchClientCommand, BenchClientReport, ClientFlavor } from './bench-client-main';

type ServerKind = 'parley' | 'parley-gateway' | 'uws' | 'ws' | 'socketio';
const SERVER_LABEL: Record<ServerKind, string> = {
  parley: 'parley, `npm start` (gateway + sequencer + delivery, in-memory stores)',
  'parley-gateway': 'parley gateway alone (PARLEY_ROLES=gateway)',
  uws: 'raw uWebSockets.js',
  ws: 'ws',
  socketio: 'Socket.IO',
};
const FLAVOR: Record<ServerKind, ClientFlavor> = { parley: 'parley', 'parley-gateway': 'parley', uws: 'raw', ws: 'raw', socketio: 'socketio' };
const isParley = (kind: ServerKind): boolean => kind === 'parley' || kind === 'parley-gateway';

const REPO = join(__dirname, '..', '..', '..', '..');
const PARLEY_MAIN = join(REPO, 'services', 'parley', 'dist', 'main.js');
const JWT_SECRET = 'parley-bench-secret-0123456789';
/** Server processes here may hold 20,000 files (a hard limit not even root can raise): stay below. */
const IDLE_SIZES = [10_000, 19_000];
const IDLE_KINDS: readonly ServerKind[] = ['parley', 'parley-gateway', 'uws', 'ws', 'socketio'];
const FANOUT_MEMBERS = 1000;
const FANOUT_BROADCASTS = 2000;
const FANOUT_BYTES = 64;
const CLIENT_PROCESSES = 2;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
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

async function startServer(kind: ServerKind, extraEnv: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
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
  await waitForPort(port);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
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

const urlOf = (server: Server): string => (isParley(server.kind) ? `ws://127.0.0.1:${server.port}/ws` : `ws://127.0.0.1:${server.port}`);

class ClientProcess {
  private readonly child = spawn(process.execPath, [join(__dirname, 'bench-client-main.js')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  private waiting: Array<(r: BenchClientReport) => void> = [];
  private readonly exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));

  constructor() {
    this.child.on('message', (r: BenchClientReport) => this.waiting.shift()?.(r));
  }

  request(command: BenchClientCommand): Promise<BenchClientReport> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
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

async function connectClients(server: Server, total: number, tag: string): Promise<{ clients: ClientProcess[]; connected: number }> {
  const firstOctet = freshSourceOctets(CLIENT_PROCESSES);
  const clients = Array.from({ length: CLIENT_PROCESSES }, () => new ClientProcess());
  const reports = await Promise.all(
    clients.map((c, i) =>
      c.request({
        type: 'connect',
        url: urlOf(server),
        flavor: FLAVOR[server.kind],
        count: Math.floor(total / CLIENT_PROCESSES),
        rampPerSec: 2500,
        localAddress: `127.0.0.${firstOctet + i}`,
        secret: JWT_SECRET,
        userPrefix: `bench${tag}w${i}`,
      }),
    ),
  );
  const connected = reports.reduce((n, r) => n + (r.type === 'connected' ? r.connected : 0), 0);
  return { clients, connected };
}

interface IdleRow {
  readonly server: ServerKind;
  readonly connections: number;
  readonly connected: number;
  readonly bytesPerConnection: number;
}

async function idleMemory(kind: ServerKind, size: number): Promise<IdleRow> {
  const server = await startServer(kind);
  try {
    await sleep(1500);
    const before = rssBytes(server.child.pid!);
    const { clients, connected } = await connectClients(server, size, `${kind}${size}`);
    await sleep(3000);
    const after = rssBytes(server.child.pid!);
    await Promise.all(clients.map((c) => c.stop()));
    const row = { server: kind, connections: size, connected, bytesPerConnection: connected > 0 ? (after - before) / connected : NaN };
    log(`idle ${kind} ${size}: ${connected} up, ${(row.bytesPerConnection / 1024).toFixed(2)} KB each (RSS ${(before / 2 ** 20).toFixed(0)} -> ${(after / 2 ** 20).toFixed(0)} MiB)`);
    return row;
  } finally {
    await server.stop();
  }
}

/** Peers: the server broadcasts FANOUT_BROADCASTS messages to FANOUT_MEMBERS clients. */
async function peerFanout(kind: 'uws' | 'ws' | 'socketio'): Promise<{ rate: number; cpuPercent: number }> {
  const server = await startServer(kind);
  try {
    const { clients, connected } = await connectClients(server, FANOUT_MEMBERS, `f${kind}`);
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

interface Measured {
  readonly result: LoadResult;
  /** The parley process's CPU over the run, percent of one core. */
  readonly serverCpuPercent: number;
}

interface ModeRun {
  readonly fanout: Measured;
  readonly latency: Measured;
  readonly lightLatency: Measured;
}

let runNumber = 0;

async function measuredParleyRun(extraEnv: Record<string, string>, args: string[]): Promise<Measured> {
  // Fresh topics, consumer groups and Redis keys per run: a killed server leaves a backlog
  // and a consumer-group member that only times out after the session timeout.
  const prefix = `bench${Date.now().toString(36)}${runNumber++}`;
  const server = await startServer('parley', { PARLEY_TOPIC_PREFIX: prefix, PARLEY_REDIS_PREFIX: `${prefix}:`, ...extraEnv });
  try {
    await sleep(1000);
    const { value, cpuPercent } = await withCpu(server.child.pid!, () => parleyLoad(server, args));
    return { result: value, serverCpuPercent: cpuPercent };
  } finally {
    await server.stop();
  }
}

async function parleyRuns(extraEnv: Record<string, string>, label: string): Promise<ModeRun> {
  const fanout = await measuredParleyRun(extraEnv, FANOUT_ARGS);
  log(`fan-out parley ${label}: ${Math.round(fanout.result.throughput.deliveredPerSec)}/s, server cpu ${fanout.serverCpuPercent}%, ${verdictOf(fanout.result)}`);
  const latency = await measuredParleyRun(extraEnv, LATENCY_ARGS);
  const lightLatency = await measuredParleyRun(extraEnv, LIGHT_LATENCY_ARGS);
  for (const [name, m] of [['10k/s', latency], ['1k/s', lightLatency]] as const) {
    const l = m.result.latency;
    log(`1:1 parley ${label} ${name}: msg:N p50 ${l.msgN.p50} p99 ${l.msgN.p99}; ack:N p50 ${l.ackN.p50} p99 ${l.ackN.p99} ms; server cpu ${m.serverCpuPercent}%; ${verdictOf(m.result)}`);
  }
  return { fanout, latency, lightLatency };
}

const kb = (bytes: number): string => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(2) : 'n/a');
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a / b).toFixed(2) : 'n/a');
const perSec = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const verdictOf = (r: LoadResult): string => `lost ${r.verdict.lost}, dup ${r.verdict.duplicated}, reordered ${r.verdict.reordered}`;

export async function main(): Promise<void> {
  const startedMs = Date.now();
  const idle: IdleRow[] = [];
  for (const size of IDLE_SIZES) for (const kind of IDLE_KINDS) idle.push(await idleMemory(kind, size));
  const fanoutPeers = { uws: await peerFanout('uws'), ws: await peerFanout('ws'), socketio: await peerFanout('socketio') };
  const embedded = await parleyRuns({}, 'embedded');
  log('starting Kafka and Redis');
  const [redis, kafka] = await Promise.all([startRedisServer(), startKafkaBroker()]);
  let real: ModeRun;
  try {
    real = await parleyRuns({ PARLEY_KAFKA_BROKERS: kafka.brokers.join(','), PARLEY_REDIS_URL: redis.url, KAFKAJS_NO_PARTITIONER_WARNING: '1' }, 'kafka+redis');
  } finally {
    await Promise.allSettled([redis.stop(), kafka.stop()]);
  }

  const idleOf = (kind: ServerKind, size: number): number => idle.find((r) => r.server === kind && r.connections === size)?.bytesPerConnection ?? NaN;
  const at = new Date().toISOString();
  const lines: string[] = [
    `# parley benchmark, ${at}`,
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}. ` +
      `One client harness for every server: \`ws\` clients in ${CLIENT_PROCESSES} worker processes, fresh 127.0.0.x source addresses per measurement (parley messaging rows: the load tester, packages/loadtest). Total time ${Math.round((Date.now() - startedMs) / 1000)} s.`,
    '',
    '## Idle memory: server RSS growth per idle connection (KB)',
    '',
    `| server | ${IDLE_SIZES.map((s) => `${s.toLocaleString('en-US')} conns`).join(' | ')} |`,
    `| --- | ${IDLE_SIZES.map(() => '---:').join(' | ')} |`,
    ...IDLE_KINDS.map((k) => `| ${SERVER_LABEL[k]} | ${IDLE_SIZES.map((s) => kb(idleOf(k, s))).join(' | ')} |`),
    `| **parley ÷ raw uWS** (target ≤ 2) | ${IDLE_SIZES.map((s) => ratio(idleOf('parley', s), idleOf('uws', s))).join(' | ')} |`,
    `| **parley ÷ Socket.IO** (target ≤ 0.2) | ${IDLE_SIZES.map((s) => ratio(idleOf('parley', s), idleOf('socketio', s))).join(' | ')} |`,
    '',
    `50,000 idle connections cannot be measured here: a server process may hold at most 20,000 open files (hard limit; \`ulimit -Hn\` cannot be raised, not even by root), so the larger size is ${IDLE_SIZES[1]!.toLocaleString('en-US')}.`,
    `Connected: ${idle.map((r) => `${r.server}@${r.connections}: ${r.connected}`).join(', ')}.`,
    '',
    `## Group fan-out: deliveries per second to ${FANOUT_MEMBERS.toLocaleString('en-US')} members (${FANOUT_BYTES}-byte payload)`,
    '',
    '| server | deliveries/s | server CPU (% of one core) | ÷ raw uWS (target ≥ 0.5) | ÷ Socket.IO (target ≥ 3) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...([['parley embedded', embedded.fanout.result.throughput.deliveredPerSec, embedded.fanout.serverCpuPercent], ['parley Kafka + Redis', real.fanout.result.throughput.deliveredPerSec, real.fanout.serverCpuPercent]] as const).map(
      ([name, rate, cpu]) => `| ${name} | ${perSec(rate)} | ${cpu} | ${ratio(rate, fanoutPeers.uws.rate)} | ${ratio(rate, fanoutPeers.socketio.rate)} |`,
    ),
    `| raw uWebSockets.js publish | ${perSec(fanoutPeers.uws.rate)} | ${fanoutPeers.uws.cpuPercent} | | |`,
    `| ws (loop over clients) | ${perSec(fanoutPeers.ws.rate)} | ${fanoutPeers.ws.cpuPercent} | | |`,
    `| Socket.IO rooms | ${perSec(fanoutPeers.socketio.rate)} | ${fanoutPeers.socketio.cpuPercent} | | |`,
    '',
    `Peers: the server broadcasts ${FANOUT_BROADCASTS.toLocaleString('en-US')} messages to all members; rate = deliveries ÷ (last delivery − burst request). ` +
      `parley: one sender sends 1,000 msgs/s for 2 s (2,000 messages, as many as the peers broadcast) into one group of ${FANOUT_MEMBERS} through the whole pipeline (gateway → bus → sequencer → delivery → gateway) with acks; rate = deliveries ÷ (last delivery − first send). ` +
      `Verdicts: embedded ${verdictOf(embedded.fanout.result)}; Kafka + Redis ${verdictOf(real.fanout.result)}. Group receivers ack cumulatively every 100 ms.` +
      [embedded.fanout.result, real.fanout.result]
        .map((r, i) => (r.loadGenerator.bottleneck ? ` Load generator limited the ${i === 0 ? 'embedded' : 'Kafka + Redis'} run: ${r.loadGenerator.bottleneck}.` : ''))
        .join(''),
    '',
    '## 1:1 latency: 1,000 pairs (2,000 connections), 20 s, 64 B (ms)',
    '',
    '| mode | offered msgs/s | sent/s | send → msg:N p50 | p99 | send → ack:N p50 | p99 | server CPU % | verdict |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...([
      ['embedded', embedded.latency],
      ['Kafka + Redis', real.latency],
      ['embedded', embedded.lightLatency],
      ['Kafka + Redis', real.lightLatency],
    ] as const).map(
      ([name, m]) => {
        const r = m.result;
        const notes = [verdictOf(r), r.drain.timedOut ? `server fell behind: ${r.drain.outstandingAtEnd.toLocaleString('en-US')} unacked when the ${r.options.drainMs / 1000} s drain ended (counted as lost)` : '', r.loadGenerator.bottleneck ? `load generator limited: ${r.loadGenerator.bottleneck}` : ''].filter(Boolean);
        return `| ${name} | ${perSec(r.options.ratePerSec)} | ${perSec(r.throughput.sentPerSec)} | ${r.latency.msgN.p50} | ${r.latency.msgN.p99} | ${r.latency.ackN.p50} | ${r.latency.ackN.p99} | ${m.serverCpuPercent} | ${notes.join('; ')} |`;
      },
    ),
    '',
    'Target (Kafka + Redis): p50 ≤ 5 ms and p99 ≤ 25 ms.',
    '',
    '## Commands',
    '',
    '```',
    'npm run bench',
    `# parley rows run the load tester, equivalent to:`,
    `npm run load -- --url ws://127.0.0.1:PORT/ws ${FANOUT_ARGS.join(' ')}`,
    `npm run load -- --url ws://127.0.0.1:PORT/ws ${LATENCY_ARGS.join(' ')}`,
    `npm run load -- --url ws://127.0.0.1:PORT/ws ${LIGHT_LATENCY_ARGS.join(' ')}`,
    '```',
    '',
  ];
  const markdown = lines.join('\n');
  const dir = join(REPO, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${at.replace(/[:.]/g, '-')}.md`);
  writeFileSync(file, markdown);
  writeFileSync(join(dir, 'latest.md'), markdown);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ idle, fanoutPeers, embedded, real }, null, 2)}\n`);
  const readme = updateReadme(join(REPO, 'README.md'), markdown, file.slice(REPO.length + 1));
  process.stdout.write(`${markdown}\nwritten to ${file}${readme ? ' and README.md' : ''}\n`);
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
