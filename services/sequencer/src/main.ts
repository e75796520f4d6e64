// Entry point of a sequencer process on Kafka and Redis.
import { createLogger, createRegistry, startAdminServer } from '@parley/observability';
import { redactConfig } from '@parley/config';
import { SystemClock } from '@parley/ports';
import { createInfrastructure } from '@parley/composition';
import { runMain } from '@parley/runtime';
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
  await sequencer.start();
  const admin = await startAdminServer(config.PARLEY_SEQUENCER_ADMIN_PORT, registry, () => sequencer.ready, () => sequencer.healthy);
  logger.info({ adminPort: admin.port }, 'sequencer ready');
  return {
    stop: async () => {
      await sequencer.stop();
      await admin.close();
      await infrastructure.close();
    },
  };
});
