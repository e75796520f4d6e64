// What a chaos scenario is: the processes it needs and the fault it injects, timed by the run.
import type { LocalCluster } from './local-cluster';

export interface Topology {
  readonly gateways: number;
  readonly sequencers: number;
  readonly deliveries: number;
  /** 3 Kafka brokers and a Redis Cluster (3 masters + 3 replicas) instead of one of each. */
  readonly replicated?: boolean;
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
  /** PARLEY_* settings of the scenario's gateways (over the run's). */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  /** Sending lasts at least this long (s), whatever --duration says: the fault must fit in it. */
  readonly minDurationSec?: number;
  /** How long the fault lasts from its start to its end, about (ms): it must end well before sending stops. */
  spanMs(timing: FaultTiming): number;
  /** Injects the fault and resolves when it is over. */
  run(cluster: LocalCluster, timing: FaultTiming, log: (line: string) => void): Promise<void>;
}
