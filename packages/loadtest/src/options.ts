// The load tester's options: command-line flags, defaults, units and validation.
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { existsSync } from 'node:fs';

/** The WebSocket client of the load tester's connections: its own (websocket/), or the `ws` library to compare with. */
export type WsClientName = 'builtin' | 'ws';
export const WS_CLIENTS: readonly WsClientName[] = ['builtin', 'ws'];

export type ScenarioName = 'pairs' | 'groups' | 'idle';
export const SCENARIOS: readonly ScenarioName[] = ['pairs', 'groups', 'idle'];

export interface LoadOptions {
  /** Gateway WebSocket URLs, e.g. ws://127.0.0.1:8080/ws (loopback only); connections are dealt round-robin over them. */
  readonly urls: readonly string[];
  /** PEM file of a CA to trust for wss:// gateways (and their https:// long-poll endpoints), besides the system's. */
  readonly caFile: string | undefined;
  readonly connections: number;
  readonly scenario: ScenarioName;
  /** Messages sent per second, all senders together (not deliveries). */
  readonly ratePerSec: number;
  /** How long messages are sent, after every connection is up, in seconds (0 with a burst). */
  readonly durationSec: number;
  /**
   * Messages sent all at once instead of at a rate (all senders together, dealt evenly over
   * them), each sender writing its share as fast as its outbox allows; 0: none, --rate and
   * --duration apply.
   */
  readonly burst: number;
  /** New connections per second, all workers together. */
  readonly rampPerSec: number;
  readonly payloadBytes: number;
  /** Group scenario: members per group and senders per group. */
  readonly groupSize: number;
  readonly groupSenders: number;
  /** Which WebSocket client the WebSocket connections use. */
  readonly wsClient: WsClientName;
  /** Share of connections (0..1) speaking the protocol over the HTTP long-poll endpoints instead of a WebSocket. */
  readonly longPollShare: number;
  /** Worker processes generating the load. */
  readonly workers: number;
  /** HS256 secret to sign tokens with (the embedded mode's development secret by default). */
  readonly secret: string;
  /** A msg:R with no msg:A after this long is retransmitted (doubling), in milliseconds. */
  readonly retransmitMs: number;
  /** After sending stops, how long to wait for outstanding answers and deliveries, in milliseconds. */
  readonly drainMs: number;
  /** Past drainMs, how much longer the drain may wait while something still arrives. */
  readonly drainExtendMs: number;
  /** Most time allowed for connecting everyone, in milliseconds. */
  readonly connectTimeoutMs: number;
  /** Where to write the full result as JSON (undefined: nowhere). */
  readonly jsonPath: string | undefined;
  /** A directory to write a V8 CPU profile of each worker process into (undefined: none). */
  readonly cpuProfDir: string | undefined;
  /** Print a progress line every second. */
  readonly progress: boolean;
  /** Last octet of the first source address (127.0.0.N) on loopback. */
  readonly sourceFrom: number;
  /** Run id: prefixes user and group ids so runs never share state on a server. */
  readonly runId: string;
  /** Reconnect storms: percent (0..100) of the connections up that are cut at once; 0: no storms. */
  readonly stormPercent: number;
  /** Seconds between storms while sending; 0: one storm at mid-run. */
  readonly stormEverySec: number;
}

/** The secret `npm start` uses when PARLEY_JWT_SECRET is not set (services/server/src/server-config.ts). */
export const EMBEDDED_DEV_SECRET = 'parley-embedded-development-secret';

/** Thrown when a flag is missing, unknown or out of range; the CLI prints it with the usage. */
export class LoadOptionsError extends Error {}

export const USAGE = `usage: parley-load [options]
  --url URL[,URL...]     gateway WebSocket URLs (default ws://127.0.0.1:8080/ws; loopback only);
                         connections are dealt round-robin over them (pairs then span gateways);
                         wss:// URLs use TLS (long-poll connections then use https://)
  --ca FILE              PEM file of a CA to trust for wss:// and https:// (a private or test CA)
  --connections N        client connections (default 1000)
  --scenario NAME        pairs | groups | idle (default pairs)
  --rate N               messages per second, all senders together (default 1000)
  --duration S           seconds of sending after everyone is connected (default 10)
  --burst N              instead of --rate and --duration: N messages at once, dealt evenly over
                         the senders, each writing its share as fast as its outbox and the protocol
                         allow (client_seq 1 alone until its msg:A, then the rest pipelined; the
                         gateway's frame-rate limit applies as ever: RATE_LIMITED slows a sender)
  --ramp N               new connections per second (default 2000)
  --payload BYTES        payload size, at least 8 (default 64)
  --group-size G         members per group (groups scenario, default 100)
  --group-senders S      senders per group (groups scenario, default 1)
  --long-poll SHARE      share of connections on HTTP long-poll (/lp/*) instead of WebSocket, 0..1
                         (default 0; spread evenly over workers and over both ends of pairs)
  --ws-client NAME       builtin | ws: the WebSocket client, the tester's own (frames read in place,
                         one write per socket per callback; default) or the \`ws\` library
  --workers N            load-generating processes (default: max(cores, sockets / 15000), a long-poll
                         connection holding two sockets)
  --secret S             token secret (default: PARLEY_JWT_SECRET, else the embedded dev secret)
  --retransmit-ms MS     msg:R retransmit timeout (default 3000, doubling)
  --drain-ms MS          wait for answers and deliveries after sending stops (default 15000)
  --drain-extend-ms MS   past --drain-ms, keep waiting up to MS more while answers or deliveries still
                         arrive (nothing new for 30 s ends it): a server that fell behind works off its
                         backlog, and only what never comes counts as lost (default 0: no extension)
  --connect-timeout-ms MS  time allowed to connect everyone (default 120000)
  --source-from N        bind client sockets to 127.0.0.N, N+1, ... (default 2; a fresh N avoids
                         ports still in TIME_WAIT from a run in the last minute)
  --storm-percent P      reconnect storm: cut P% of the connections at once (terminated sockets,
                         as a network cut); they reconnect with backoff + jitter (default 0: none)
  --storm-every S        seconds between storms while sending; 0: once at mid-run (default 0)
  --json PATH            write the full result as JSON
  --cpu-prof DIR         write a V8 CPU profile (.cpuprofile) of each worker process into DIR
  --quiet                no progress line
Exit code: 0 when nothing was lost, duplicated or reordered and every connection came up; 1 otherwise; 2 on bad options.`;

function int(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new LoadOptionsError(`--${name}: expected an integer in ${min}..${max}, got ${raw}`);
  return value;
}

function num(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new LoadOptionsError(`--${name}: expected a number in ${min}..${max}, got ${raw}`);
  return value;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const DEFAULT_URL = 'ws://127.0.0.1:8080/ws';

/** The --url list: comma-separated ws:// URLs on loopback, each at most once. */
export function parseUrls(text: string): string[] {
  const urls = text.split(',').map((u) => u.trim());
  for (const url of urls) {
    if (url === '') throw new LoadOptionsError(`--url: empty entry in ${text}`);
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(url);
    } catch {
      throw new LoadOptionsError(`--url: not a URL: ${url}`);
    }
    if (parsedUrl.protocol !== 'ws:' && parsedUrl.protocol !== 'wss:') throw new LoadOptionsError(`--url: expected ws:// or wss://, got ${parsedUrl.protocol}`);
    if (!isLoopbackHost(parsedUrl.hostname)) throw new LoadOptionsError(`--url: load runs target loopback only, got ${parsedUrl.hostname}`);
  }
  const repeated = urls.find((url, i) => urls.indexOf(url) !== i);
  if (repeated !== undefined) throw new LoadOptionsError(`--url: ${repeated} is listed twice`);
  return urls;
}

/** Most sockets one worker process holds, leaving room under a 20,000 open-file limit. */
export const MAX_SOCKETS_PER_WORKER = 15_000;

export function parseLoadArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LoadOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        ca: { type: 'string' },
        connections: { type: 'string' },
        scenario: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        burst: { type: 'string' },
        ramp: { type: 'string' },
        payload: { type: 'string' },
        'group-size': { type: 'string' },
        'group-senders': { type: 'string' },
        'long-poll': { type: 'string' },
        'ws-client': { type: 'string' },
        workers: { type: 'string' },
        secret: { type: 'string' },
        'retransmit-ms': { type: 'string' },
        'drain-ms': { type: 'string' },
        'drain-extend-ms': { type: 'string' },
        'connect-timeout-ms': { type: 'string' },
        json: { type: 'string' },
        'cpu-prof': { type: 'string' },
        quiet: { type: 'boolean' },
        'run-id': { type: 'string' },
        'source-from': { type: 'string' },
        'storm-percent': { type: 'string' },
        'storm-every': { type: 'string' },
      },
    });
  } catch (err) {
    throw new LoadOptionsError((err as Error).message);
  }
  const v = parsed.values;
  const urls = parseUrls(v.url ?? DEFAULT_URL);
  const scenario = (v.scenario ?? 'pairs') as ScenarioName;
  if (!SCENARIOS.includes(scenario)) throw new LoadOptionsError(`--scenario: expected one of ${SCENARIOS.join(', ')}, got ${v.scenario}`);
  const connections = int('connections', v.connections, 1000, 2, 200_000);
  const groupSize = int('group-size', v['group-size'], 100, 2, 100_000);
  const groupSenders = int('group-senders', v['group-senders'], 1, 1, groupSize);
  if (scenario === 'pairs' && connections % 2 !== 0) throw new LoadOptionsError('--connections: the pairs scenario needs an even number');
  if (scenario === 'groups' && connections < groupSize) throw new LoadOptionsError('--connections: fewer than one group');
  const wsClient = (v['ws-client'] ?? 'builtin') as WsClientName;
  if (!WS_CLIENTS.includes(wsClient)) throw new LoadOptionsError(`--ws-client: expected one of ${WS_CLIENTS.join(', ')}, got ${v['ws-client']}`);
  const longPollShare = num('long-poll', v['long-poll'], 0, 0, 1);
  // A WebSocket holds one socket, a long-poll connection two (its held recv and a send).
  const sockets = Math.ceil(connections * (1 + longPollShare));
  const fewestWorkers = Math.ceil(sockets / MAX_SOCKETS_PER_WORKER);
  const workers = int('workers', v.workers, Math.max(cpus().length, fewestWorkers), 1, 64);
  if (workers < fewestWorkers) {
    throw new LoadOptionsError(`--workers: ${workers} workers would hold more than ${MAX_SOCKETS_PER_WORKER} sockets each; use at least ${fewestWorkers}`);
  }
  const stormPercent = num('storm-percent', v['storm-percent'], 0, 0, 100);
  const stormEverySec = num('storm-every', v['storm-every'], 0, 0, 86_400);
  if (stormPercent > 0 && scenario === 'idle') throw new LoadOptionsError('--storm-percent: storms need a sending scenario (pairs or groups)');
  if (stormEverySec > 0 && stormPercent === 0) throw new LoadOptionsError('--storm-every: set --storm-percent too');
  const burst = int('burst', v.burst, 0, 0, 10_000_000);
  if (burst > 0) {
    if (v.rate !== undefined || v.duration !== undefined) throw new LoadOptionsError('--burst: replaces --rate and --duration, give one or the other');
    if (scenario === 'idle') throw new LoadOptionsError('--burst: needs a sending scenario (pairs or groups)');
    if (stormPercent > 0) throw new LoadOptionsError('--burst: storms strike while sending at a rate (--duration)');
  }
  if (v.ca !== undefined && !existsSync(v.ca)) throw new LoadOptionsError(`--ca: no such file: ${v.ca}`);
  return {
    urls,
    caFile: v.ca,
    connections,
    scenario,
    ratePerSec: burst > 0 ? 0 : num('rate', v.rate, 1000, 0, 10_000_000),
    durationSec: burst > 0 ? 0 : num('duration', v.duration, 10, 0, 86_400),
    burst,
    rampPerSec: int('ramp', v.ramp, 2000, 1, 1_000_000),
    payloadBytes: int('payload', v.payload, 64, 8, 16 * 1024 * 1024),
    groupSize,
    groupSenders,
    longPollShare,
    wsClient,
    workers,
    secret: v.secret ?? env.PARLEY_JWT_SECRET ?? EMBEDDED_DEV_SECRET,
    retransmitMs: int('retransmit-ms', v['retransmit-ms'], 3000, 50, 600_000),
    drainMs: int('drain-ms', v['drain-ms'], 15_000, 0, 600_000),
    drainExtendMs: int('drain-extend-ms', v['drain-extend-ms'], 0, 0, 3_600_000),
    connectTimeoutMs: int('connect-timeout-ms', v['connect-timeout-ms'], 120_000, 1000, 3_600_000),
    jsonPath: v.json,
    cpuProfDir: v['cpu-prof'],
    progress: !v.quiet,
    sourceFrom: int('source-from', v['source-from'], 2, 2, 250),
    runId: v['run-id'] ?? Date.now().toString(36),
    stormPercent,
    stormEverySec,
  };
}
