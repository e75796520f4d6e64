// Bus topic names and the keys records are partitioned by. docs/ARCHITECTURE.md
// explains the choices; every service takes its names from here.
import type { TopicSpec } from '@parley/ports';

export interface Topics {
  /** msg:R from gateways, keyed by conversation: the sequencer's input (one writer per conversation). */
  readonly send: string;
  /** Sequenced messages (by conversation) and ack/offline requests (by conversation or user): delivery's input. */
  readonly deliver: string;
}

export function topicNames(prefix: string): Topics {
  return { send: `${prefix}.send`, deliver: `${prefix}.deliver` };
}

export function topicSpecs(topics: Topics, partitions: number): TopicSpec[] {
  return [
    { name: topics.send, partitions },
    { name: topics.deliver, partitions },
  ];
}

/** Consumer groups: every sequencer instance joins one group, every delivery instance another. */
export function consumerGroups(prefix: string): { sequencer: string; delivery: string } {
  return { sequencer: `${prefix}.sequencer`, delivery: `${prefix}.delivery` };
}
