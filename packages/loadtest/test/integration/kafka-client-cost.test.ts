// The Kafka client bench measures what it claims, with both clients, on the real broker: every
// record of every step produced, and consumed in the consume steps, with CPU, write calls and
// latency per record. It runs the built tool as a process: @platformatic/kafka is an ES module,
// which Node loads through require but jest's module system does not.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { testInfra } from '@parley/testkit';

const CLI = path.join(__dirname, '..', '..', 'dist', 'bench', 'kafka-client-cost-cli.js');
const STEPS = ['produceSingle', 'produceBatched', 'consumeTrickle', 'consumeBatched'];

interface Step {
  records: number;
  cpuUsPerRecord: number;
  writesPerRecord?: number;
  latencyMs?: { p50: number; p99: number };
  producerCpuUsPerRecord?: number;
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('kafka-client-cost-cli', () => {
  it('produces and consumes every record of every step with each client', async () => {
    const { kafkaBrokers } = testInfra();
    const { code, stdout, stderr } = await run([
      '--brokers', kafkaBrokers.join(','),
      '--runs', '1',
      '--partitions', '2',
      '--conversations', '10',
      '--single', '30',
      '--batched', '300',
      '--trickle', '30',
      '--trickle-rate', '200',
      '--warm-up', '5',
    ]);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const results = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(results.map((r) => r.client)).toEqual(['kafkajs', 'platformatic']);
    for (const result of results) {
      const steps = result as unknown as Record<string, Step>;
      expect(STEPS.map((step) => steps[step]?.records)).toEqual([30, 300, 30, 300]);
      for (const step of STEPS) {
        expect(steps[step]!.cpuUsPerRecord).toBeGreaterThan(0);
        expect(steps[step]!.latencyMs!.p99).toBeGreaterThanOrEqual(steps[step]!.latencyMs!.p50);
      }
      // One produce request per record at one record per request: at least one write each.
      expect(steps.produceSingle!.writesPerRecord).toBeGreaterThanOrEqual(1);
      expect(steps.produceBatched!.writesPerRecord).toBeLessThan(1);
      expect(steps.consumeTrickle!.producerCpuUsPerRecord).toBeGreaterThan(0);
    }
    // The table of medians names every step of both clients.
    for (const step of STEPS) expect(stdout).toMatch(new RegExp(`\\| ${step} \\| platformatic \\|`));
  });

  it('refuses an unknown client or step with a usage error', async () => {
    for (const args of [['--clients', 'rdkafka'], ['--steps', 'consumeBacklog']]) {
      const { code, stderr } = await run(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^--(clients|steps): unknown/);
    }
  });
});
