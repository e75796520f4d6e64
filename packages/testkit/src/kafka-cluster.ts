// Owns running a throwaway multi-broker Kafka (KRaft, every node broker + controller) on
// loopback for tests and the local clustered setup: replicated topics by default
// (replication factor = brokers, min.insync.replicas = brokers - 1), small heaps.
import { freePort } from './free-port';
import { kafkaLibsDir, newKafkaClusterId, prepareKafkaNode, type KafkaNode } from './kafka-broker';

export interface KafkaClusterOptions {
  /** Brokers (each also a KRaft controller voter). Default 3. */
  brokers?: number;
  /** Java heap of each broker in MiB. Default 256. */
  heapMb?: number;
  /** Directory holding the broker jars; default as for startKafkaBroker. */
  libsDir?: string;
  /** How long to wait for every broker to serve requests. Default 180000. */
  startTimeoutMs?: number;
  /** Extra/overriding server.properties entries for every broker. */
  properties?: Record<string, string | number | boolean>;
}

export interface KafkaClusterHandle {
  /** `127.0.0.1:<port>` of every broker, ready for kafkajs' `brokers` (a client needs only one that is up). */
  readonly brokers: string[];
  /** The brokers, in node id order (node id = index + 1). */
  readonly nodes: readonly KafkaNode[];
  /** Stops every broker and removes their data. Idempotent; never rejects. */
  stop(): Promise<void>;
}

/**
 * Starts every broker at once (a KRaft quorum needs a majority of its voters to elect a
 * controller, so they cannot start one by one) and resolves once each serves Metadata listing
 * itself and the group coordinator is available. Topics created without a replication factor
 * get one replica per broker and `min.insync.replicas` = brokers - 1, so an `acks=all` producer
 * keeps writing with one broker down and never with only one replica in sync. Anything started
 * is stopped again if the cluster does not come up.
 */
export async function startKafkaCluster(opts: KafkaClusterOptions = {}): Promise<KafkaClusterHandle> {
  const count = opts.brokers ?? 3;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`brokers must be >= 1, got ${count}`);
  const libs = opts.libsDir ?? (await kafkaLibsDir());
  const ports = new Set<number>();
  while (ports.size < 2 * count) ports.add(await freePort());
  const [brokerPorts, controllerPorts] = [[...ports].slice(0, count), [...ports].slice(count)];
  const voters = controllerPorts.map((port, index) => `${index + 1}@127.0.0.1:${port}`).join(',');
  const clusterId = newKafkaClusterId();
  const replicas = Math.min(3, count);
  const properties = {
    'default.replication.factor': replicas,
    'min.insync.replicas': Math.max(1, replicas - 1),
    'offsets.topic.replication.factor': replicas,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': Math.max(1, replicas - 1),
    'unclean.leader.election.enable': false,
    // A killed broker's partitions get new leaders once the controller stops hearing from it.
    'broker.session.timeout.ms': 3000,
    ...opts.properties,
  };
  const nodes: KafkaNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(nodes.map((node) => node.stop()));
  };
  try {
    for (let index = 0; index < count; index++) {
      nodes.push(
        await prepareKafkaNode({
          libs,
          nodeId: index + 1,
          port: brokerPorts[index]!,
          controllerPort: controllerPorts[index]!,
          voters,
          clusterId,
          heapMb: opts.heapMb ?? 256,
          startTimeoutMs: opts.startTimeoutMs ?? 180_000,
          stopGraceMs: 5000,
          warmGroupCoordinator: true,
          properties,
        }),
      );
    }
    const started = await Promise.allSettled(nodes.map((node) => node.start()));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    await stop();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    brokers: brokerPorts.map((port) => `127.0.0.1:${port}`),
    nodes,
    stop: () => (stopping ??= stop()),
  };
}
