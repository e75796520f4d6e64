// Settings of a service that consumes a topic (sequencer, delivery): merged into their schemas.
import { env } from '@parley/config';

export const consumerSettings = {
  /** A consumer with records waiting that finishes no batch for this long reports unhealthy and exits (its supervisor restarts it), in ms. */
  PARLEY_CONSUMER_STALL_MS: env.int(1_000, 3_600_000, 60_000),
};
