// Metrics the sequencer records.
import { Counter, Histogram, Registry } from '@parley/observability';

export interface SequencerMetrics {
  readonly assigned: Counter<'result'>;
  readonly batchSeconds: Histogram<string>;
  readonly skipped: Counter<'reason'>;
  readonly answersRepeated: Counter<string>;
  readonly membershipRebuilds: Counter<string>;
}

export function sequencerMetrics(registry: Registry): SequencerMetrics {
  return {
    assigned: new Counter({
      name: 'parley_sequencer_messages_total',
      help: 'msg:R processed by the sequencer, by result (new, duplicate, out_of_order, client_seq_reused)',
      labelNames: ['result'],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'parley_sequencer_batch_seconds',
      help: 'Time to sequence, store and forward one bus batch',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    skipped: new Counter({
      name: 'parley_sequencer_skipped_records_total',
      help: 'Records on the send topic that could not be decoded or were not msg:R',
      labelNames: ['reason'],
      registers: [registry],
    }),
    answersRepeated: new Counter({
      name: 'parley_sequencer_answers_repeated_total',
      help: 'Gateway batches of msg:A published again because their first publish reached no subscriber',
      registers: [registry],
    }),
    membershipRebuilds: new Counter({
      name: 'parley_sequencer_membership_rebuilds_total',
      help: 'Rebuilds of the group membership store from the groups topic (after the store lost its data, or on a new store)',
      registers: [registry],
    }),
  };
}
