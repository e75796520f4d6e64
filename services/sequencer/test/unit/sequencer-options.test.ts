// The sequencer's settings reach its options the same way in its own process and in the
// all-in-one server: each setting in its option, the given parts kept.
import { createMemoryInfrastructure } from '@parley/composition';
import { createLogger, createRegistry } from '@parley/observability';
import { FakeClock } from '@parley/ports';
import { loadSequencerConfig, sequencerOptionsFrom } from '../../src';

describe('sequencerOptionsFrom', () => {
  it('maps each sequencer setting onto its option', () => {
    const config = loadSequencerConfig({
      PARLEY_TOPIC_PREFIX: 'acme',
      PARLEY_MAX_GROUP_MEMBERS: '40',
      PARLEY_CONSUMER_STALL_MS: '20000',
      PARLEY_APP_EVENTS: 'false',
    });
    const clock = new FakeClock();
    const infrastructure = createMemoryInfrastructure(clock);
    const registry = createRegistry();
    const logger = createLogger('test', 'silent');
    expect(sequencerOptionsFrom(config, { infrastructure, registry, logger, clock })).toEqual({
      topicPrefix: 'acme',
      maxGroupMembers: 40,
      stallMs: 20_000,
      appEvents: false,
      infrastructure,
      registry,
      logger,
      clock,
    });
  });

  it('lets the caller add options (a test\'s fatal hook)', () => {
    const clock = new FakeClock();
    const onFatal = () => undefined;
    const options = sequencerOptionsFrom(loadSequencerConfig({}), {
      infrastructure: createMemoryInfrastructure(clock),
      registry: createRegistry(),
      logger: createLogger('test', 'silent'),
      clock,
      onFatal,
    });
    expect(options.onFatal).toBe(onFatal);
    expect(options.topicPrefix).toBe('parley');
  });
});
