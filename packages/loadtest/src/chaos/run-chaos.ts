// One chaos scenario: a fresh local cluster with the scenario's processes, a steady 1:1 load
// and a steady group load at once (two load runs, sending together), the fault injected a
// third of the way into sending, and for each load the verdict, the time to recover and
// latency / frames per message before, during and after the fault. Bounded: the loads
// have connect, drain and quiet limits, and the cluster is always stopped.
import { monotonicMicros } from '../latency';
import { parseLoadArgs } from '../options';
import { LoadResult, runLoad } from '../run-load';
import { analyzeTimeline, TimelineAnalysis } from '../timeline';
import { LocalCluster } from './local-cluster';
import type { ChaosScenario, FaultTiming } from './scenarios';

export interface ChaosSize {
  /** Connections of the 1:1 load (pairs); the group load has half as many. */
  readonly connections: number;
  /** Messages per second of the 1:1 load; the group load sends a fifth of it (each to groupSize - 1 members). */
  readonly rate: number;
  readonly durationSec: number;
  readonly groupSize: number;
  /** How long to wait, after sending, for every answer and delivery (then for quiet) before judging. */
  readonly drainMs: number;
}

export interface ChaosRunOptions extends ChaosSize, FaultTiming {
  readonly log?: (line: string) => void;
  /** Settings for every service of the cluster (e.g. a short session timeout). */
  readonly sharedEnv?: Readonly<Record<string, string>>;
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  readonly deliveryEnv?: Readonly<Record<string, string>>;
}

export type LoadKind = '1:1' | 'group';

export interface LoadOutcome {
  readonly kind: LoadKind;
  readonly result: LoadResult;
  readonly analysis: TimelineAnalysis;
}

export interface ScenarioOutcome {
  readonly scenario: ChaosScenario;
  readonly size: ChaosSize;
  /** Fault start and end, in seconds after sending started; undefined when it never ran. */
  readonly faultAtSec: number | undefined;
  readonly faultEndSec: number | undefined;
  readonly loads: readonly LoadOutcome[];
  /** What went wrong in the harness itself (a process that did not come back...), if anything: the scenario fails. */
  readonly errors: readonly string[];
  /** Remarks on the measurement (not failures). */
  readonly notes: readonly string[];
  /** What the cluster did, stamped in seconds after sending started. */
  readonly events: readonly string[];
  /** Service counters read at the end (SERVICE_COUNTERS), summed over the running instances. */
  readonly counters: Readonly<Record<string, number>>;
  readonly seconds: number;
}

const JWT_SECRET = 'parley-chaos-secret';

/** Counters of the services worth reporting after a fault: what delivery wrote back after a store loss and handed over of the lost epoch. */
export const SERVICE_COUNTERS = [
  { name: 'inbox restored (1:1)', role: 'delivery', metric: 'parley_delivery_inbox_restored_total', labels: 'kind="direct"' },
  { name: 'inbox restored (group)', role: 'delivery', metric: 'parley_delivery_inbox_restored_total', labels: 'kind="group"' },
  { name: 'old-epoch sync pages', role: 'delivery', metric: 'parley_delivery_old_epoch_sync_pages_total', labels: '' },
  { name: 'ack:N repeated', role: 'delivery', metric: 'parley_delivery_notices_repeated_total', labels: '' },
] as const;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A warm-up load is steady once its send -> msg:N p99 and max are below these (ms). */
const WARM_P99_MS = 1000;
const WARM_MAX_MS = 2000;
const WARMUP_ROUNDS = 8;

/**
 * A fresh cluster's first messages wait for consumer groups to settle (a second instance
 * joining makes the group rebalance) and topics to warm up: short loads until latency is
 * steady (at most WARMUP_ROUNDS), so the measured loads start in the steady state the fault
 * interrupts and the pre-fault baseline means something.
 */
async function warmUp(cluster: LocalCluster, stamp: (line: string) => void): Promise<void> {
  for (let round = 1; round <= WARMUP_ROUNDS; round++) {
    const warm = await runLoad(
      parseLoadArgs([
        '--url', cluster.urls.join(','), '--connections', '40', '--rate', '40', '--duration', '3', '--workers', '1', '--quiet',
        '--drain-ms', '60000', '--secret', JWT_SECRET, '--run-id', `${Date.now().toString(36)}w${round}`,
      ]),
    );
    const steady = warm.passed && warm.latency.msgN.p99 <= WARM_P99_MS && warm.latency.msgN.max <= WARM_MAX_MS;
    stamp(`warm-up ${round}: ${warm.passed ? 'clean' : 'NOT clean'}, send -> msg:N p99 ${warm.latency.msgN.p99} ms, max ${warm.latency.msgN.max} ms${steady ? ': steady' : ''}`);
    if (steady) return;
  }
  stamp(`latency not steady after ${WARMUP_ROUNDS} warm-up loads: the baseline before the fault is noisy`);
}

/** Every load run and the fault must start together: a barrier of `parties`. */
function barrier(parties: number): { arrive: () => Promise<void>; released: Promise<void> } {
  let arrived = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    released,
    arrive: () => {
      arrived++;
      if (arrived === parties) release();
      return released;
    },
  };
}

export async function runScenario(scenario: ChaosScenario, runOptions: ChaosRunOptions): Promise<ScenarioOutcome> {
  const options: ChaosRunOptions = { ...runOptions, durationSec: Math.max(runOptions.durationSec, scenario.minDurationSec ?? 0) };
  const startedMs = Date.now();
  const events: string[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  let sendStartUs = 0;
  const stamp = (line: string): void => {
    const at = sendStartUs > 0 ? `${((monotonicMicros() - sendStartUs) / 1e6).toFixed(1)} s` : 'setup';
    events.push(`${at}: ${line}`);
    options.log?.(`[${scenario.name} ${at}] ${line}`);
  };
  const cluster = await LocalCluster.start({
    ...scenario.topology,
    jwtSecret: JWT_SECRET,
    sharedEnv: { PARLEY_KAFKA_SESSION_TIMEOUT_MS: String(options.sessionTimeoutMs), ...(options.sharedEnv ?? {}) },
    gatewayEnv: { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '10000', ...(options.gatewayEnv ?? {}), ...(scenario.gatewayEnv ?? {}) },
    deliveryEnv: options.deliveryEnv,
    log: stamp,
  });
  let faultAtSec: number | undefined;
  let faultEndSec: number | undefined;
  let faultAtUs: number | undefined;
  try {
    await warmUp(cluster, stamp);
    const runId = Date.now().toString(36);
    const common = (kind: string): string[] => [
      '--url', cluster.urls.join(','), '--duration', String(options.durationSec), '--workers', '1', '--quiet',
      '--drain-ms', String(options.drainMs), '--connect-timeout-ms', '90000', '--run-id', `${runId}${kind}`, '--secret', JWT_SECRET,
    ];
    const direct = parseLoadArgs([...common('p'), '--connections', String(options.connections), '--rate', String(options.rate)]);
    const groupConnections = Math.max(options.groupSize, Math.round(options.connections / 2 / options.groupSize) * options.groupSize);
    const group = parseLoadArgs([
      ...common('g'), '--scenario', 'groups', '--connections', String(groupConnections), '--group-size', String(options.groupSize),
      '--group-senders', '2', '--rate', String(Math.max(1, Math.round(options.rate / 5))),
    ]);
    const start = barrier(2);
    const faultDelayMs = Math.round((options.durationSec * 1000) / 3);
    const fault = start.released.then(async () => {
      sendStartUs = monotonicMicros();
      stamp(`sending (1:1 ${options.connections} connections at ${options.rate} msgs/s, groups of ${options.groupSize}: ${groupConnections} connections)`);
      const spanMs = scenario.spanMs(options);
      if (faultDelayMs + spanMs > options.durationSec * 1000) notes.push(`the fault (about ${spanMs / 1000} s) may outlast sending (${options.durationSec} s): the time to recover may not be measured; use a longer --duration`);
      await sleep(faultDelayMs);
      faultAtUs = monotonicMicros();
      faultAtSec = (faultAtUs - sendStartUs) / 1e6;
      stamp(`fault: ${scenario.title}`);
      try {
        await scenario.run(cluster, options, stamp);
      } catch (err) {
        errors.push(`the fault did not complete: ${(err as Error).message.split('\n')[0]}`);
      }
      faultEndSec = (monotonicMicros() - sendStartUs) / 1e6;
      stamp('fault over');
    });
    const progress = (kind: LoadKind) => {
      let last = 0;
      return (line: string): void => {
        if (Date.now() - last < 10_000) return;
        last = Date.now();
        options.log?.(`[${scenario.name} ${kind}] ${line}`);
      };
    };
    // A load that fails before sending still arrives at the barrier, so the other one never waits for it forever.
    const run = (options: typeof direct, kind: LoadKind): Promise<LoadResult> => {
      let arrived = false;
      const arrive = (): Promise<void> => ((arrived = true), start.arrive());
      return runLoad(options, { beforeSending: arrive, onProgress: progress(kind) }).catch((err: Error) => {
        if (!arrived) void start.arrive();
        throw err;
      });
    };
    const settled = await Promise.allSettled([run(direct, '1:1'), run(group, 'group')]);
    await fault;
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [directResult, groupResult] = settled.map((s) => (s as PromiseFulfilledResult<LoadResult>).value) as [LoadResult, LoadResult];
    const loads = ([['1:1', directResult], ['group', groupResult]] as const).map(([kind, result]) => ({
      kind,
      result,
      analysis: analyzeTimeline(result.timeline, result.sendWindowUs.startUs, result.sendWindowUs.stopUs, faultAtUs),
    }));
    const counters: Record<string, number> = {};
    for (const c of SERVICE_COUNTERS) counters[c.name] = await cluster.metricSum(c.role, c.metric, c.labels);
    return { scenario, size: options, faultAtSec, faultEndSec, loads, errors, notes, events, counters, seconds: (Date.now() - startedMs) / 1000 };
  } finally {
    await cluster.stop();
  }
}
