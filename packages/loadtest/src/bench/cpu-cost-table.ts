// The CPU-per-message table (markdown): one row per process, then parley's services summed,
// with the targets beside them.
import { CostTarget, CpuCostResult, parleyTotal } from './cpu-cost';
import { figureColumn, markdownTable, textColumn } from '../markdown-table';
import { formatKafkaRequests } from './kafka-requests';

/** Targets: parley's services together, idle (percent of one core) and marginal (µs per message). */
export const CPU_TARGETS: Readonly<Record<CostTarget, { readonly idlePercent: number; readonly marginalMicros: number }>> = {
  distributed: { idlePercent: 5, marginalMicros: 150 },
  'all-in-one-kafka': { idlePercent: 5, marginalMicros: 150 },
  embedded: { idlePercent: 5, marginalMicros: 40 },
};

export const TARGET_LABEL: Readonly<Record<CostTarget, string>> = {
  distributed: 'Kafka + Redis, three service processes (`npm run start:distributed`)',
  'all-in-one-kafka': 'Kafka + Redis, one all-in-one process (`npm start` with PARLEY_KAFKA_BROKERS and PARLEY_REDIS_URL)',
  embedded: 'embedded (`npm start`, in-memory stores, one process)',
};

const pct = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(1));
const us = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const rate = (n: number): string => n.toLocaleString('en-US');
const per = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(1));

export function cpuCostTable(result: CpuCostResult): string[] {
  const { runs, connections } = result;
  const target = CPU_TARGETS[result.target];
  const first = runs[0];
  const sumName = result.parleyProcesses.length > 1 ? `**parley services together** (${result.parleyProcesses.join(' + ')})` : `**parley** (${result.parleyProcesses[0]})`;
  const columns = [
    textColumn('process'),
    figureColumn(`idle, ${rate(connections)} conns (% of a core)`),
    ...runs.flatMap((r) => [figureColumn(`at ${rate(r.rate)}/s (%)`), figureColumn(`µs per msg at ${rate(r.rate)}/s`), figureColumn(`writes per msg at ${rate(r.rate)}/s`)]),
  ];
  const rows = [
    ...result.processes.map((name) => [name, pct(first?.idlePercent[name]), ...runs.flatMap((r) => [pct(r.loadPercent[name]), us(r.marginalMicros[name]), per(r.writesPerMessage?.[name])])]),
    [
      sumName,
      `**${pct(first ? parleyTotal(first.idlePercent, result.parleyProcesses) : NaN)}**`,
      ...runs.flatMap((r) => [
        pct(parleyTotal(r.loadPercent, result.parleyProcesses)),
        `**${us(parleyTotal(r.marginalMicros, result.parleyProcesses))}**`,
        per(r.writesPerMessage ? parleyTotal(r.writesPerMessage, result.parleyProcesses) : NaN),
      ]),
    ],
    ['target (parley)', `≤ ${target.idlePercent}`, ...runs.flatMap(() => ['', `≤ ${target.marginalMicros}`, ''])],
  ];
  const notes = runs.map(
    (r) =>
      `${rate(r.rate)}/s: ${rate(r.messages)} messages sent at ${Math.round(r.sentPerSec).toLocaleString('en-US')}/s; CPU over ${r.windowSec.toFixed(1)} s from the first send until all were delivered and acked${r.marginalMicros && Object.values(r.marginalMicros).every((v) => Number.isNaN(v)) ? ' (they were not: the drain ended first, so no marginal cost)' : ''}, less the idle CPU (measured over ${r.idleSec.toFixed(1)} s just before) for as long; ` +
      `send → msg:N p50 ${r.latencyMs.msgNp50} / p99 ${r.latencyMs.msgNp99} ms, send → ack:N p50 ${r.latencyMs.ackNp50} / p99 ${r.latencyMs.ackNp99} ms; ${r.verdict}; load average ${r.loadAverage}.` +
      (r.redisCommandsPerMessage?.length
        ? ` Redis commands per message (INFO commandstats, idle rate subtracted; commands inside scripts counted as well): ${r.redisCommandsPerMessage.map((c) => `${c.command} ${c.perMessage.toFixed(2)}`).join(', ')}.`
        : '') +
      (r.kafkaRequestsPerMessage && Object.keys(r.kafkaRequestsPerMessage).length > 0
        ? ` Kafka requests per message (parley_kafka_requests_total, idle rate subtracted): ${Object.entries(r.kafkaRequestsPerMessage)
            .map(([name, perApi]) => `${name} ${formatKafkaRequests(perApi) || 'none'}`)
            .join('; ')}.`
        : ''),
  );
  return [`### ${TARGET_LABEL[result.target]}`, '', ...markdownTable(columns, rows), '', ...notes.map((n) => `- ${n}`), ''];
}
