// Delivery's settings reach its options the same way in its own process and in the all-in-one
// server: every setting lands in its option, in the same unit, and the given parts are kept.
import { createLogger, createRegistry } from '@parley/observability';
import { createMemoryInfrastructure } from '@parley/composition';
import { FakeClock } from '@parley/ports';
import { deliveryOptionsFrom, loadDeliveryConfig } from '../../src';

describe('deliveryOptionsFrom', () => {
  it('maps each delivery setting onto its option', () => {
    const config = loadDeliveryConfig({
      PARLEY_TOPIC_PREFIX: 'acme',
      PARLEY_ACK_TIMEOUT_MS: '750',
      PARLEY_MAX_REDELIVERIES: '7',
      PARLEY_MAX_REDELIVERY_BACKOFF_MS: '9000',
      PARLEY_MAX_OFFLINE_PAGE: '50',
      PARLEY_CONSUMER_STALL_MS: '20000',
      PARLEY_APP_EVENTS: 'true',
    });
    const clock = new FakeClock();
    const infrastructure = createMemoryInfrastructure(clock);
    const registry = createRegistry();
    const logger = createLogger('test', 'silent');
    const options = deliveryOptionsFrom(config, { infrastructure, registry, logger, clock });
    expect(options).toEqual({
      topicPrefix: 'acme',
      redelivery: { ackTimeoutMs: 750, maxRedeliveries: 7, maxBackoffMs: 9000 },
      maxOfflinePage: 50,
      stallMs: 20_000,
      appEvents: true,
      infrastructure,
      registry,
      logger,
      clock,
    });
  });

  it('lets the caller add or override options (a test\'s fatal hook, a smaller re-push budget)', () => {
    const clock = new FakeClock();
    const onFatal = () => undefined;
    const options = deliveryOptionsFrom(loadDeliveryConfig({}), {
      infrastructure: createMemoryInfrastructure(clock),
      registry: createRegistry(),
      logger: createLogger('test', 'silent'),
      clock,
      onFatal,
      repushPerSecond: 5,
    });
    expect(options.onFatal).toBe(onFatal);
    expect(options.repushPerSecond).toBe(5);
    expect(options.redelivery).toEqual({ ackTimeoutMs: 5_000, maxRedeliveries: 3, maxBackoffMs: 30_000 });
  });
});
