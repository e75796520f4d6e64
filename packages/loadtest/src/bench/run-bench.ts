// `npm run bench`: parley against raw uWebSockets.js, `ws` and Socket.IO on this machine,
// with one client harness (`ws` clients in worker processes): idle memory per connection,
// group fan-out, and 1:1 latency embedded and on real Kafka + Redis. Writes a markdown
// report to bench/results/ and prints it; a full run also becomes the README's figures.
// `--only idle,fanout,latency,cpu,profile,steps` runs some sections (BENCH_USAGE in bench-args.ts).
// This file runs the sections and writes the report; each section lives in its own file
// (idle-memory.ts, fanout.ts, parley-mode-runs.ts, cost-sections.ts, profile-section.ts), the processes in
// bench-servers.ts and bench-clients.ts, /proc readings in proc-memory.ts and proc-cpu.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { startKafkaBroker, startRedisServer } from '@parley/testkit';
import { BENCH_USAGE, BenchArgsError, parseBenchArgs } from './bench-args';
import { count } from './bench-format';
import { log } from './bench-log';
import { updateReadme } from './bench-readme';
import { REPO } from './bench-servers';
import { CONNECTIONS_PER_PROCESS, MIN_CLIENT_PROCESSES, planConnections } from './connection-plan';
import { cpuSection, SectionOutput, stepsSection } from './cost-sections';
import { profileSection } from './profile-section';
import { FANOUT_ARGS, fanoutSection, peerFanout, type FanoutPeers } from './fanout';
import { idleMemory, idleSection, IDLE_KINDS, IDLE_SIZES, serverProcessesFor, type IdleRow } from './idle-memory';
import { LATENCY_ARGS, latencySection, LIGHT_LATENCY_ARGS, parleyRuns, type ModeRun } from './parley-mode-runs';

/** Where the profile section goes in the report (the README gets a pointer to it instead). */
const PROFILE_PLACE = '\u0000profiles';

/** Runs the sections `argv` asks for; resolves to the process's exit code (2: bad arguments). */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(argv);
  } catch (err) {
    if (!(err instanceof BenchArgsError)) throw err;
    process.stderr.write(`${err.message}\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const { sections } = args;
  const startedMs = Date.now();
  const idle: IdleRow[] = [];
  if (sections.has('idle')) {
    for (const size of IDLE_SIZES)
      for (const kind of IDLE_KINDS) {
        const processes = serverProcessesFor(kind, size);
        if (processes === undefined) log(`idle ${kind} ${size}: skipped (one process cannot hold ${size} connections here)`);
        else idle.push(await idleMemory(kind, size, processes));
      }
  }
  const fanoutPeers: FanoutPeers | undefined = sections.has('fanout') ? { uws: await peerFanout('uws'), ws: await peerFanout('ws'), socketio: await peerFanout('socketio') } : undefined;
  let embedded: ModeRun = {};
  let real: ModeRun = {};
  if (sections.has('fanout') || sections.has('latency')) {
    embedded = await parleyRuns({}, 'embedded', sections);
    log('starting Kafka and Redis');
    const [redis, kafka] = await Promise.all([startRedisServer(), startKafkaBroker()]);
    try {
      real = await parleyRuns({ PARLEY_KAFKA_BROKERS: kafka.brokers.join(','), PARLEY_REDIS_URL: redis.url, KAFKAJS_NO_PARTITIONER_WARNING: '1' }, 'kafka+redis', sections);
    } finally {
      await Promise.allSettled([redis.stop(), kafka.stop()]);
    }
  }

  const dir = join(REPO, 'bench', 'results');
  // The report's name is the time it is written; what the profile section writes beside it
  // is named by the run's start.
  const flameDirName = `${new Date(startedMs).toISOString().replace(/[:.]/g, '-')}-flame`;
  const costs: Partial<Record<'cpu' | 'profile' | 'steps', SectionOutput>> = {
    cpu: sections.has('cpu') ? await cpuSection(log) : undefined,
    profile: sections.has('profile') ? await profileSection(log, dir, flameDirName) : undefined,
    steps: sections.has('steps') ? await stepsSection(log) : undefined,
  };

  const totalSec = Math.round((Date.now() - startedMs) / 1000);
  const at = new Date().toISOString();
  const stamp = at.replace(/[:.]/g, '-');
  const clientNote = IDLE_SIZES.map((size) => `${planConnections(size).clients.length} at ${count(size)}`).join(', ');
  const lines: string[] = [
    `# parley benchmark, ${at}${args.full ? '' : ` (only ${[...sections].join(', ')})`}`,
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}. ` +
      `One client harness for every server: \`ws\` clients in worker processes (${MIN_CLIENT_PROCESSES}, or one per ${count(CONNECTIONS_PER_PROCESS)} connections: ${clientNote}), fresh 127.0.0.x source addresses per measurement (parley messaging rows: the load tester, packages/loadtest). Total time ${totalSec} s.`,
    '',
    ...(sections.has('idle') ? idleSection(idle) : []),
    ...(fanoutPeers && embedded.fanout && real.fanout ? fanoutSection(fanoutPeers, embedded.fanout, real.fanout) : []),
    ...(sections.has('latency') ? latencySection(embedded, real) : []),
    ...(costs.cpu?.lines ?? []),
    PROFILE_PLACE,
    ...(costs.steps?.lines ?? []),
    '## Commands',
    '',
    '```',
    args.full ? 'npm run bench' : `node bench/run-bench.js --only ${[...sections].join(',')}   # after npm run build`,
    ...(sections.has('fanout') || sections.has('latency') ? [`# parley rows run the load tester, equivalent to:`] : []),
    ...(sections.has('fanout') ? [`npm run load -- --url ws://127.0.0.1:PORT/ws ${FANOUT_ARGS.join(' ')}`] : []),
    ...(sections.has('latency') ? [`npm run load -- --url ws://127.0.0.1:PORT/ws ${LATENCY_ARGS.join(' ')}`, `npm run load -- --url ws://127.0.0.1:PORT/ws ${LIGHT_LATENCY_ARGS.join(' ')}`] : []),
    ...(costs.cpu?.commands ?? []),
    ...(costs.profile?.commands ?? []),
    ...(costs.steps?.commands ?? []),
    '```',
    '',
  ];
  const file = join(dir, args.full ? `${stamp}.md` : `${stamp}-${[...sections].join('-')}.md`);
  const withProfiles = (profileLines: readonly string[]): string => lines.flatMap((line) => (line === PROFILE_PLACE ? profileLines : [line])).join('\n');
  const markdown = withProfiles(costs.profile?.lines ?? []);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, markdown);
  let readme = false;
  // Only a full run stands for "the latest run": a partial one would leave holes in the tables.
  if (args.full) {
    writeFileSync(join(dir, 'latest.md'), markdown);
    writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ idle, fanoutPeers, embedded, real, cpu: costs.cpu?.data, profile: costs.profile?.data, steps: costs.steps?.data }, null, 2)}\n`);
    // The README keeps the tables; the profiles (and their links, relative to bench/results) stay in the results file.
    const profilePointer = costs.profile ? [`## Where the CPU goes`, '', `CPU profiles of every process at 1,000 msgs/s (time by package, top frames, collapsed stacks for a flame graph): [${file.slice(REPO.length + 1)}](${file.slice(REPO.length + 1)}).`, ''] : [];
    readme = updateReadme(join(REPO, 'README.md'), withProfiles(profilePointer), file.slice(REPO.length + 1));
  }
  process.stdout.write(`${markdown}\nwritten to ${file}${args.full ? ', bench/results/latest.md' : ''}${readme ? ' and README.md' : ''}\n`);
  log(`total time ${totalSec} s`);
  return 0;
}
