// The faults `npm run chaos` injects, one per scenario: each names the processes it needs
// (so a second instance can take over) and runs its fault from start to end (the fault is
// over when the process is back, resumed, or the scale change is done).
import type { LocalCluster, ServiceRole } from './local-cluster';

export interface Topology {
  readonly gateways: number;
  readonly sequencers: number;
  readonly deliveries: number;
}

export interface FaultTiming {
  /** How long a killed process stays down, the broker included (ms). */
  readonly outageMs: number;
  /** Kafka consumer session timeout of the services (ms): a SIGSTOP lasts longer, so the group moves its partitions. */
  readonly sessionTimeoutMs: number;
}

export interface ChaosScenario {
  readonly name: string;
  readonly title: string;
  readonly topology: Topology;
  /** How long the fault lasts from its start to its end, about (ms): it must end well before sending stops. */
  spanMs(timing: FaultTiming): number;
  /** Injects the fault and resolves when it is over. */
  run(cluster: LocalCluster, timing: FaultTiming, log: (line: string) => void): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const one: Topology = { gateways: 1, sequencers: 1, deliveries: 1 };
const TOPOLOGY_KEY: Readonly<Record<ServiceRole, keyof Topology>> = { gateway: 'gateways', sequencer: 'sequencers', delivery: 'deliveries' };

/** kill -9 of the first of two instances of `role`, started again after the outage (the other takes over meanwhile). */
function killAndRestart(role: ServiceRole, title: string): ChaosScenario {
  return {
    name: `${role}-kill`,
    title,
    topology: { ...one, [TOPOLOGY_KEY[role]]: 2 },
    spanMs: (t) => t.outageMs,
    async run(cluster, t) {
      await cluster.kill(role, 0);
      await sleep(t.outageMs);
      await cluster.restart(role, 0);
    },
  };
}
/** A SIGSTOP this much past the session timeout: the group has moved the partitions and the second instance works them. */
const STOP_PAST_SESSION_MS = 10_000;

/** SIGSTOP of the first of two instances of `role` past the session timeout (the group moves its partitions), then SIGCONT: a zombie. */
function stopPastSessionTimeout(role: ServiceRole, title: string): ChaosScenario {
  return {
    name: `${role}-stop`,
    title,
    topology: { ...one, [TOPOLOGY_KEY[role]]: 2 },
    spanMs: (t) => t.sessionTimeoutMs + STOP_PAST_SESSION_MS,
    async run(cluster, t) {
      cluster.signal(role, 0, 'SIGSTOP');
      await sleep(t.sessionTimeoutMs + STOP_PAST_SESSION_MS);
      cluster.signal(role, 0, 'SIGCONT');
    },
  };
}

export const SCENARIOS: readonly ChaosScenario[] = [
  killAndRestart('gateway', 'kill -9 of one of two gateways (its clients reconnect to the other), restarted after the outage'),
  killAndRestart('sequencer', 'kill -9 of one of two sequencers, restarted after the outage'),
  killAndRestart('delivery', 'kill -9 of one of two deliveries, restarted after the outage'),
  {
    name: 'kafka-kill',
    title: 'kill -9 of the Kafka broker, started again with its data after the outage',
    topology: one,
    spanMs: (t) => t.outageMs + 10_000,
    async run(cluster, t) {
      await cluster.killKafka();
      await sleep(t.outageMs);
      await cluster.startKafka();
    },
  },
  {
    name: 'redis-restart',
    title: 'redis-server restarted empty (every counter, inbox and presence gone)',
    topology: one,
    spanMs: () => 2_000,
    async run(cluster) {
      await cluster.restartRedisEmpty();
    },
  },
  stopPastSessionTimeout('sequencer', 'SIGSTOP of one of two sequencers past the Kafka session timeout (the other takes over), then SIGCONT (a zombie)'),
  stopPastSessionTimeout('delivery', 'SIGSTOP of one of two deliveries past the Kafka session timeout (the other takes over), then SIGCONT (a zombie)'),
  {
    name: 'delivery-scale',
    title: 'delivery scaled 1 -> 3 -> 1 under load (two started, then stopped with SIGTERM)',
    topology: one,
    spanMs: (t) => t.outageMs + 10_000,
    async run(cluster, t, log) {
      await cluster.add('delivery');
      await cluster.add('delivery');
      log(`deliveries running: ${cluster.running('delivery')}`);
      await sleep(t.outageMs);
      await Promise.all([cluster.retire('delivery', 2), cluster.retire('delivery', 1)]);
      log(`deliveries running: ${cluster.running('delivery')}`);
    },
  },
];

export function scenariosNamed(names: readonly string[]): ChaosScenario[] {
  if (names.length === 0) return [...SCENARIOS];
  return names.map((name) => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    if (!scenario) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return scenario;
  });
}
