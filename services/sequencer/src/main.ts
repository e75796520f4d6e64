// Entry point of a sequencer process on Kafka and Redis.
import { createLogger, createRegistry } from '@parley/observability';
import { redactConfig } from '@parley/config';
import { SystemClock } from '@parley/ports';
import { createInfrastructure } from '@parley/composition';
import { runMain, startStageProcess } from '@parley/runtime';
import { loadSequencerConfig } from './sequencer-config';
import { Sequencer } from './sequencer';
import { sequencerOptionsFrom } from './sequencer-options';

const logger = createLogger('sequencer');

void runMain('sequencer', logger, async () => {
  const config = loadSequencerConfig(process.env);
  logger.info({ config: redactConfig(config) }, 'sequencer starting');
  const clock = new SystemClock();
  const registry = createRegistry();
  const infrastructure = await createInfrastructure(config, { clock, logger, registry, clientId: 'parley-sequencer', requireReal: true });
  const sequencer = new Sequencer(sequencerOptionsFrom(config, { infrastructure, registry, logger, clock }));
  return startStageProcess('sequencer', { service: sequencer, adminPort: config.PARLEY_SEQUENCER_ADMIN_PORT, registry, logger, infrastructure });
});
