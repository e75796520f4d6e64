// How the sequencer's configuration maps onto its options: one mapping for the sequencer's own
// process (main.ts) and the all-in-one server.
import { stageOptionsFrom } from '@parley/runtime';
import type { SequencerConfig } from './sequencer-config';
import type { SequencerOptions } from './sequencer';

/** The settings the sequencer's options are made of (in its schema and the all-in-one server's). */
export type SequencerOptionSettings = Pick<SequencerConfig, 'PARLEY_TOPIC_PREFIX' | 'PARLEY_MAX_GROUP_MEMBERS' | 'PARLEY_CONSUMER_STALL_MS' | 'PARLEY_APP_EVENTS'>;

export function sequencerOptionsFrom(
  config: SequencerOptionSettings,
  deps: Pick<SequencerOptions, 'infrastructure' | 'registry' | 'logger' | 'clock'> & Partial<SequencerOptions>,
): SequencerOptions {
  return {
    ...stageOptionsFrom(config),
    maxGroupMembers: config.PARLEY_MAX_GROUP_MEMBERS,
    ...deps,
  };
}
