// Which adapters a process gets from its configuration: neither Kafka nor Redis = the embedded
// in-memory set with parley's topics created; a service run alone refuses that; one without the
// other is a configuration error naming the missing setting (never a half-real process).
import { ConfigError, loadConfig } from '@parley/config';
import { createLogger, createRegistry } from '@parley/observability';
import { FakeClock } from '@parley/ports';
import { infrastructureSettings, topicNames } from '@parley/runtime';
import { createInfrastructure } from '../../src';

const deps = () => ({ clock: new FakeClock(), logger: createLogger('test', 'silent'), registry: createRegistry(), clientId: 'test' });
const config = (env: Record<string, string>) => loadConfig(infrastructureSettings, env);

describe('createInfrastructure', () => {
  it('builds the embedded in-memory set, with the topics, when neither Kafka nor Redis is set', async () => {
    const infrastructure = await createInfrastructure(config({ PARLEY_TOPIC_PREFIX: 'acme' }), deps());
    try {
      expect(infrastructure.mode).toBe('embedded');
      // The topics exist: a record published to the send topic is handed to a subscriber.
      const seen: string[] = [];
      await infrastructure.bus.subscribe({ topic: topicNames('acme').send, group: 'g', handler: async (batch) => void seen.push(...batch.records.map((r) => r.key)), onFatal: () => undefined });
      await infrastructure.bus.publish(topicNames('acme').send, [{ key: 'c1', value: new Uint8Array([1]) }]);
      for (let i = 0; i < 50 && seen.length === 0; i += 1) await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual(['c1']);
    } finally {
      await infrastructure.close();
    }
  });

  it('refuses the embedded set to a service run alone', async () => {
    await expect(createInfrastructure(config({}), { ...deps(), requireReal: true })).rejects.toThrow(ConfigError);
    await expect(createInfrastructure(config({}), { ...deps(), requireReal: true })).rejects.toThrow(/PARLEY_KAFKA_BROKERS and PARLEY_REDIS_URL/);
  });

  it.each([
    [{ PARLEY_KAFKA_BROKERS: '127.0.0.1:9092' }, /PARLEY_REDIS_URL: required together with PARLEY_KAFKA_BROKERS/],
    [{ PARLEY_REDIS_URL: 'redis://127.0.0.1:6379' }, /PARLEY_KAFKA_BROKERS: required together with PARLEY_REDIS_URL/],
  ])('names the missing half when only one of Kafka and Redis is set (%j)', async (env, message) => {
    await expect(createInfrastructure(config(env), deps())).rejects.toThrow(ConfigError);
    await expect(createInfrastructure(config(env), deps())).rejects.toThrow(message);
  });
});
