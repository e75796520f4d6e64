// The producer's partitioner remembers each key's partition: it must place every record exactly
// where kafkajs' DefaultPartitioner (murmur2, as the Java client and MemoryBus) places it.
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { defaultPartitioner } from '../../src/kafka-client';

const metadata = (count: number, leaderless: readonly number[] = []): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: leaderless.includes(partitionId) ? -1 : 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

describe('defaultPartitioner', () => {
  it('places keyed records as kafkajs does, for every key and partition count, asked once or many times', () => {
    const ours = defaultPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const count of [12, 1, 7, 12, 3]) {
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 500; i++) {
          const key = i % 3 === 0 ? `d:user${i}|user${i + 1}` : `g:team-${i}`;
          const args = { topic: 'parley.send', partitionMetadata: metadata(count), message: { key, value: 'x' } };
          expect(ours(args)).toBe(theirs(args));
        }
      }
    }
  });

  it('keeps a partition given on the record and spreads keyless records over partitions with a leader', () => {
    const ours = defaultPartitioner();
    expect(ours({ topic: 't', partitionMetadata: metadata(12), message: { key: 'k', value: 'x', partition: 5 } })).toBe(5);
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) seen.add(ours({ topic: 't', partitionMetadata: metadata(4, [2]), message: { value: 'x' } }));
    expect([...seen].sort()).toEqual([0, 1, 3]);
  });
});
