// `npm run chaos [-- options]`: runs the chaos scenarios one after the other, each on a
// fresh local cluster under 1:1 and group load, writes bench/results/chaos-<timestamp>.md
// and prints it. Exits non-zero unless every scenario passed. SIGINT / SIGTERM stop the
// running cluster and the load workers before exiting.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatChaosReport } from './chaos-report';
import { runScenario, ScenarioOutcome } from './run-chaos';
import { LocalCluster } from './local-cluster';
import { SCENARIOS, scenariosNamed } from './scenarios';

export const CHAOS_USAGE = `usage: npm run chaos -- [--only a,b] [--connections N] [--rate N] [--duration S] [--group-size N]
                         [--outage-ms MS] [--session-timeout-ms MS] [--drain-ms MS] [--out DIR] [--list]
  --only          scenarios to run (default: all): ${SCENARIOS.map((s) => s.name).join(', ')}
  --connections   connections of the 1:1 load (pairs; default 2000); the group load has half as many
  --rate          1:1 messages per second (default 500); the group load sends a fifth of it
  --duration      seconds of sending per scenario (default 60); the fault starts a third of the way in
  --group-size    members per group (default 20, two senders each)
  --outage-ms     how long a killed process or the broker stays down (default 10000)
  --session-timeout-ms  the services' Kafka session timeout (default 10000); a SIGSTOP lasts 10 s longer
  --drain-ms      wait after sending for every answer and delivery (default 60000), then for 3 s of quiet
  --out           directory of the result file (default bench/results)`;

export interface ChaosCliOptions {
  readonly only: string[];
  readonly connections: number;
  readonly rate: number;
  readonly durationSec: number;
  readonly groupSize: number;
  readonly outageMs: number;
  readonly sessionTimeoutMs: number;
  readonly drainMs: number;
  readonly outDir: string;
  readonly list: boolean;
}

const positive = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, got ${value}`);
  return n;
};

export function parseChaosArgs(argv: readonly string[], repoRoot: string): ChaosCliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      only: { type: 'string' },
      connections: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'group-size': { type: 'string' },
      'outage-ms': { type: 'string' },
      'session-timeout-ms': { type: 'string' },
      'drain-ms': { type: 'string' },
      out: { type: 'string' },
      list: { type: 'boolean' },
    },
  });
  const only = (values.only ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  scenariosNamed(only); // refuses unknown names
  const connections = positive('connections', values.connections, 2000);
  if (connections % 2 !== 0) throw new Error('--connections: the 1:1 load needs an even number');
  return {
    only,
    connections,
    rate: positive('rate', values.rate, 500),
    durationSec: positive('duration', values.duration, 60),
    groupSize: positive('group-size', values['group-size'], 20),
    outageMs: positive('outage-ms', values['outage-ms'], 10_000),
    sessionTimeoutMs: positive('session-timeout-ms', values['session-timeout-ms'], 10_000),
    drainMs: positive('drain-ms', values['drain-ms'], 60_000),
    outDir: path.resolve(values.out ?? path.join(repoRoot, 'bench', 'results')),
    list: values.list ?? false,
  };
}

function gitCommit(repoRoot: string): string {
  try {
    return execFileSync('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const load = (): string => loadavg().map((n) => n.toFixed(2)).join(' ');

export async function main(argv: readonly string[], repoRoot: string): Promise<number> {
  let options: ChaosCliOptions;
  try {
    options = parseChaosArgs(argv, repoRoot);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${CHAOS_USAGE}\n`);
    return 2;
  }
  if (options.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(16)} ${s.title}\n`);
    return 0;
  }
  // Services refuse PARLEY_* settings they do not know: none of this shell's goes to them.
  for (const key of Object.keys(process.env)) if (key.startsWith('PARLEY_') && !key.startsWith('PARLEY_TEST_')) delete process.env[key];
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

  const startedAt = new Date();
  const loadAtStart = load();
  const log = (line: string): void => void process.stderr.write(`[chaos] ${line}\n`);
  let current: Promise<unknown> | undefined;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping what this run started`);
    // The cluster's processes are children guarded by testkit (killed when this process exits);
    // the load workers exit when their coordinator (this process) goes.
    void Promise.race([LocalCluster.stopAll(), new Promise((resolve) => setTimeout(resolve, 20_000))]).then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const outcomes: ScenarioOutcome[] = [];
  const failures: Array<{ name: string; error: string }> = [];
  for (const scenario of scenariosNamed(options.only)) {
    if (stopping) break;
    log(`scenario ${scenario.name}: ${scenario.title}`);
    try {
      current = runScenario(scenario, { ...options, log });
      const outcome = (await current) as ScenarioOutcome;
      outcomes.push(outcome);
      for (const l of outcome.loads) log(`${scenario.name} ${l.kind}: ${l.result.passed ? 'PASS' : 'FAIL'} (time to recover ${l.analysis.timeToRecoverMs ?? 'n/a'} ms)`);
    } catch (err) {
      const message = (err as Error).message.split('\n').slice(0, 3).join(' ');
      failures.push({ name: scenario.name, error: message });
      log(`${scenario.name}: harness failed: ${message}`);
    }
  }
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const report = formatChaosReport(
    {
      command: `npm run chaos -- ${argv.join(' ')}`.trim(),
      startedAt,
      machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, parley ${gitCommit(repoRoot)}`,
      notes: [
        `load average at start ${loadAtStart}, at end ${load()}: the machine is shared with other work, so latencies and recovery times are noisy (compare windows within one scenario, not across runs)`,
        `size: 1:1 ${options.connections} connections at ${options.rate} msgs/s, groups of ${options.groupSize} (${Math.round(options.rate / 5)} msgs/s), ${options.durationSec} s of sending (more where a scenario needs it), outage ${options.outageMs / 1000} s, Kafka session timeout ${options.sessionTimeoutMs / 1000} s`,
      ],
    },
    outcomes,
    failures,
  );
  mkdirSync(options.outDir, { recursive: true });
  const file = path.join(options.outDir, `chaos-${stamp}.md`);
  writeFileSync(file, `${report}\n`);
  process.stdout.write(`${report}\n\nwritten to ${file}\n`);
  const allPassed = failures.length === 0 && outcomes.every((o) => o.errors.length === 0 && o.loads.every((l) => l.result.passed));
  return allPassed ? 0 : 1;
}
