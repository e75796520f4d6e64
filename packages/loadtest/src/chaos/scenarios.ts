// The faults `npm run chaos` injects, one per scenario: each names the processes it needs
// (so a second instance can take over) and runs its fault from start to end (the fault is
// over when the process is back, resumed, or the scale change is done).
import type { ChaosScenario, Topology } from './chaos-scenario';
import { FAILOVER_SCENARIOS } from './failover-scenarios';
import { sleep, whileFrozen } from './fault-steps';
import type { ServiceRole } from './local-cluster';

export type { ChaosScenario, FaultTiming, Topology } from './chaos-scenario';

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
      await whileFrozen((s) => cluster.signal(role, 0, s), () => sleep(t.sessionTimeoutMs + STOP_PAST_SESSION_MS));
    },
  };
}

/** SIGSTOP of the Kafka broker or redis-server for the outage, then SIGCONT: its data stays, its answers come late or never. */
function freezeStore(store: 'kafka' | 'redis', name: string, title: string, settleMs: number): ChaosScenario {
  return {
    name,
    title,
    topology: one,
    spanMs: (t) => t.outageMs + settleMs,
    async run(cluster, t) {
      await whileFrozen((s) => (store === 'kafka' ? cluster.signalKafka(s) : cluster.signalRedis(s)), () => sleep(t.outageMs));
    },
  };
}

/** A service's start until ready, about (ms), under load on a shared machine. */
const START_MS = 8_000;

export interface RollingRestartTiming {
  /** The gateways' PARLEY_DRAIN_DELAY_MS and PARLEY_DRAIN_WINDOW_MS. */
  readonly drainDelayMs: number;
  readonly drainWindowMs: number;
  /** Sending lasts at least this long (s): the restarts happen under load. */
  readonly minDurationSec: number;
}

/**
 * A rolling update of every service, one instance at a time, as Kubernetes does it with
 * maxSurge 0 (the harder case: one instance fewer during each step): each gateway gets
 * SIGTERM and drains (its clients move to the other gateway on 4007), exits by itself, and
 * its replacement (same id and port) is started and awaited until ready before the next one;
 * then each sequencer, then each delivery (SIGTERM: finish the batch in hand, commit, leave
 * the group; the other instance takes the partitions at once).
 */
export function rollingRestart(timing: RollingRestartTiming): ChaosScenario {
  const drainMs = timing.drainDelayMs + timing.drainWindowMs;
  return {
    name: 'rolling-restart',
    title: 'rolling restart of every gateway, then every sequencer, then every delivery, one by one with SIGTERM (the replacement ready before the next)',
    topology: { gateways: 2, sequencers: 2, deliveries: 2 },
    gatewayEnv: { PARLEY_DRAIN_DELAY_MS: String(timing.drainDelayMs), PARLEY_DRAIN_WINDOW_MS: String(timing.drainWindowMs) },
    minDurationSec: timing.minDurationSec,
    spanMs: () => 2 * (drainMs + START_MS) + 4 * (2_000 + START_MS),
    async run(cluster, _t, log) {
      for (const role of ['gateway', 'sequencer', 'delivery'] as const) {
        for (let index = 0; index < cluster.instances(role).length; index++) {
          const stopMs = await cluster.roll(role, index);
          log(`${role} ${index + 1} replaced (its graceful stop took ${(stopMs / 1000).toFixed(1)} s)`);
        }
      }
    },
  };
}

/** `npm run chaos`'s: 2 s for the endpoint removal, then 8 s of slices (Kubernetes' defaults are 5 s and 10 s), under 120 s of load. */
export const ROLLING_RESTART = rollingRestart({ drainDelayMs: 2_000, drainWindowMs: 8_000, minDurationSec: 120 });

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
  freezeStore('kafka', 'kafka-stop', 'SIGSTOP of the Kafka broker for the outage, then SIGCONT: every request in flight is answered late or never, and handled after its sender gave up and sent again', 5_000),
  freezeStore('redis', 'redis-stop', 'SIGSTOP of redis-server for the outage, then SIGCONT (its data kept): commands in flight wait or time out and are carried out late', 2_000),
  {
    name: 'redis-restart',
    title: 'redis-server restarted empty (every counter, inbox and presence gone)',
    topology: one,
    spanMs: () => 2_000,
    async run(cluster) {
      await cluster.restartRedisEmpty();
    },
  },
  {
    name: 'gateway-stop',
    title: 'SIGSTOP of one of two gateways for the outage (its clients find it silent and reconnect to the other), then SIGCONT: a zombie gateway that wakes up holding closed connections and stale presence',
    topology: { ...one, gateways: 2 },
    // A 3 s heartbeat: the frozen gateway's clients find it silent within 6 s (one interval
    // to their next ping, one more with no answer), well inside the outage.
    gatewayEnv: { PARLEY_HEARTBEAT_INTERVAL_MS: '3000' },
    spanMs: (t) => t.outageMs + 2_000,
    async run(cluster, t) {
      await whileFrozen((s) => cluster.signal('gateway', 0, s), () => sleep(t.outageMs));
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
  ROLLING_RESTART,
  ...FAILOVER_SCENARIOS,
];

export function scenariosNamed(names: readonly string[]): ChaosScenario[] {
  if (names.length === 0) return [...SCENARIOS];
  return names.map((name) => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    if (!scenario) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return scenario;
  });
}
