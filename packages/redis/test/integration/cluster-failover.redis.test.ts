// Failovers of a real Redis Cluster (3 masters + 3 replicas, started once for this file): a
// master killed -9 (its replica takes over), and a replica promoted while it was behind its
// master (the writes it never received are lost). No seq is ever given out twice.
import { asConversationId, asDeviceId, asGatewayId, asMsgId, asUserId, parley, type DownlinkBatch } from '@parley/protocol';
import { FakeClock, senderDevice, type Assignment } from '@parley/ports';
import { respCommand, startRedisCluster, waitFor, type RedisClusterHandle, type RedisClusterNodeInfo } from '@parley/testkit';
import { RedisDownlink } from '../../src/downlink.redis';
import { RedisMessageStore } from '../../src/message-store.redis';
import { ReplicaAckError, RedisSeqStore } from '../../src/seq-store.redis';
import { slotOf } from '../../src/slots';
import { RedisStoreGeneration } from '../../src/store-generation.redis';
import { connectTestRedis, type TestRedis } from './redis-test-env';

let cluster: RedisClusterHandle;
let test: TestRedis;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1_000 });
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});
beforeEach(async () => {
  test = await connectTestRedis('cl-failover', cluster.url);
});
afterEach(async () => {
  await test.close();
});

const clock = new FakeClock();
const request = (conversation: string, msgId: string) => ({
  conversation: asConversationId(conversation),
  msgId: asMsgId(msgId),
  sender: senderDevice(asUserId('alice'), asDeviceId('phone')),
  clientSeq: 0,
  message: parley.v1.StoredMessage.create({ conversation, msgId, payload: Buffer.from(msgId), serverTimeMs: clock.now() }),
});

/** The master serving `slot` and its replica, as the cluster sees them now. */
async function shardOf(slot: number): Promise<{ master: RedisClusterNodeInfo; replica: RedisClusterNodeInfo }> {
  const nodes = await cluster.topology();
  const master = nodes.find((node) => node.role === 'master' && node.slots.some(([first, last]) => slot >= first && slot <= last));
  const replica = nodes.find((node) => node.role === 'replica' && node.masterId === master?.id);
  if (!master || !replica) throw new Error(`slot ${slot} has no master with a replica: ${JSON.stringify(nodes)}`);
  return { master, replica };
}

/** Retries `attempt` until it succeeds (a failover in progress refuses commands for a while). */
async function eventually<T>(attempt: () => Promise<T>, what: string): Promise<T> {
  let result: T | undefined;
  await waitFor(
    async () => {
      try {
        result = await attempt();
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 60_000, intervalMs: 100, what },
  );
  return result as T;
}

const positions = (assignments: Assignment[]) => assignments.map((a) => (a.outcome === 'new' || a.outcome === 'duplicate' ? `${a.outcome}@${a.seq}` : a.outcome));

it('keeps every adapter working through the kill -9 of a master: its replica takes over, the downlink follows it, the shard marker survives', async () => {
  const conversation = 'd:failover:one';
  const keys = test.keys;
  const slot = slotOf(keys.conversationCounter(asConversationId(conversation)));
  const { master, replica } = await shardOf(slot);
  const seqStore = new RedisSeqStore({ redis: test.redis, keys, clock, replicaAcks: 1 });
  const messageStore = new RedisMessageStore({ redis: test.redis, keys, clock });
  const generation = new RedisStoreGeneration({ redis: test.redis, keys });
  const downlink = new RedisDownlink({ redis: test.redis, keys, onError: () => undefined });
  // A gateway whose channel lives on the shard that fails.
  let gatewayNumber = 0;
  while (slotOf(keys.downlinkChannel(asGatewayId(`gw-${gatewayNumber}`))) < master.slots[0]![0] || slotOf(keys.downlinkChannel(asGatewayId(`gw-${gatewayNumber}`))) > master.slots[0]![1]) gatewayNumber++;
  const gateway = asGatewayId(`gw-${gatewayNumber}`);
  const received: DownlinkBatch[] = [];
  const subscription = await downlink.subscribe(gateway, (batch) => received.push(batch));
  try {
    expect(positions(await seqStore.assign([request(conversation, 'm1'), request(conversation, 'm2')]))).toEqual(['new@1', 'new@2']);
    const before = await generation.read();

    await cluster.node(master.port).kill();
    const killedAt = Date.now();
    // The shard is back once the replica took over and the old master rejoined as its replica
    // (WAIT needs one replica to acknowledge).
    await waitFor(async () => (await cluster.topology([replica.port])).find((node) => node.port === replica.port)?.role === 'master', {
      timeoutMs: 60_000,
      what: 'the replica to take over',
    });
    await cluster.node(master.port).start();
    expect(positions(await eventually(() => seqStore.assign([request(conversation, 'm3')]), 'an assignment after the failover'))).toEqual(['new@3']);
    process.stderr.write(`[cluster-failover] master ${master.port} killed: assignments again after ${Date.now() - killedAt} ms\n`);

    const range = await messageStore.range(asConversationId(conversation), 0, 10);
    expect(range.messages.map((m) => [m.msgId, Number(m.position?.seq)])).toEqual([['m1', 1], ['m2', 2], ['m3', 3]]);
    expect(await generation.read()).toBe(before);
    await waitFor(
      async () => {
        await downlink.publish(new Map([[gateway, { pushes: [] }]]));
        return received.length > 0;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the downlink subscription to follow its slot to the new master' },
    );
  } finally {
    await subscription.close();
    await cluster.waitHealthy(60_000);
  }
});

it('never gives a seq out twice when a replica that fell behind is promoted: assignments its replica has not acknowledged are refused', async () => {
  const conversation = 'd:failover:two';
  const keys = test.keys;
  const slot = slotOf(keys.conversationCounter(asConversationId(conversation)));
  const { master, replica } = await shardOf(slot);
  const fenced = new RedisSeqStore({ redis: test.redis, keys, clock, replicaAcks: 1, replicaAckTimeoutMs: 300 });
  const unfenced = new RedisSeqStore({ redis: test.redis, keys, clock });
  /** Every (seq -> msgId) anyone was told, per store. */
  const told = { fenced: new Map<number, string[]>(), unfenced: new Map<number, string[]>() };
  const tell = (store: 'fenced' | 'unfenced', msgIds: string[], assignments: Assignment[]) =>
    assignments.forEach((a, i) => {
      if (a.outcome !== 'new' && a.outcome !== 'duplicate') return;
      const ids = told[store].get(a.seq) ?? [];
      if (!ids.includes(msgIds[i]!)) ids.push(msgIds[i]!);
      told[store].set(a.seq, ids);
    });
  const assign = async (store: 'fenced' | 'unfenced', ...msgIds: string[]) => {
    const assignments = await (store === 'fenced' ? fenced : unfenced).assign(msgIds.map((id) => request(conversation, id)));
    tell(store, msgIds, assignments);
    return assignments;
  };

  expect(positions(await assign('fenced', 'm1', 'm2'))).toEqual(['new@1', 'new@2']);
  const replicaNode = cluster.node(replica.port);
  replicaNode.signal('SIGSTOP');
  try {
    // The replication link breaks (as in a network partition) and the stopped replica cannot
    // reconnect: from now on writes reach the master only. (Stopping the replica alone is not
    // enough: what the master sent waits in the replica's socket buffer until it resumes.)
    await respCommand(master.port, ['CLIENT', 'KILL', 'TYPE', 'replica'], { timeoutMs: 5_000 });
    // m3 reaches the master only, and is refused.
    await expect(assign('fenced', 'm3')).rejects.toBeInstanceOf(ReplicaAckError);
    // Without the fence, x4 is told seq 4, which the replica never receives.
    expect(positions(await assign('unfenced', 'x4'))).toEqual(['new@4']);
    await cluster.node(master.port).kill();
  } finally {
    replicaNode.signal('SIGCONT');
  }
  await respCommand(replica.port, ['CLUSTER', 'FAILOVER', 'TAKEOVER'], { timeoutMs: 5_000 });
  await waitFor(async () => (await cluster.topology([replica.port])).find((node) => node.port === replica.port)?.role === 'master', {
    timeoutMs: 60_000,
    what: 'the replica to take over',
  });
  // The old master comes back empty and becomes the new master's replica.
  await cluster.node(master.port).start();
  await cluster.waitHealthy(60_000);

  // The promoted replica's counter is at 2: m3's and x4's writes are gone.
  expect(positions(await eventually(() => assign('fenced', 'y3', 'y4'), 'assignments after the takeover'))).toEqual(['new@3', 'new@4']);
  const twice = (store: 'fenced' | 'unfenced') =>
    [...told[store].entries()].filter(([seq, ids]) => ids.length > 1 || (store === 'unfenced' && told.fenced.get(seq)?.some((id) => !ids.includes(id)))).map(([seq]) => seq);
  expect(twice('fenced')).toEqual([]);
  // The hazard the fence closes: seq 4 was told as x4 and now as y4.
  expect(twice('unfenced')).toEqual([4]);
});
