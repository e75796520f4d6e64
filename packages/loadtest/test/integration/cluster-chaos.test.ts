// The contract through the failovers of replicated infrastructure, checked the way
// `npm run chaos` checks it but smaller: a local replicated setup (three KRaft brokers with
// topics replicated 3 times and min.insync.replicas=2, a Redis Cluster of 3 masters + 3
// replicas, the services as separate processes), a steady 1:1 load and a steady group load, and
// one failover a third of the way in: a Kafka broker killed -9 (partition leaders move), and a
// Redis master killed -9 while its replica was cut off, the replica promoted behind it (the
// writes it never received are lost; the epoch rule must fence them: no position reused). The
// plain master kill (replica in sync) is the same failover without the loss: `npm run chaos`
// runs it (redis-master-kill), this suite keeps to the harder case to stay short.
// Every message must reach every receiver exactly once and in order, and every sender must get
// every ack:N.
import { runScenario, type ScenarioOutcome } from '../../src/chaos/run-chaos';
import { expectContractKept } from '../support/contract-kept';
import { FAILOVER_SCENARIOS } from '../../src/chaos/failover-scenarios';

const SCENARIO_TIMEOUT_MS = 480_000;

async function run(name: string): Promise<ScenarioOutcome> {
  const scenario = FAILOVER_SCENARIOS.find((s) => s.name === name)!;
  return runScenario(scenario, {
    connections: 60,
    rate: 30,
    durationSec: 20,
    groupSize: 6,
    drainMs: 60_000,
    outageMs: 4_000,
    sessionTimeoutMs: 10_000,
    log: process.env.PARLEY_TEST_CHAOS_LOG === '1' ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
}

describe('chaos on replicated Kafka and Redis Cluster: the contract through a failover, under 1:1 and group load', () => {
  it('keeps it when one of three Kafka brokers is killed (-9) and started again', async () => {
    expectContractKept(await run('kafka-broker-kill'));
  }, SCENARIO_TIMEOUT_MS);

  it('keeps it when a replica behind its master is promoted (writes lost): no position reused', async () => {
    expectContractKept(await run('redis-lost-writes'));
  }, SCENARIO_TIMEOUT_MS);
});
