// The chaos result file (markdown): the machine and command, then per scenario the
// verdict of each load, lost / duplicated / reordered / late / missing ack:N, the time to
// recover, frames per message during and after the fault against the steady state before
// it, and latency before / during / after. Pure: formatted from the outcomes.
import { figureColumn, markdownTable, textColumn } from '../markdown-table';
import { verdictLine, verdictPassed } from '../verdict';
import { p99BySecond, RECOVERY_MARGIN_MS, WindowSummary } from '../timeline';
import type { LoadOutcome, ScenarioOutcome } from './run-chaos';

export interface ChaosRunInfo {
  readonly command: string;
  readonly startedAt: Date;
  readonly machine: string;
  /** e.g. the load average at the start and end: the machine is shared. */
  readonly notes: readonly string[];
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number): string => (n >= 1000 ? `${fmt(n / 1000, 1)} s` : `${fmt(n, n < 10 ? 1 : 0)} ms`);

export const outcomePassed = (o: ScenarioOutcome): boolean => o.errors.length === 0 && o.loads.length > 0 && o.loads.every((l) => l.result.passed);

function recoveryOf(load: LoadOutcome): string {
  const a = load.analysis;
  if (!a.fault) return 'no fault';
  if (a.timeToRecoverMs === undefined) return `not before sending stopped (p99 over ${ms(a.thresholdMs ?? 0)} or deliveries missing)`;
  return `${ms(a.timeToRecoverMs)} (back under ${ms(a.thresholdMs ?? 0)} p99, pre-fault p99 ${ms(a.baselineP99Ms ?? 0)})`;
}

function windowRow(kind: string, w: WindowSummary, steady: WindowSummary | undefined): string[] {
  const vs = (value: number, base: number | undefined): string => (base && base > 0 && w !== steady ? ` (${fmt(value / base, 1)}×)` : '');
  return [
    kind,
    w.name,
    `${fmt((w.toUs - w.fromUs) / 1e6, 1)} s`,
    fmt(w.sent),
    ms(w.latency.p50),
    ms(w.latency.p99),
    ms(w.latency.max),
    `${fmt(w.framesUpPerMessage, 2)}${vs(w.framesUpPerMessage, steady?.framesUpPerMessage)}`,
    `${fmt(w.framesDownPerMessage, 2)}${vs(w.framesDownPerMessage, steady?.framesDownPerMessage)}`,
  ];
}

export function formatScenario(o: ScenarioOutcome): string {
  const lines: string[] = [];
  const t = o.scenario.topology;
  lines.push(`## ${o.scenario.name}: ${outcomePassed(o) ? 'PASS' : 'FAIL'}`);
  lines.push('');
  lines.push(`${o.scenario.title}. Processes: ${t.gateways} gateway(s), ${t.sequencers} sequencer(s), ${t.deliveries} delivery(ies), ${t.replicated ? 'three Kafka brokers (replication factor 3), a Redis Cluster of 3 masters + 3 replicas' : 'one Kafka broker, one redis-server'}.`);
  lines.push(
    o.faultAtSec === undefined
      ? 'The fault never ran.'
      : `Fault from ${fmt(o.faultAtSec, 1)} s to ${fmt(o.faultEndSec ?? o.faultAtSec, 1)} s after sending started (sending lasted ${o.size.durationSec} s); scenario took ${fmt(o.seconds, 0)} s.`,
  );
  for (const e of o.errors) lines.push(`**Harness:** ${e}`);
  for (const n of o.notes) lines.push(`Note: ${n}`);
  lines.push('');
  lines.push(
    ...markdownTable(
      [
        ...['load', 'verdict'].map(textColumn),
        ...['lost', 'dup', 'reordered', 'late', 'missing ack:N', 'shared positions', 'refused'].map(figureColumn),
        ...['time to recover', 'frames/msg up, down (whole run)'].map(textColumn),
        ...['retransmits', 'resync:N', 'new epochs'].map(figureColumn),
      ],
      o.loads.map((l) => {
        const v = l.result.verdict;
        return [
          l.kind,
          l.result.passed ? 'PASS' : 'FAIL',
          fmt(v.lost),
          fmt(v.duplicated),
          fmt(v.reordered),
          fmt(v.late),
          fmt(v.missingAckN),
          fmt(v.sharedPositions),
          fmt(v.refused + v.clientSeqReused),
          recoveryOf(l),
          `${fmt(l.result.frames.upPerMessage, 2)}, ${fmt(l.result.frames.downPerMessage, 2)}`,
          fmt(l.result.retransmits),
          fmt(l.result.resyncs),
          fmt(v.detail.epochChanges),
        ];
      }),
    ),
  );
  lines.push('');
  lines.push(
    ...markdownTable(
      [...['load', 'window'].map(textColumn), ...['length', 'msgs sent', 'p50', 'p99', 'max', 'frames up/msg (vs before)', 'frames down/msg (vs before)'].map(figureColumn)],
      o.loads.flatMap((l) => {
        const steady = l.analysis.windows.find((w) => w.name === 'before' || w.name === 'steady');
        return l.analysis.windows.map((w) => windowRow(l.kind, w, steady));
      }),
    ),
  );
  lines.push('');
  for (const l of o.loads) {
    const r = l.result;
    const errors = Object.entries(r.errors).sort((a, b) => b[1] - a[1]);
    lines.push(`- ${l.kind}: ${verdictLine(r.verdict)}; ${fmt(r.connect.connected)}/${fmt(r.connect.wanted)} connections up, sent ${fmt(r.throughput.sent)}, ` +
      `drain ${r.drain.timedOut ? `gave up after ${fmt(r.drain.seconds, 1)} s` : `${fmt(r.drain.seconds, 1)} s`}, quiet after ${fmt(r.drain.quietSeconds, 1)} s; ` +
      `re-pushed msg:N ${fmt(r.verdict.detail.redelivered)}, syncs ${fmt(r.syncs)}, reconnects ${fmt(r.reconnects)}; errors: ${errors.length === 0 ? 'none' : errors.slice(0, 6).map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}`);
    if (r.drained.closed > 0) {
      const t = r.drained.timeToReconnect;
      lines.push(`  - drained by a gateway (4007): ${fmt(r.drained.closed)} links closed, ${fmt(r.drained.reconnected)} welcomed again; close -> welcome p50 ${ms(t.p50)}, p99 ${ms(t.p99)}, max ${ms(t.max)}`);
    }
    for (const s of r.verdict.samples.slice(0, verdictPassed(r.verdict) ? 0 : 5)) lines.push(`  - ${s}`);
  }
  const counted = Object.entries(o.counters ?? {}).filter(([, n]) => n > 0);
  if (counted.length > 0) lines.push(`- services: ${counted.map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}`);
  lines.push('');
  lines.push('<details><summary>events, and send -> msg:N p99 per second of sending</summary>');
  lines.push('');
  for (const e of o.events) lines.push(`    ${e}`);
  for (const l of o.loads) {
    const series = p99BySecond(l.result.timeline, l.result.sendWindowUs.startUs, l.result.sendWindowUs.stopUs);
    lines.push(`    ${l.kind} p99 ms by second: ${series.map((p) => `${p.p99Ms}${p.missing > 0 ? `(-${p.missing})` : ''}`).join(' ')}`);
  }
  lines.push('');
  lines.push('</details>');
  return lines.join('\n');
}

export function formatChaosReport(info: ChaosRunInfo, outcomes: readonly ScenarioOutcome[], failures: ReadonlyArray<{ readonly name: string; readonly error: string }>): string {
  const passed = outcomes.filter(outcomePassed).length;
  const lines = [
    `# parley chaos run, ${info.startedAt.toISOString()}`,
    '',
    `- command: \`${info.command}\``,
    `- machine: ${info.machine}`,
    ...info.notes.map((n) => `- ${n}`),
    `- each scenario: a fresh local cluster (deploy/local), a steady 1:1 load and a steady group load sending together, the fault a third of the way in; ` +
      `"late" = first arrival after the drain started, "lost" = never (after waiting for quiet); time to recover = from the fault to the first moment from which ` +
      `every later half-second of sends is delivered in full with p99 at most max(2 × pre-fault p99, pre-fault p99 + ${RECOVERY_MARGIN_MS} ms); frames per message compare each window with the one before the fault.`,
    '',
    `**${passed} of ${outcomes.length + failures.length} scenarios passed.**`,
    '',
    ...markdownTable(
      ['scenario', '1:1', 'group', 'time to recover (1:1 / group)'].map(textColumn),
      [
        ...outcomes.map((o) => {
          const of = (kind: string): LoadOutcome | undefined => o.loads.find((l) => l.kind === kind);
          const cell = (l: LoadOutcome | undefined): string => (l ? verdictLine(l.result.verdict) + (l.result.passed || !verdictPassed(l.result.verdict) ? '' : ' (connections missing)') : '-');
          const rec = (l: LoadOutcome | undefined): string => (l?.analysis.timeToRecoverMs === undefined ? 'not recovered' : ms(l.analysis.timeToRecoverMs));
          return [o.scenario.name, cell(of('1:1')), cell(of('group')), `${rec(of('1:1'))} / ${rec(of('group'))}`];
        }),
        ...failures.map((f) => [f.name, `harness failed: ${f.error}`, '', '']),
      ],
    ),
    '',
    ...outcomes.map((o) => `${formatScenario(o)}\n`),
  ];
  return lines.join('\n');
}
