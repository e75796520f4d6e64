// The coordinator: plans the run, starts the worker processes (raising their open-file
// limit as needed), walks them through connect -> send -> drain -> finish, prints the
// progress line, and merges their results into one report with a verdict.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { decodeHistogram, LATENCY_NAMES, LatencyName, LatencySummary, monotonicMicros, newHistogram, summarize } from './latency';
import type { LoadOptions } from './options';
import { buildPlan, socketsOf } from './plan';
import { FD_OVERHEAD_PER_WORKER, FdLimits, readFdLimits } from './fd-limit';
import { DrainState, DrainWatch } from './drain-watch';
import { expectedDeliveriesBy, judgeRun, Verdict, verdictPassed } from './verdict';
import { LINK_TRANSPORTS, LinkTransport } from './load-link';
import { stormOffsetsMs } from './storm';
import type { CoordinatorMessage, WorkerMessage, WorkerResult, WorkerStats } from './worker-protocol';
import { mergeTimelines, Timeline } from './timeline';

export interface LoadResult {
  readonly options: Omit<LoadOptions, 'secret'>;
  readonly machine: { readonly cores: number; readonly memoryBytes: number; readonly node: string; readonly cpuModel: string };
  readonly setup: {
    readonly workers: number;
    /** The gateways' WebSocket URLs; connections are dealt round-robin over them. */
    readonly gateways: readonly string[];
    readonly sourceAddresses: readonly string[];
    readonly fd: { readonly neededPerWorker: number; readonly soft: number; readonly hard: number; readonly raisedTo: number | undefined };
  };
  readonly connect: { readonly wanted: number; readonly connected: number; readonly failures: number; readonly seconds: number; readonly latency: LatencySummary };
  readonly throughput: {
    readonly targetRatePerSec: number;
    readonly sendSeconds: number;
    readonly sent: number;
    readonly sentPerSec: number;
    readonly accepted: number;
    readonly acked: number;
    readonly storedOffline: number;
    readonly delivered: number;
    /** Deliveries over the time from the first send to the last delivery (fan-out capacity). */
    readonly deliveredPerSec: number;
    readonly deliverySeconds: number;
    readonly notSent: number;
  };
  readonly latency: Readonly<Record<Exclude<LatencyName, 'connect' | 'reconnect' | 'drained'>, LatencySummary>>;
  /** Connections and messages by transport: `delivered` and `expectedDeliveries` count deliveries to that transport's receivers. */
  readonly transports: Readonly<
    Record<
      LinkTransport,
      {
        readonly connections: number;
        readonly connected: number;
        readonly sent: number;
        readonly delivered: number;
        readonly expectedDeliveries: number;
        readonly stormDropped: number;
      }
    >
  >;
  /** Reconnect storms (undefined: none asked for): cuts, and how the cut connections came back. */
  readonly storm:
    | {
        readonly percent: number;
        readonly everySec: number;
        /** Storms that struck while sending. */
        readonly storms: number;
        readonly dropped: number;
        /** Cut connections welcomed again (a connection cut twice counts twice). */
        readonly reconnected: number;
        /** Reconnect attempts after a cut that ended before their welcome. */
        readonly reconnectFailures: number;
        /** From the cut to the next welcome (backoff included). */
        readonly timeToReconnect: LatencySummary;
      }
    | undefined;
  /**
   * Connections a draining gateway closed (4007 DRAINING: a rolling restart), how many came
   * back, and the time from that close to the next welcome (jitter included).
   */
  readonly drained: { readonly closed: number; readonly reconnected: number; readonly timeToReconnect: LatencySummary };
  /**
   * After sending stopped: how long the run waited for answers and deliveries, whether it
   * gave up, and how long it then waited for quiet (nothing new arriving) before judging.
   */
  readonly drain: { readonly seconds: number; readonly timedOut: boolean; /** The drain went past --drain-ms (a backlog worked off). */ readonly extended: boolean; readonly outstandingAtEnd: number; readonly quietSeconds: number };
  /** When sending started and stopped (monotonic microseconds, the clock of the timeline). */
  readonly sendWindowUs: { readonly startUs: number; readonly stopUs: number };
  /** Sends, latencies and frames over time (not in the JSON output). */
  readonly timeline: Timeline;
  /** Frames each way, by packet, and per message sent. */
  readonly frames: {
    readonly up: Readonly<Record<string, number>>;
    readonly down: Readonly<Record<string, number>>;
    readonly upPerMessage: number;
    readonly downPerMessage: number;
  };
  /** resync:N frames followed, and sync:R sent. */
  readonly resyncs: number;
  readonly syncs: number;
  readonly retransmits: number;
  readonly reconnects: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly verdict: Verdict;
  readonly loadGenerator: {
    /** cpuSecondsSinceGo: the worker's CPU (user + system) from the first send to the end of the run, in seconds. */
    readonly perWorker: ReadonlyArray<{ readonly cpuPercentMax: number; readonly loopDelayP99Ms: number; readonly rssBytes: number; readonly connections: number; readonly cpuSecondsSinceGo: number }>;
    readonly bottleneck: string | undefined;
  };
  /** Nothing lost, duplicated or reordered, every ack:N came, no position shared, and every connection came up. */
  readonly passed: boolean;
}

export interface RunHooks {
  /** Called about once a second with a progress line. */
  readonly onProgress?: (line: string) => void;
  /** Awaited once every connection is up, before sending starts (e.g. to start two runs' sending together). */
  readonly beforeSending?: () => Promise<void>;
  /** Called when every worker was told to start sending (monotonic microseconds): a fault can be scheduled from it. */
  readonly onSendStarted?: (atUs: number) => void;
}

/** After the drain, the run waits until nothing new arrives (no first arrival, ack:N or answer) for this long before judging. */
export const QUIET_MS = 3000;
/** ... but at most this long. */
export const QUIET_MAX_MS = 60_000;

/** The compiled worker entry (tests run the coordinator from src/ under swc; workers always run from dist/). */
function workerScript(): string {
  const here = join(__dirname, 'worker-main.js');
  if (existsSync(here)) return here;
  const built = join(__dirname, '..', 'dist', 'worker-main.js');
  if (existsSync(built)) return built;
  throw new Error(`worker entry not found (${here}); build @parley/loadtest first`);
}

/** A worker with more CPU than this (percent of one core) while sending is the bottleneck. */
const SATURATED_CPU_PERCENT = 90;
const SATURATED_LOOP_DELAY_MS = 100;

class WorkerHandle {
  latest: WorkerStats | undefined;
  ready = false;
  /** Its figures of after sending stopped have come (the answer to 'drain'). */
  drainAnswered = false;
  result: WorkerResult | undefined;
  failure: string | undefined;
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress' || m.type === 'ready' || m.type === 'draining') this.latest = m.stats;
      if (m.type === 'draining') this.drainAnswered = true;
      if (m.type === 'ready') this.ready = true;
      if (m.type === 'result') {
        this.result = m.result;
        this.latest = m.result.stats;
      }
      if (m.type === 'fatal') this.failure = m.message;
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      if (!this.result && !this.failure) this.failure = `worker exited with code ${code}`;
      resolve();
    }));
  }

  send(message: CoordinatorMessage): void {
    if (this.child.connected) this.child.send(message);
  }
}

/** How long profiled workers may take to exit (writing their CPU profiles) before they are killed. */
const PROFILE_WRITE_WAIT_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(stepMs);
  }
  return condition();
}

export async function runLoad(options: LoadOptions, hooks: RunHooks = {}): Promise<LoadResult> {
  const plan = buildPlan(options);
  const limits: FdLimits = readFdLimits() ?? { soft: Infinity, hard: Infinity };
  // A long-poll connection holds up to two sockets (its held recv and a send).
  const biggest = Math.max(...plan.workers.map((w) => socketsOf(w.connections.map((c) => c.transport))));
  const neededPerWorker = biggest + FD_OVERHEAD_PER_WORKER;
  if (neededPerWorker > limits.hard) {
    throw new Error(`each worker needs ${neededPerWorker} open files but the hard limit is ${limits.hard}: use more --workers`);
  }
  const raisedTo = neededPerWorker > limits.soft ? neededPerWorker : undefined;
  const script = workerScript();
  const nodeFlags = options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`];
  const workers = plan.workers.map(() => {
    const args = raisedTo ? ['-c', `ulimit -n ${raisedTo} && exec "$0" "$@"`, process.execPath, ...nodeFlags, script] : [...nodeFlags, script];
    const child = spawn(raisedTo ? '/bin/sh' : process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    return new WorkerHandle(child);
  });
  const all = <T>(pick: (s: WorkerStats) => T): T[] => workers.map((w) => (w.latest ? pick(w.latest) : (undefined as T))).filter((v) => v !== undefined);
  const sumOf = (pick: (s: WorkerStats) => number): number => all(pick).reduce((a, b) => a + b, 0);
  const failed = (): string | undefined => workers.find((w) => w.failure && !w.result)?.failure;

  let phase = 'connecting';
  const startedMs = Date.now();
  let previous = { atMs: Date.now(), sent: 0, delivered: 0 };
  const sendingCpuMax = new Array<number>(workers.length).fill(0);
  let sendingSinceMs = Infinity;
  const progress = setInterval(() => {
    const nowMs = Date.now();
    const sent = sumOf((s) => s.sent);
    const delivered = sumOf((s) => s.delivered);
    const perSec = (n: number): number => Math.round((n * 1000) / Math.max(1, nowMs - previous.atMs));
    const errors = sumOf((s) => Object.values(s.errors).reduce((a, b) => a + b, 0));
    const cpu = workers.map((w) => `${w.latest?.cpuPercent ?? 0}%`).join(',');
    // A worker's CPU figure covers the second before its report: skip the first ones after `go`, which cover connecting.
    if (phase === 'sending' && nowMs - sendingSinceMs > 2500) workers.forEach((w, i) => (sendingCpuMax[i] = Math.max(sendingCpuMax[i]!, w.latest?.cpuPercent ?? 0)));
    hooks.onProgress?.(
      `[${String(Math.round((nowMs - startedMs) / 1000)).padStart(4)}s ${phase.padEnd(10)}] conns ${sumOf((s) => s.connected)}/${options.connections} ` +
        (options.longPollShare > 0 ? `(long-poll ${sumOf((s) => s.transports['long-poll'].connected)}) ` : '') +
        `(fail ${sumOf((s) => s.connectFailures)}) | sent ${perSec(sent - previous.sent)}/s delivered ${perSec(delivered - previous.delivered)}/s | ` +
        (options.stormPercent > 0 ? `storm cut ${sumOf((s) => s.stormDropped)} back ${sumOf((s) => s.stormReconnected)} | ` : '') +
        `outstanding ${sumOf((s) => s.outstanding)} retx ${sumOf((s) => s.retransmits)} errors ${errors} | load-gen cpu ${cpu}`,
    );
    previous = { atMs: nowMs, sent, delivered };
  }, 1000);

  try {
    plan.workers.forEach((p, i) => workers[i]!.send({ type: 'start', plan: p, connectTimeoutMs: options.connectTimeoutMs }));
    const connectStartedMs = Date.now();
    await waitFor(() => workers.every((w) => w.ready) || failed() !== undefined, options.connectTimeoutMs + 30_000);
    const failure = failed();
    if (failure) throw new Error(`a load worker failed: ${failure}`);
    const connectSeconds = (Date.now() - connectStartedMs) / 1000;

    await hooks.beforeSending?.();
    phase = 'sending';
    sendingSinceMs = Date.now();
    for (const w of workers) w.send({ type: 'go' });
    hooks.onSendStarted?.(monotonicMicros());
    let storms = 0;
    const stormTimers = options.stormPercent > 0
      ? stormOffsetsMs(options.durationSec, options.stormEverySec).map((atMs) =>
          setTimeout(() => {
            storms++;
            for (const w of workers) w.send({ type: 'storm', percent: options.stormPercent });
          }, atMs),
        )
      : [];
    await sleep(options.durationSec * 1000);
    for (const t of stormTimers) clearTimeout(t);
    for (const w of workers) w.send({ type: 'stop-sending' });

    phase = 'draining';
    // Fresh figures from every worker before judging whether anything is outstanding.
    await sleep(1100);
    const drainStartedMs = Date.now();
    for (const w of workers) w.send({ type: 'drain' });
    const watch = new DrainWatch(drainStartedMs, options.drainMs, options.drainExtendMs);
    const progressOf = (): string => [sumOf((s) => s.delivered), sumOf((s) => s.acked), sumOf((s) => s.outstanding)].join(',');
    let drainState: DrainState = 'waiting';
    for (;;) {
      // Judged only on figures every worker took after it stopped sending: a worker whose event
      // loop stalled may still hold figures from before, which show nothing outstanding.
      const everythingIn = workers.every((w) => w.drainAnswered) && sumOf((s) => s.outstanding) === 0 && sumOf((s) => s.delivered) >= sumOf((s) => s.expectedDeliveries);
      drainState = watch.observe(Date.now(), everythingIn, progressOf());
      if (drainState !== 'waiting') break;
      await sleep(200);
    }
    const drained = drainState === 'drained';
    const drainSeconds = (Date.now() - drainStartedMs) / 1000;
    const drainExtended = watch.extended(Date.now());
    // Quiet: nothing new for QUIET_MS (a late copy, a late ack:N) before what never came is called lost.
    const quietStartedMs = Date.now();
    const signature = (): string => [sumOf((s) => s.delivered), sumOf((s) => s.acked), sumOf((s) => s.storedOffline), sumOf((s) => s.accepted), sumOf((s) => s.outstanding)].join(',');
    let last = { signature: signature(), sinceMs: Date.now() };
    await waitFor(() => {
      const now = signature();
      if (now !== last.signature) last = { signature: now, sinceMs: Date.now() };
      return Date.now() - last.sinceMs >= QUIET_MS;
    }, QUIET_MAX_MS, 200);
    const drain = { seconds: drainSeconds, timedOut: !drained, extended: drainExtended, outstandingAtEnd: sumOf((s) => s.outstanding), quietSeconds: (Date.now() - quietStartedMs) / 1000 };

    phase = 'finishing';
    for (const w of workers) w.send({ type: 'finish' });
    await waitFor(() => workers.every((w) => w.result || w.failure), 60_000);
    const results = workers.map((w) => w.result).filter((r): r is WorkerResult => r !== undefined);
    if (results.length !== workers.length) throw new Error(`a load worker failed: ${failed() ?? 'no result'}`);
    return merge(options, plan, results, { neededPerWorker, limits, raisedTo, connectSeconds, sendingCpuMax, drain, storms });
  } finally {
    clearInterval(progress);
    // A profiled worker writes its profile as it exits: give it the time to.
    if (options.cpuProfDir !== undefined) await Promise.race([Promise.all(workers.map((w) => w.exited)), sleep(PROFILE_WRITE_WAIT_MS)]);
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
  }
}

function merge(
  options: LoadOptions,
  plan: ReturnType<typeof buildPlan>,
  results: readonly WorkerResult[],
  setup: {
    neededPerWorker: number;
    limits: FdLimits;
    raisedTo: number | undefined;
    connectSeconds: number;
    sendingCpuMax: number[];
    drain: LoadResult['drain'];
    storms: number;
  },
): LoadResult {
  const histograms = Object.fromEntries(LATENCY_NAMES.map((n) => [n, newHistogram()])) as Record<LatencyName, ReturnType<typeof newHistogram>>;
  for (const r of results) for (const n of LATENCY_NAMES) histograms[n].add(decodeHistogram(r.histograms[n]));
  const sum = (pick: (s: WorkerStats) => number): number => results.reduce((total, r) => total + pick(r.stats), 0);
  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.stats.errors)) errors[k] = (errors[k] ?? 0) + v;
  const verdict = judgeRun(
    plan.streams.values(),
    results.flatMap((r) => r.senders),
    results.flatMap((r) => r.receipts),
    results.map((r) => r.counters),
    results.flatMap((r) => r.samples),
    new Set(results.flatMap((r) => r.neverConnected)),
  );
  const started = Math.min(...results.map((r) => r.sendStartedAtUs).filter((t) => t > 0));
  const stopped = Math.max(...results.map((r) => r.sendStoppedAtUs));
  const sendSeconds = Number.isFinite(started) ? (stopped - started) / 1e6 : 0;
  const lastDelivery = Math.max(...results.map((r) => r.lastDeliveryAtUs));
  const deliverySeconds = Number.isFinite(started) && lastDelivery > started ? (lastDelivery - started) / 1e6 : 0;
  const sent = sum((s) => s.sent);
  const delivered = sum((s) => s.delivered);
  const framesUp: Record<string, number> = {};
  const framesDown: Record<string, number> = {};
  for (const r of results) {
    for (const [k, v] of Object.entries(r.framesUp)) framesUp[k] = (framesUp[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.framesDown)) framesDown[k] = (framesDown[k] ?? 0) + v;
  }
  const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
  const connected = sum((s) => s.connected);
  const perWorker = results.map((r, i) => ({
    cpuPercentMax: setup.sendingCpuMax[i] ?? r.stats.cpuPercentMax,
    loopDelayP99Ms: r.stats.loopDelayP99Ms,
    rssBytes: r.stats.rssBytes,
    connections: r.stats.connections,
    cpuSecondsSinceGo: r.cpuSecondsSinceGo,
  }));
  const reasons: string[] = [];
  perWorker.forEach((w, i) => {
    if (w.cpuPercentMax >= SATURATED_CPU_PERCENT) reasons.push(`worker ${i} used ${w.cpuPercentMax}% of a core while sending`);
    if (w.loopDelayP99Ms >= SATURATED_LOOP_DELAY_MS) reasons.push(`worker ${i} event-loop delay p99 ${w.loopDelayP99Ms} ms`);
  });
  const targetSent = options.burst > 0 ? options.burst : options.ratePerSec * options.durationSec;
  if (options.scenario !== 'idle' && targetSent > 0 && sent < 0.95 * targetSent) reasons.push(`sent ${sent} of the ${Math.round(targetSent)} scheduled`);
  const transportOfUser = new Map<string, LinkTransport>();
  for (const w of plan.workers) for (const c of w.connections) transportOfUser.set(c.user, c.transport);
  const expectedByTransport = expectedDeliveriesBy(plan.streams.values(), results.flatMap((r) => r.senders), (receiver) => transportOfUser.get(receiver)!);
  const transports = Object.fromEntries(
    LINK_TRANSPORTS.map((t) => [
      t,
      {
        connections: sum((s) => s.transports[t].connections),
        connected: sum((s) => s.transports[t].connected),
        sent: sum((s) => s.transports[t].sent),
        delivered: sum((s) => s.transports[t].delivered),
        expectedDeliveries: expectedByTransport.get(t) ?? 0,
        stormDropped: sum((s) => s.transports[t].stormDropped),
      },
    ]),
  ) as LoadResult['transports'];
  const { secret: _secret, ...publicOptions } = options;
  void _secret;
  return {
    options: publicOptions,
    machine: { cores: cpus().length, memoryBytes: totalmem(), node: process.version, cpuModel: cpus()[0]?.model ?? 'unknown' },
    setup: {
      workers: results.length,
      gateways: options.urls,
      sourceAddresses: plan.sourceAddresses,
      fd: { neededPerWorker: setup.neededPerWorker, soft: setup.limits.soft, hard: setup.limits.hard, raisedTo: setup.raisedTo },
    },
    connect: {
      wanted: options.connections,
      connected,
      failures: sum((s) => s.connectFailures),
      seconds: setup.connectSeconds,
      latency: summarize(histograms.connect),
    },
    throughput: {
      targetRatePerSec: options.ratePerSec,
      sendSeconds,
      sent,
      sentPerSec: sendSeconds > 0 ? sent / sendSeconds : 0,
      accepted: sum((s) => s.accepted),
      acked: sum((s) => s.acked),
      storedOffline: sum((s) => s.storedOffline),
      delivered,
      deliveredPerSec: deliverySeconds > 0 ? delivered / deliverySeconds : 0,
      deliverySeconds,
      notSent: sum((s) => s.notSent),
    },
    latency: { msgA: summarize(histograms.msgA), msgN: summarize(histograms.msgN), ackN: summarize(histograms.ackN) },
    transports,
    drain: setup.drain,
    storm:
      options.stormPercent > 0
        ? {
            percent: options.stormPercent,
            everySec: options.stormEverySec,
            storms: setup.storms,
            dropped: sum((s) => s.stormDropped),
            reconnected: sum((s) => s.stormReconnected),
            reconnectFailures: sum((s) => s.stormReconnectFailures),
            timeToReconnect: summarize(histograms.reconnect),
          }
        : undefined,
    drained: { closed: sum((s) => s.drainedClosed), reconnected: sum((s) => s.drainedReconnected), timeToReconnect: summarize(histograms.drained) },
    sendWindowUs: { startUs: Number.isFinite(started) ? started : 0, stopUs: stopped },
    timeline: mergeTimelines(results.map((r) => r.timeline)),
    frames: {
      up: framesUp,
      down: framesDown,
      upPerMessage: sent > 0 ? total(framesUp) / sent : 0,
      downPerMessage: sent > 0 ? total(framesDown) / sent : 0,
    },
    resyncs: sum((s) => s.resyncs),
    syncs: sum((s) => s.syncs),
    retransmits: sum((s) => s.retransmits),
    reconnects: sum((s) => s.reconnects),
    errors,
    verdict,
    loadGenerator: { perWorker, bottleneck: reasons.length > 0 ? reasons.join('; ') : undefined },
    passed: verdictPassed(verdict) && connected === options.connections,
  };
}
