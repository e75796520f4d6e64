// The contract suite of every Redis-backed port on a real Redis Cluster (3 masters + 3
// replicas, started once for this file): the same adapters, selected by a redis+cluster:// URL.
import { waitFor, startRedisCluster, type RedisClusterHandle } from '@parley/testkit';
import {
  describeConversationIndexContract,
  describeDownlinkContract,
  describeInboxContract,
  describeMembershipContract,
  describePresenceContract,
  describeSeqStoreContract,
  describeStoreGenerationContract,
  describeTokenRevocationsContract,
} from '@parley/ports/testing';
import { RedisConversationIndex } from '../../src/conversation-index.redis';
import { RedisDownlink } from '../../src/downlink.redis';
import { RedisInbox } from '../../src/inbox.redis';
import { RedisMembership } from '../../src/membership.redis';
import { RedisMessageStore } from '../../src/message-store.redis';
import { RedisPresence } from '../../src/presence.redis';
import { closeRedisConnection, createRedisConnection, isCluster } from '../../src/redis-connection';
import { RedisSeqStore } from '../../src/seq-store.redis';
import { shardRanges } from '../../src/slots';
import { RECONNECT_SETTLE_MS, RedisStoreGeneration } from '../../src/store-generation.redis';
import { RedisTokenRevocations } from '../../src/token-revocations.redis';
import { connectTestRedis } from './redis-test-env';

let cluster: RedisClusterHandle;
const url = (): string => cluster.url;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

describeSeqStoreContract('redis cluster', async ({ clock, retention }) => {
  const test = await connectTestRedis('cl-seq-store', url());
  return {
    seqStore: new RedisSeqStore({ redis: test.redis, keys: test.keys, clock, retention }),
    messageStore: new RedisMessageStore({ redis: test.redis, keys: test.keys, clock, retention }),
    loseData: test.deleteKeys,
    close: test.close,
  };
});

describeInboxContract('redis cluster', async () => {
  const test = await connectTestRedis('cl-inbox', url());
  return { inbox: new RedisInbox({ redis: test.redis, keys: test.keys }), close: test.close };
});

describePresenceContract('redis cluster', async () => {
  const test = await connectTestRedis('cl-presence', url());
  return {
    presence: new RedisPresence({ redis: test.redis, keys: test.keys }),
    shortTtlMs: 300,
    letTimePass: (ms, condition, what) => waitFor(condition, { timeoutMs: ms + 5_000, intervalMs: 50, what }),
    close: test.close,
  };
});

describeConversationIndexContract('redis cluster', async () => {
  const test = await connectTestRedis('cl-conversation-index', url());
  return { index: new RedisConversationIndex({ redis: test.redis, keys: test.keys }), close: test.close };
});

describeMembershipContract('redis cluster', async () => {
  const test = await connectTestRedis('cl-membership', url());
  return {
    membership: new RedisMembership({ redis: test.redis, keys: test.keys }),
    close: test.close,
    lose: () => test.deleteKeys(),
  };
});

describeDownlinkContract('redis cluster', async () => {
  const test = await connectTestRedis('cl-downlink', url());
  const downlink = new RedisDownlink({ redis: test.redis, keys: test.keys });
  return {
    downlink,
    close: async () => {
      await downlink.close();
      await test.close();
    },
  };
});

describeStoreGenerationContract('redis cluster', async () => {
  const test = await connectTestRedis('cl-store-generation', url());
  const other = createRedisConnection(url(), { name: 'parley-test-cl-store-generation-2' });
  await new Promise<void>((resolve) => other.once('ready', () => resolve()));
  return {
    first: new RedisStoreGeneration({ redis: test.redis, keys: test.keys }),
    second: new RedisStoreGeneration({ redis: other, keys: test.keys }),
    // One shard's loss is a loss: only the last master's marker goes.
    lose: async () => {
      const ranges = shardRanges(test.redis);
      await test.redis.del(test.keys.storeGeneration(ranges[ranges.length - 1]!.first));
    },
    // The cluster client reports a reconnect once its burst of node connections settles.
    reconnect: async () => {
      const ready = new Promise<void>((resolve) => test.redis.once('ready', () => resolve()));
      test.redis.disconnect(true);
      await ready;
      await new Promise((resolve) => setTimeout(resolve, 10 * RECONNECT_SETTLE_MS));
    },
    close: async () => {
      await closeRedisConnection(other);
      await test.close();
    },
  };
});

describeTokenRevocationsContract('redis cluster', async () => {
  const test = await connectTestRedis('cl-token-revocations', url());
  const other = createRedisConnection(url(), { name: 'parley-test-cl-token-revocations-2' });
  await new Promise<void>((resolve) => other.once('ready', () => resolve()));
  return {
    writer: new RedisTokenRevocations({ redis: test.redis, keys: test.keys }),
    reader: new RedisTokenRevocations({ redis: other, keys: test.keys }),
    close: async () => {
      await closeRedisConnection(other);
      await test.close();
    },
  };
});

describe('Redis Cluster connection', () => {
  it('is selected by a redis+cluster:// URL and spreads the shard markers over every master', async () => {
    const test = await connectTestRedis('cl-markers', url());
    try {
      expect(isCluster(test.redis)).toBe(true);
      await new RedisStoreGeneration({ redis: test.redis, keys: test.keys }).read();
      const masters = (await cluster.topology()).filter((node) => node.role === 'master');
      expect(masters).toHaveLength(3);
      for (const master of masters) {
        const keys = await masterKeys(master.port, `${test.keys.prefix}store:generation:*`);
        expect(keys).toHaveLength(1);
      }
    } finally {
      await test.close();
    }
  });
});

async function masterKeys(port: number, pattern: string): Promise<string[]> {
  const node = createRedisConnection(`redis://127.0.0.1:${port}`, { name: 'parley-test-cl-scan' });
  try {
    if (isCluster(node)) throw new Error('expected one node');
    return await node.keys(pattern);
  } finally {
    await closeRedisConnection(node);
  }
}
