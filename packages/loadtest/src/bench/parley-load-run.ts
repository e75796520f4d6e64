// One measured parley run: a fresh `npm start` server (its own topics and Redis keys), an
// optional warm-up on it, then the load tester against it with the server's CPU measured.
import { parseLoadArgs } from '../options';
import { LoadResult, runLoad } from '../run-load';
import { freshSourceOctets } from './bench-clients';
import { verdictOf } from './bench-format';
import { log, sleep } from './bench-log';
import { JWT_SECRET, startServer, urlOf, type Server } from './bench-servers';
import { cpuSecondsOf } from './proc-cpu';

/** Runs `work` and reports the share of one core `pid` used meanwhile. */
async function withCpu<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; cpuPercent: number }> {
  const cpu0 = cpuSecondsOf(pid) ?? NaN;
  const t0 = Date.now();
  const value = await work();
  return { value, cpuPercent: Math.round((100 * ((cpuSecondsOf(pid) ?? NaN) - cpu0)) / ((Date.now() - t0) / 1000)) };
}

export async function parleyLoad(server: Server, args: string[]): Promise<LoadResult> {
  const options = parseLoadArgs(['--url', urlOf(server), '--secret', JWT_SECRET, '--quiet', '--source-from', String(freshSourceOctets(2)), ...args]);
  return runLoad(options);
}

export interface Measured {
  readonly result: LoadResult;
  /** The parley process's CPU over the run, percent of one core. */
  readonly serverCpuPercent: number;
}

let runNumber = 0;

export async function measuredParleyRun(extraEnv: Record<string, string>, args: string[], warmUpArgs?: string[]): Promise<Measured> {
  // Fresh topics, consumer groups and Redis keys per run: a killed server leaves a backlog
  // and a consumer-group member that only times out after the session timeout.
  const prefix = `bench${Date.now().toString(36)}${runNumber++}`;
  const server = await startServer('parley', { PARLEY_TOPIC_PREFIX: prefix, PARLEY_REDIS_PREFIX: `${prefix}:`, ...extraEnv });
  try {
    await sleep(1000);
    if (warmUpArgs) {
      const warmUp = await parleyLoad(server, warmUpArgs);
      log(`warm-up: ${Math.round(warmUp.throughput.sentPerSec)} msgs/s for ${warmUp.options.durationSec} s, ${verdictOf(warmUp)}`);
    }
    const { value, cpuPercent } = await withCpu(server.child.pid!, () => parleyLoad(server, args));
    return { result: value, serverCpuPercent: cpuPercent };
  } finally {
    await server.stop();
  }
}
