// parley's messaging rows in one mode (embedded, or Kafka + Redis): the fan-out run and the
// 1:1 latency runs at two rates, each on a fresh warmed-up server, and the latency table.
import { figureColumn, markdownTable, textColumn } from '../markdown-table';
import type { BenchSection } from './bench-args';
import { count, perSec, verdictOf } from './bench-format';
import { log } from './bench-log';
import { FANOUT_ARGS } from './fanout';
import { measuredParleyRun, type Measured } from './parley-load-run';

/**
 * Past its 15 s drain window a run that fell behind keeps draining while messages still arrive
 * (up to 10 minutes more): what was late is reported as late, and only what never came as lost.
 */
const DRAIN_ARGS = ['--drain-extend-ms', '600000'];
export const LATENCY_ARGS = ['--scenario', 'pairs', '--connections', '2000', '--rate', '10000', '--duration', '20', '--payload', '64', ...DRAIN_ARGS];
/** The same pairs at a tenth of the rate: latency when the server keeps up. */
export const LIGHT_LATENCY_ARGS = ['--scenario', 'pairs', '--connections', '2000', '--rate', '1000', '--duration', '20', '--payload', '64', ...DRAIN_ARGS];
/**
 * Run on the same server before a latency measurement and not counted: a fresh process (and a
 * fresh Kafka topic) is cold, JIT compilers of Node and of the JVM broker included, and the first
 * seconds measure start-up rather than the steady state.
 */
const WARM_UP_ARGS = ['--scenario', 'pairs', '--connections', '2000', '--rate', '1000', '--duration', '10', '--payload', '64'];

export interface ModeRun {
  readonly fanout?: Measured;
  readonly latency?: Measured;
  readonly lightLatency?: Measured;
}

export async function parleyRuns(extraEnv: Record<string, string>, label: string, sections: ReadonlySet<BenchSection>): Promise<ModeRun> {
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

export function latencySection(embedded: ModeRun, real: ModeRun): string[] {
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
        const notes = [verdictOf(r), drainNote(r), r.loadGenerator.bottleneck ? `load generator limited: ${r.loadGenerator.bottleneck}` : ''].filter(Boolean);
        const l = r.latency;
        return [[name, perSec(r.options.ratePerSec), perSec(r.throughput.sentPerSec), String(l.msgN.p50), String(l.msgN.p99), String(l.ackN.p50), String(l.ackN.p99), String(m.serverCpuPercent), notes.join('; ')]];
      }),
    ),
    '',
    'Each row runs on a fresh server after a 10 s warm-up at 1,000 msgs/s on that server (not counted), so it measures the steady state rather than cold JIT compilers and fresh Kafka topics. Target (Kafka + Redis): p50 ≤ 5 ms and p99 ≤ 25 ms.',
    '',
  ];
}

/** What the drain says of a row: kept up, fell behind and caught up (late, not lost), or gave up. */
function drainNote(r: Measured['result']): string {
  if (r.drain.timedOut) return `server fell behind: ${count(r.drain.outstandingAtEnd)} unacked when the drain gave up after ${Math.round(r.drain.seconds)} s (counted as lost)`;
  if (r.drain.extended) return `server fell behind: sent ${perSec(r.throughput.sentPerSec)}/s but took ${Math.round(r.drain.seconds)} s after sending stopped to deliver and ack the rest (${count(r.verdict.late)} deliveries late)`;
  return '';
}
