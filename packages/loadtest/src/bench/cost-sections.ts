// Two sections of `npm run bench`: CPU per message per process (`cpu`) and the highest
// sustainable 1:1 rate (`steps`), each through Kafka + Redis (the three services of
// `npm run start:distributed`) and embedded (`npm start`), with their targets.
import { measureCpuCost, type CpuCostResult } from './cpu-cost';
import { cpuCostTable } from './cpu-cost-table';
import type { CostTarget } from './parley-target';
import { loadAverage } from './proc-cpu';
import { doublingRates, measureStepRate, type StepRateResult } from './step-rate';
import { figureColumn, markdownTable, textColumn } from '../markdown-table';

export interface SectionOutput {
  readonly lines: string[];
  readonly commands: string[];
  readonly data: unknown;
}

type Log = (line: string) => void;

const CPU_RATES = [1000, 5000];
const CPU_CONNECTIONS = 2000;
const CPU_TARGETS: readonly CostTarget[] = ['distributed', 'embedded'];

export async function cpuSection(log: Log): Promise<SectionOutput> {
  const results: CpuCostResult[] = [];
  const loadBefore = loadAverage();
  for (const target of CPU_TARGETS) {
    results.push(await measureCpuCost({ target, rates: CPU_RATES, connections: CPU_CONNECTIONS, idleSec: 15, durationSec: 20, warmUpSec: 8, log }));
  }
  return {
    lines: [
      '## CPU per message, per process (1:1, 64 B)',
      '',
      `CPU time from /proc/<pid>/stat (utime + stime) of each process. Idle: ${CPU_CONNECTIONS.toLocaleString('en-US')} load-tester connections up and silent for 15 s (the fixed cost: heartbeats, consumer polling, timers). ` +
        'At a rate: 1,000 pairs send for 20 s; the CPU from the first send until every message was delivered and acked, less the idle CPU over as long, ÷ messages sent = the marginal µs per message. ' +
        'Each target is started fresh and warmed up (8 s at 1,000 msgs/s, not counted). CPU time is far less sensitive than latency to what else runs on the machine, but not immune: a process starved of CPU batches more and so spends less per message. ' +
        `Load average when the section started: ${loadBefore}.`,
      '',
      ...results.flatMap(cpuCostTable),
    ],
    commands: [
      ...CPU_TARGETS.map((t) => `node packages/loadtest/dist/bench/cpu-cost-cli.js --target ${t} --rates ${CPU_RATES.join(',')} --connections ${CPU_CONNECTIONS} --idle 15 --duration 20`),
    ],
    data: results,
  };
}

const STEP_TARGETS: ReadonlyArray<{ target: CostTarget; max: number; goal: number }> = [
  { target: 'distributed', max: 64_000, goal: 10_000 },
  { target: 'embedded', max: 128_000, goal: 25_000 },
];
const STEP_CONNECTIONS = 2000;
const STEP_DURATION_SEC = 15;
const STEP_MAX_ACK_P99_MS = 250;

const label: Record<CostTarget, string> = {
  distributed: 'Kafka + Redis (three service processes)',
  embedded: 'embedded (`npm start`)',
  'all-in-one-kafka': 'Kafka + Redis (one all-in-one process)',
};

function stepTable(result: StepRateResult, goal: number): string[] {
  return [
    `### ${label[result.target]}: highest sustainable rate ${result.highest.toLocaleString('en-US')} msgs/s (target ≥ ${goal.toLocaleString('en-US')})`,
    '',
    ...markdownTable(
      [...['offered msgs/s', 'sent/s', 'msg:N p50', 'p99', 'ack:N p50', 'p99 (≤ 250)'].map(figureColumn), ...['verdict', 'pass', 'load average'].map(textColumn)],
      result.steps.map((s) => [
        s.rate.toLocaleString('en-US'),
        Math.round(s.sentPerSec).toLocaleString('en-US'),
        String(s.msgNp50),
        String(s.msgNp99),
        String(s.ackNp50),
        String(s.ackNp99),
        s.verdict,
        s.passed ? 'yes' : 'no',
        String(s.loadAverage),
      ]),
    ),
    '',
  ];
}

export async function stepsSection(log: Log): Promise<SectionOutput> {
  const results: Array<{ result: StepRateResult; goal: number }> = [];
  for (const { target, max, goal } of STEP_TARGETS) {
    const result = await measureStepRate({ target, rates: doublingRates(max), connections: STEP_CONNECTIONS, durationSec: STEP_DURATION_SEC, maxAckP99Ms: STEP_MAX_ACK_P99_MS, warmUpSec: 8, log });
    results.push({ result, goal });
  }
  return {
    lines: [
      '## Highest sustainable 1:1 rate (stepped)',
      '',
      `1,000 pairs (${STEP_CONNECTIONS.toLocaleString('en-US')} connections), 64 B, ${STEP_DURATION_SEC} s per step on one parley (fresh connections each step, 8 s warm-up first), offered 1k, 2k, 4k, … msgs/s until a step fails. ` +
        `A step passes when nothing is lost, duplicated or reordered, every ack:N arrives, and p99 send → ack:N ≤ ${STEP_MAX_ACK_P99_MS} ms. Everything (services, Kafka, Redis, load tester) shares the machine's cores. Latencies in ms.`,
      '',
      ...results.flatMap(({ result, goal }) => stepTable(result, goal)),
    ],
    commands: results.map(
      ({ result }) => `npm run load -- --url ws://127.0.0.1:PORT/ws --scenario pairs --connections ${STEP_CONNECTIONS} --rate RATE --duration ${STEP_DURATION_SEC} --payload 64   # ${result.target}, RATE = 1000, 2000, 4000, …`,
    ),
    data: results.map((r) => r.result),
  };
}
