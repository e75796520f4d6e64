// Bus topic names and the keys records are partitioned by. docs/ARCHITECTURE.md
// explains the choices; every service takes its names from here.
import type { TopicSpec } from '@parley/ports';

export interface Topics {
  /** msg:R from gateways, keyed by conversation: the sequencer's input (one writer per conversation). */
  readonly send: string;
  /** Sequenced messages (by conversation) and ack/offline requests (by conversation or user): delivery's input. */
  readonly deliver: string;
  /**
   * Records a consumer could not handle on their own (poison), as consumed (same key and value),
   * with headers naming their source topic, partition, offset and the error. Nobody consumes it:
   * it is kept for people to inspect (and to replay once the cause is fixed).
   */
  readonly deadLetter: string;
  /**
   * Compacted: each group's latest full state (GroupSnapshot), keyed by conversation, written
   * by the sequencer after every create or change. The member sets are rebuilt from it when
   * the store lost its data.
   */
  readonly groups: string;
}

export function topicNames(prefix: string): Topics {
  return { send: `${prefix}.send`, deliver: `${prefix}.deliver`, deadLetter: `${prefix}.dead-letter`, groups: `${prefix}.groups` };
}

export function topicSpecs(topics: Topics, partitions: number): TopicSpec[] {
  return [
    { name: topics.send, partitions },
    { name: topics.deliver, partitions },
    { name: topics.deadLetter, partitions },
    { name: topics.groups, partitions, compacted: true },
  ];
}

/** Consumer groups: every sequencer instance joins one group, every delivery instance another. */
export function consumerGroups(prefix: string): { sequencer: string; delivery: string } {
  return { sequencer: `${prefix}.sequencer`, delivery: `${prefix}.delivery` };
}
