// A section of `npm run bench` (`profile`): where each parley process spends its CPU at
// 1,000 msgs/s 1:1, through Kafka + Redis and embedded. Each target runs again, on its own,
// under V8's CPU profiler (which costs CPU itself: the figures of the `cpu` section come from
// unprofiled runs). Per process the report lists the time by package and the top frames by
// self time over the sending window; the window's collapsed stacks (a flame graph's input) are
// written beside the report.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figureColumn, markdownTable, textColumn } from '../markdown-table';
import type { SectionOutput } from './cost-sections';
import { measureCpuCost, type CpuCostResult } from './cpu-cost';
import { foldedStacks, profileSeconds, summarise, type CpuProfile, type FrameTime, type ProfileSummary } from './cpuprofile-summary';
import type { CostTarget } from './parley-target';
import { loadAverage } from './proc-cpu';

const PROFILE_RATE = 1000;
const PROFILE_CONNECTIONS = 2000;
const PROFILE_DURATION_SEC = 15;
const PROFILE_TARGETS: readonly CostTarget[] = ['distributed', 'embedded'];
/** After the sending window: the quiet wait and the stop, in which the processes are near idle. */
const TAIL_SEC = 8;
const TOP_PACKAGES = 8;
const TOP_FRAMES = 12;

const targetLabel: Record<CostTarget, string> = {
  distributed: 'Kafka + Redis, three service processes',
  embedded: 'embedded, one process',
  'all-in-one-kafka': 'Kafka + Redis, one process',
};

export interface ProcessProfile {
  readonly target: CostTarget;
  readonly process: string;
  readonly summary: ProfileSummary;
  /** The collapsed stacks file, relative to the results directory. */
  readonly flameFile: string;
}

/** The .cpuprofile file of a process, by the pid in Node's file name (CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile). */
export function profileFileOf(files: readonly string[], pid: number): string | undefined {
  return files.find((f) => f.split('.')[3] === String(pid) && f.endsWith('.cpuprofile'));
}

/**
 * Profiles every target and writes the collapsed stacks into `resultsDir/flameDirName`.
 * Processes whose profile is missing are named in the report rather than failing the bench.
 */
export async function profileSection(log: (line: string) => void, resultsDir: string, flameDirName: string): Promise<SectionOutput> {
  const loadBefore = loadAverage();
  const profiles: ProcessProfile[] = [];
  const missing: string[] = [];
  const runs: CpuCostResult[] = [];
  mkdirSync(join(resultsDir, flameDirName), { recursive: true });
  for (const target of PROFILE_TARGETS) {
    const dir = mkdtempSync(join(tmpdir(), `parley-prof-${target}-`));
    try {
      const result = await measureCpuCost({
        target,
        rates: [PROFILE_RATE],
        connections: PROFILE_CONNECTIONS,
        idleSec: 3,
        durationSec: PROFILE_DURATION_SEC,
        warmUpSec: 5,
        execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
        log,
      });
      runs.push(result);
      const windowSec = (result.runs[0]?.windowSec ?? PROFILE_DURATION_SEC) + TAIL_SEC;
      const files = readdirSync(dir);
      for (const name of result.parleyProcesses) {
        const pid = result.pids[name];
        const file = pid === undefined ? undefined : profileFileOf(files, pid);
        if (file === undefined) {
          missing.push(`${targetLabel[target]}: ${name}`);
          continue;
        }
        const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
        const window = { fromSec: Math.max(0, profileSeconds(profile) - windowSec) };
        const flameFile = join(flameDirName, `${target}-${name.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}.folded`);
        writeFileSync(join(resultsDir, flameFile), `${foldedStacks(profile, window).join('\n')}\n`);
        profiles.push({ target, process: name, summary: summarise(profile, Math.max(TOP_PACKAGES, TOP_FRAMES), window), flameFile });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    lines: profileLines(profiles, runs, missing, loadBefore),
    commands: PROFILE_TARGETS.map(
      (t) => `node packages/loadtest/dist/bench/cpu-cost-cli.js --target ${t} --rates ${PROFILE_RATE} --connections ${PROFILE_CONNECTIONS} --idle 3 --duration ${PROFILE_DURATION_SEC} --warm-up 5 --cpu-prof DIR   # then: node packages/loadtest/dist/bench/cpuprofile-summary.js DIR`,
    ),
    data: profiles.map((p) => ({ target: p.target, process: p.process, busyMs: p.summary.busyMs, wallMs: p.summary.wallMs, packages: p.summary.packages, self: p.summary.self, flameFile: p.flameFile })),
  };
}

const frameRows = (rows: readonly FrameTime[], n: number): string[][] => rows.slice(0, n).map((r) => [`\`${r.frame}\``, r.percent.toFixed(1)]);

export function profileLines(profiles: readonly ProcessProfile[], runs: readonly CpuCostResult[], missing: readonly string[], loadBefore: string): string[] {
  const runNote = runs
    .map((r) => {
      const run = r.runs[0];
      return run ? `${targetLabel[r.target]}: ${run.messages.toLocaleString('en-US')} messages, msg:N p50 ${run.latencyMs.msgNp50} ms, ${run.verdict}` : '';
    })
    .filter(Boolean)
    .join('; ');
  return [
    `## Where the CPU goes: CPU profiles at ${PROFILE_RATE.toLocaleString('en-US')} msgs/s 1:1`,
    '',
    `Each target runs again under V8's CPU profiler (\`node --cpu-prof\`, which costs CPU itself: the figures above come from unprofiled runs): ${PROFILE_CONNECTIONS.toLocaleString('en-US')} connections, 5 s warm-up, ${PROFILE_DURATION_SEC} s at ${PROFILE_RATE.toLocaleString('en-US')} msgs/s. ` +
      `Shares are of each process's busy (non-idle) sampled time over the sending window and the drain after it. The collapsed stacks of the same window (one "caller;callee ms" line per stack, the input of flamegraph.pl or speedscope) are in the files named.${runNote ? ` ${runNote}.` : ''} Load average when the section started: ${loadBefore}.`,
    '',
    ...profiles.flatMap((p) => [
      `### ${targetLabel[p.target]}: ${p.process}`,
      '',
      `Busy ${(p.summary.busyMs / 1000).toFixed(1)} s of ${(p.summary.wallMs / 1000).toFixed(1)} s sampled (${((100 * p.summary.busyMs) / Math.max(1, p.summary.wallMs)).toFixed(0)} % of a core); collapsed stacks: [${p.flameFile}](${p.flameFile}).`,
      '',
      ...markdownTable([textColumn('package'), figureColumn('% of busy')], frameRows(p.summary.packages, TOP_PACKAGES)),
      '',
      ...markdownTable([textColumn('top frames by self time'), figureColumn('% of busy')], frameRows(p.summary.self, TOP_FRAMES)),
      '',
    ]),
    ...(missing.length > 0 ? [`No profile was written for: ${missing.join(', ')}.`, ''] : []),
  ];
}
