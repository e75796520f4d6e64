// The failovers of replicated Kafka and Redis Cluster that `npm run chaos` injects (on
// LocalCluster's replicated setup: 3 brokers, 3 Redis masters + 3 replicas): a broker killed
// (partition leaders move), a Redis master killed (its replica is promoted), and a replica
// promoted while it was behind its master (the writes it never received are lost).
import { respCommand, waitFor, type RedisClusterNodeInfo } from '@parley/testkit';
import type { LocalCluster } from './local-cluster';
import type { ChaosScenario, Topology } from './chaos-scenario';
import { sleep, whileFrozen } from './fault-steps';

const replicated: Topology = { gateways: 1, sequencers: 1, deliveries: 1, replicated: true };
/** How long a replica is cut off from its master before the master is killed (ms): writes meanwhile reach the master only. */
const CUT_OFF_MS = 2_000;

/** The master serving the most slots' first range, and its replica. */
async function aShard(cluster: LocalCluster): Promise<{ master: RedisClusterNodeInfo; replica: RedisClusterNodeInfo }> {
  const nodes = await cluster.redisCluster.topology();
  for (const master of nodes.filter((node) => node.role === 'master' && node.slots.length > 0)) {
    const replica = nodes.find((node) => node.role === 'replica' && node.healthy && node.masterId === master.id);
    if (replica) return { master, replica };
  }
  throw new Error(`no Redis master with a healthy replica: ${JSON.stringify(nodes)}`);
}

async function promoted(cluster: LocalCluster, port: number): Promise<void> {
  await waitFor(async () => (await cluster.redisCluster.topology([port])).find((node) => node.port === port)?.role === 'master', {
    timeoutMs: 60_000,
    intervalMs: 100,
    what: `redis node ${port} to become a master`,
  });
}

export const FAILOVER_SCENARIOS: readonly ChaosScenario[] = [
  {
    name: 'kafka-broker-kill',
    title: 'kill -9 of one of three Kafka brokers (partition leaders move to the others), started again with its data after the outage',
    topology: replicated,
    spanMs: (t) => t.outageMs + 10_000,
    async run(cluster, t, log) {
      const broker = cluster.kafkaCluster.nodes[0]!;
      log(`SIGKILL Kafka broker 1 of 3 (pid ${broker.currentPid})`);
      await broker.kill();
      await sleep(t.outageMs);
      log('starting Kafka broker 1 again (same data)');
      await broker.start();
      log('Kafka broker 1 is back');
    },
  },
  {
    name: 'redis-master-kill',
    title: 'kill -9 of one of three Redis masters (its replica is promoted), started again after the outage (it rejoins as a replica)',
    topology: replicated,
    spanMs: (t) => t.outageMs + 5_000,
    async run(cluster, t, log) {
      const { master, replica } = await aShard(cluster);
      const node = cluster.redisCluster.node(master.port);
      log(`SIGKILL Redis master ${master.port} (pid ${node.pid}; replica ${replica.port})`);
      await node.kill();
      await promoted(cluster, replica.port);
      log(`replica ${replica.port} promoted`);
      await sleep(t.outageMs);
      await node.start();
      await cluster.redisCluster.waitHealthy(60_000);
      log(`Redis node ${master.port} is back, a replica of ${replica.port}`);
    },
  },
  {
    name: 'redis-lost-writes',
    title: 'a Redis replica cut off from its master (link dropped, replica frozen), the master killed -9 and the replica promoted by TAKEOVER: the writes it never received are lost',
    topology: replicated,
    spanMs: (t) => CUT_OFF_MS + t.outageMs + 5_000,
    async run(cluster, t, log) {
      const { master, replica } = await aShard(cluster);
      const masterNode = cluster.redisCluster.node(master.port);
      const replicaNode = cluster.redisCluster.node(replica.port);
      log(`SIGSTOP Redis replica ${replica.port}, its link to master ${master.port} dropped: writes reach the master only`);
      await whileFrozen(
        (s) => replicaNode.signal(s),
        async () => {
          await respCommand(master.port, ['CLIENT', 'KILL', 'TYPE', 'replica'], { timeoutMs: 5_000 });
          await sleep(CUT_OFF_MS);
          log(`SIGKILL Redis master ${master.port}: what it alone held is gone`);
          await masterNode.kill();
        },
      );
      await respCommand(replica.port, ['CLUSTER', 'FAILOVER', 'TAKEOVER'], { timeoutMs: 5_000 });
      await promoted(cluster, replica.port);
      log(`replica ${replica.port} promoted (TAKEOVER), behind its old master`);
      await sleep(t.outageMs);
      await masterNode.start();
      await cluster.redisCluster.waitHealthy(60_000);
      log(`Redis node ${master.port} is back (empty), a replica of ${replica.port}`);
    },
  },
];
