// CPU per message, per process: parley started on this machine (the distributed setup of
// `npm run start:distributed`, or `npm start`'s one embedded process), N load-tester
// connections held idle, then 1:1 pairs at each asked rate. Per process: CPU while idle (the
// fixed cost: heartbeats, consumer polling, timers) and the marginal cost of a message =
// (CPU while sending − idle CPU over the same time) ÷ messages sent in that window.
import { parseLoadArgs, type WsClientName } from '../options';
import { testerCpuSeconds } from '../report';
import { LoadResult, runLoad } from '../run-load';
import { callsBetween, commandCalls, commandsPerMessage } from './redis-commands';
import { formatKafkaRequests, kafkaRequests, kafkaRequestsPerMessage } from './kafka-requests';
import { startTarget, TARGET_SECRET, type CostTarget } from './parley-target';
import { CpuSample, cpuPercentBetween, cpuSecondsBetween, loadAverage, sampleCpu, writeCallsBetween } from './proc-cpu';

export { COST_TARGETS, type CostTarget } from './parley-target';

export interface CpuCostOptions {
  readonly target: CostTarget;
  /** Offered 1:1 rates, msgs/s, one load run each (same parley, fresh connections). */
  readonly rates: readonly number[];
  readonly connections: number;
  /** Seconds of idle measurement with every connection up, before each run sends. */
  readonly idleSec: number;
  /** Seconds of sending per rate. */
  readonly durationSec: number;
  /** Seconds of 1:1 at 1,000 msgs/s on the fresh parley before anything is measured (0: none). */
  readonly warmUpSec: number;
  /** Extra node flags for parley's processes (e.g. --cpu-prof --cpu-prof-dir=DIR). */
  readonly execArgv?: readonly string[];
  /** PARLEY_* settings every service of the target reads. */
  readonly sharedEnv?: Readonly<Record<string, string>>;
  /** First source address octet for the load tester (fresh ones per run). */
  readonly sourceFrom?: number;
  /** The load tester's WebSocket client (its --ws-client; default its own). */
  readonly wsClient?: WsClientName;
  readonly log?: (line: string) => void;
}

export interface CpuCostRun {
  readonly rate: number;
  readonly loadAverage: string;
  /** Percent of one core per process while the connections sat idle just before this run sent. */
  readonly idlePercent: Readonly<Record<string, number>>;
  readonly idleSec: number;
  /** Percent of one core per process from the first send until every message was delivered and acked (and quiet followed). */
  readonly loadPercent: Readonly<Record<string, number>>;
  readonly windowSec: number;
  /** Messages sent (all of them: the window ends once they are all delivered and acked). */
  readonly messages: number;
  /** (CPU in the window − idle CPU over as long) ÷ messages, in µs, per process; NaN when the run did not drain (parley fell behind). */
  readonly marginalMicros: Readonly<Record<string, number>>;
  /** (write system calls in the window − idle writes over as long) ÷ messages, per process; NaN as marginalMicros. */
  readonly writesPerMessage: Readonly<Record<string, number>>;
  /** Redis commands per message (INFO commandstats, idle rate subtracted; inner commands of scripts included), largest first; empty without Redis or when the run did not drain. */
  readonly redisCommandsPerMessage: ReadonlyArray<{ readonly command: string; readonly perMessage: number }>;
  /** Kafka requests per message, per process and API (parley_kafka_requests_total, idle rate subtracted); empty without Kafka or when the run did not drain. */
  readonly kafkaRequestsPerMessage?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Kafka requests per second while idle, per process and API. */
  readonly kafkaIdleRequestsPerSec?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly sentPerSec: number;
  readonly latencyMs: { readonly msgNp50: number; readonly msgNp99: number; readonly ackNp50: number; readonly ackNp99: number };
  readonly verdict: string;
  readonly passed: boolean;
  /** The load tester's own CPU (its workers, from the first send to the end of the run) ÷ messages, in µs. */
  readonly testerMicros: number;
}

export interface CpuCostResult {
  readonly target: CostTarget;
  readonly connections: number;
  /** Every watched process, in table order. */
  readonly processes: readonly string[];
  /** The parley processes among them (their sum is "parley"). */
  readonly parleyProcesses: readonly string[];
  readonly runs: readonly CpuCostRun[];
  /** The load-tester command equivalent to each run (PORT and SECRET stand for the real ones). */
  readonly command: string;
  /** Each watched process's pid during the last run (a profile's file name carries it). */
  readonly pids: Readonly<Record<string, number>>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const nanOf = (figures: Readonly<Record<string, number>>): Record<string, number> => Object.fromEntries(Object.keys(figures).map((k) => [k, NaN]));

/** (count in the window − idle count per second × window) ÷ messages, per process. */
export function marginalPerMessage(windowCount: Readonly<Record<string, number>>, idleCount: Readonly<Record<string, number>>, idleSec: number, windowSec: number, messages: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, count] of Object.entries(windowCount)) {
    const idle = ((idleCount[name] ?? 0) / idleSec) * windowSec;
    out[name] = messages > 0 && idleSec > 0 ? (count - idle) / messages : NaN;
  }
  return out;
}

/** (CPU seconds in the window − idle percent × window) ÷ messages, in µs, per process. */
export function marginalMicros(windowCpuSeconds: Readonly<Record<string, number>>, idlePercent: Readonly<Record<string, number>>, windowSec: number, messages: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, cpu] of Object.entries(windowCpuSeconds)) {
    const idle = ((idlePercent[name] ?? 0) / 100) * windowSec;
    out[name] = messages > 0 ? ((cpu - idle) / messages) * 1e6 : NaN;
  }
  return out;
}

export const verdictLine = (r: LoadResult): string =>
  `lost ${r.verdict.lost}, dup ${r.verdict.duplicated}, reordered ${r.verdict.reordered}` + (r.passed ? '' : ' (FAILED)');

function loadArgs(urls: readonly string[], connections: number, rate: number, durationSec: number): string[] {
  return ['--url', urls.join(','), '--scenario', 'pairs', '--connections', String(connections), '--rate', String(rate), '--duration', String(durationSec), '--payload', '64'];
}

/** Starts parley as asked, measures every rate, stops everything. */
export async function measureCpuCost(options: CpuCostOptions): Promise<CpuCostResult> {
  const log = options.log ?? (() => undefined);
  const running = await startTarget(options.target, options);
  let octet = options.sourceFrom ?? 20;
  const nextSource = (): number => {
    const from = octet;
    octet += 2;
    if (octet > 250) octet = 20;
    return from;
  };
  const load = (rate: number, durationSec: number, hooks: Parameters<typeof runLoad>[1] = {}): Promise<LoadResult> =>
    runLoad(parseLoadArgs([...loadArgs(running.urls, options.connections, rate, durationSec), '--secret', TARGET_SECRET, '--quiet', '--source-from', String(nextSource()), ...(options.wsClient ? ['--ws-client', options.wsClient] : [])]), hooks);
  const runs: CpuCostRun[] = [];
  const pids: Record<string, number> = {};
  try {
    await sleep(2000);
    if (options.warmUpSec > 0) {
      const warm = await load(1000, options.warmUpSec);
      log(`${options.target}: warm-up ${Math.round(warm.throughput.sentPerSec)} msgs/s for ${options.warmUpSec} s, ${verdictLine(warm)}`);
    }
    for (const rate of options.rates) {
      let idleFrom: CpuSample | undefined;
      let idleTo: CpuSample | undefined;
      let windowFrom: CpuSample | undefined;
      // INFO commandstats at the same instants as the CPU samples (undefined: no Redis, or it did not answer).
      const redisCalls = (): Promise<Record<string, number> | undefined> =>
        running.redisUrl ? commandCalls(running.redisUrl).catch(() => undefined) : Promise.resolve(undefined);
      let redisIdleFrom: Record<string, number> | undefined;
      let redisIdleTo: Record<string, number> | undefined;
      let redisWindowFrom: Promise<Record<string, number> | undefined> = Promise.resolve(undefined);
      // Kafka requests per process at the same instants (empty: no Kafka).
      type Requests = Record<string, Record<string, number>>;
      const kafkaCalls = (): Promise<Requests> => (running.metricsUrls ? kafkaRequests(running.metricsUrls) : Promise.resolve({}));
      let kafkaIdleFrom: Requests = {};
      let kafkaIdleTo: Requests = {};
      let kafkaWindowFrom: Promise<Requests> = Promise.resolve({});
      const result = await load(rate, options.durationSec, {
        beforeSending: async () => {
          await sleep(2000); // handshakes, presence writes and the welcome burst settle
          idleFrom = sampleCpu(running.processes);
          redisIdleFrom = await redisCalls();
          kafkaIdleFrom = await kafkaCalls();
          await sleep(options.idleSec * 1000);
          idleTo = sampleCpu(running.processes);
          redisIdleTo = await redisCalls();
          kafkaIdleTo = await kafkaCalls();
        },
        onSendStarted: () => {
          windowFrom = sampleCpu(running.processes);
          redisWindowFrom = redisCalls();
          kafkaWindowFrom = kafkaCalls();
        },
      });
      const redisWindowTo = await redisCalls();
      const redisWindowStart = await redisWindowFrom;
      const kafkaWindowTo = await kafkaCalls();
      const kafkaWindowStart = await kafkaWindowFrom;
      // The window runs until every message was delivered and acked (the run waits for that,
      // then for quiet): a parley that falls behind does the work after sending stopped, and a
      // window of the sending seconds alone would count messages it had not processed yet.
      const windowTo = sampleCpu(running.processes);
      if (!idleFrom || !idleTo || !windowFrom) throw new Error(`rate ${rate}: the CPU samples were not all taken`);
      const windowSec = (windowTo.atUs - windowFrom.atUs) / 1e6;
      const messages = result.throughput.sent;
      const idlePercent = cpuPercentBetween(idleFrom, idleTo);
      const idleSec = (idleTo.atUs - idleFrom.atUs) / 1e6;
      const writesPerMessage = marginalPerMessage(writeCallsBetween(windowFrom, windowTo), writeCallsBetween(idleFrom, idleTo), idleSec, windowSec, messages);
      const run: CpuCostRun = {
        rate,
        loadAverage: loadAverage(),
        idlePercent,
        idleSec,
        loadPercent: cpuPercentBetween(windowFrom, windowTo),
        windowSec,
        messages: Math.round(messages),
        marginalMicros: result.drain.timedOut ? nanOf(idlePercent) : marginalMicros(cpuSecondsBetween(windowFrom, windowTo), idlePercent, windowSec, messages),
        writesPerMessage: result.drain.timedOut ? nanOf(idlePercent) : writesPerMessage,
        redisCommandsPerMessage:
          result.drain.timedOut || !redisIdleFrom || !redisIdleTo || !redisWindowStart || !redisWindowTo
            ? []
            : commandsPerMessage(callsBetween(redisWindowStart, redisWindowTo), callsBetween(redisIdleFrom, redisIdleTo), idleSec, windowSec, messages),
        kafkaRequestsPerMessage: result.drain.timedOut
          ? {}
          : kafkaRequestsPerMessage(kafkaIdleFrom, kafkaIdleTo, kafkaWindowStart, kafkaWindowTo, idleSec, windowSec, messages),
        kafkaIdleRequestsPerSec: Object.fromEntries(
          Object.entries(kafkaIdleTo).map(([name, to]) => [
            name,
            Object.fromEntries(Object.entries(to).map(([api, n]) => [api, (n - (kafkaIdleFrom[name]?.[api] ?? 0)) / idleSec])),
          ]),
        ),
        sentPerSec: result.throughput.sentPerSec,
        latencyMs: { msgNp50: result.latency.msgN.p50, msgNp99: result.latency.msgN.p99, ackNp50: result.latency.ackN.p50, ackNp99: result.latency.ackN.p99 },
        verdict: verdictLine(result) + (result.drain.timedOut ? `; fell behind: ${result.drain.outstandingAtEnd} unacked when the drain ended` : ''),
        passed: result.passed,
        testerMicros: (1e6 * testerCpuSeconds(result)) / Math.max(1, messages),
      };
      runs.push(run);
      log(`${options.target} @${rate}/s: ${formatRunLine(run, running.parleyProcesses)}; load tester ${run.testerMicros.toFixed(1)} µs/msg`);
      for (const p of running.processes) {
        const pid = p.pid();
        if (pid !== undefined) pids[p.name] = pid;
      }
    }
  } finally {
    await running.stop();
  }
  return {
    target: options.target,
    connections: options.connections,
    processes: running.processes.map((p) => p.name),
    parleyProcesses: running.parleyProcesses,
    runs,
    pids,
    command: `npm run load -- ${loadArgs(['ws://127.0.0.1:PORT/ws'], options.connections, 0, options.durationSec).join(' ').replace('--rate 0', '--rate RATE')} --secret SECRET`,
  };
}

/** The parley processes' total of a per-process figure. */
export const parleyTotal = (figures: Readonly<Record<string, number>>, parley: readonly string[]): number => parley.reduce((sum, name) => sum + (figures[name] ?? NaN), 0);

function formatRunLine(run: CpuCostRun, parley: readonly string[]): string {
  const per = Object.keys(run.marginalMicros)
    .map((name) => `${name} idle ${run.idlePercent[name]!.toFixed(1)}% load ${run.loadPercent[name]!.toFixed(1)}% ${Math.round(run.marginalMicros[name]!)} µs ${(run.writesPerMessage[name] ?? NaN).toFixed(1)} writes`)
    .join('; ');
  const redis = run.redisCommandsPerMessage.map((c) => `${c.command} ${c.perMessage.toFixed(2)}`).join(', ');
  const kafka = Object.entries(run.kafkaRequestsPerMessage ?? {})
    .map(([name, perApi]) => `${name} ${formatKafkaRequests(perApi) || 'none'}`)
    .join('; ');
  const kafkaIdle = Object.entries(run.kafkaIdleRequestsPerSec ?? {})
    .map(([name, perApi]) => `${name} ${formatKafkaRequests(perApi) || 'none'}`)
    .join('; ');
  return `${kafkaIdle ? `Kafka requests per second idle: ${kafkaIdle}; ` : ''}${per}; parley ${Math.round(parleyTotal(run.marginalMicros, parley))} µs/msg,${redis ? ` Redis commands per msg: ${redis};` : ''}${kafka ? ` Kafka requests per msg: ${kafka};` : ''} idle ${parleyTotal(run.idlePercent, parley).toFixed(1)}%; ${run.messages} msgs in ${run.windowSec.toFixed(1)} s; msg:N p50 ${run.latencyMs.msgNp50} p99 ${run.latencyMs.msgNp99} ms; ${run.verdict}; load ${run.loadAverage}`;
}
