// Settings of a service that consumes a topic (sequencer, delivery): merged into their schemas.
import { env } from '@parley/config';

export const consumerSettings = {
  /** A consumer with records waiting that finishes no batch for this long reports unhealthy and exits (its supervisor restarts it), in ms. */
  PARLEY_CONSUMER_STALL_MS: env.int(1_000, 3_600_000, 60_000),
};

/** The settings every pipeline stage (sequencer, delivery) reads the same way. */
export interface StageSettings {
  readonly PARLEY_TOPIC_PREFIX: string;
  readonly PARLEY_CONSUMER_STALL_MS: number;
  readonly PARLEY_APP_EVENTS: boolean;
}

/** A stage's options from those settings: its topics' prefix, its stall bound, whether it publishes application events. */
export function stageOptionsFrom(config: StageSettings): { topicPrefix: string; stallMs: number; appEvents: boolean } {
  return { topicPrefix: config.PARLEY_TOPIC_PREFIX, stallMs: config.PARLEY_CONSUMER_STALL_MS, appEvents: config.PARLEY_APP_EVENTS };
}
