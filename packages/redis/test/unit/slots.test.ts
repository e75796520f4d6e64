// Slots and the Redis Cluster URL: pure logic, no server.
import calculateSlot from 'cluster-key-slot';
import { RedisKeys } from '../../src/keys';
import { clusterSeedsOf } from '../../src/redis-connection';
import { SLOT_COUNT, slotOf, slotTag } from '../../src/slots';

describe('slotTag', () => {
  it('gives every slot a tag that hashes to it, all different', () => {
    const seen = new Set<string>();
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const tag = slotTag(slot);
      expect(calculateSlot(tag)).toBe(slot);
      seen.add(tag);
    }
    expect(seen.size).toBe(SLOT_COUNT);
    expect(() => slotTag(SLOT_COUNT)).toThrow(RangeError);
  });

  it("puts each slot's groups-restored mark and each shard marker on the slot it names", () => {
    const keys = new RedisKeys('p:');
    for (const slot of [0, 1, 5460, 5461, 10923, 16383]) {
      expect(slotOf(keys.groupsRestored(slot))).toBe(slot);
      expect(slotOf(keys.storeGeneration(slot))).toBe(slot);
    }
  });
});

describe('clusterSeedsOf', () => {
  it('reads the seed nodes and credentials of a redis+cluster:// URL', () => {
    expect(clusterSeedsOf('redis+cluster://127.0.0.1:7000,redis-b:7001/')).toEqual({
      seeds: [
        { host: '127.0.0.1', port: 7000 },
        { host: 'redis-b', port: 7001 },
      ],
      username: undefined,
      password: undefined,
    });
    expect(clusterSeedsOf('REDIS+CLUSTER://app:s%40cret@h:1')).toEqual({ seeds: [{ host: 'h', port: 1 }], username: 'app', password: 's@cret' });
  });

  it('leaves other URLs to a one-server connection and refuses a seed without its port', () => {
    expect(clusterSeedsOf('redis://127.0.0.1:6379')).toBeUndefined();
    expect(() => clusterSeedsOf('redis+cluster://127.0.0.1')).toThrow(/host:port/);
    expect(() => clusterSeedsOf('redis+cluster://a:1,b:70000')).toThrow(/host:port/);
  });
});
