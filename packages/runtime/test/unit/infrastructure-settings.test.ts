// The store check interval is a validated setting of every service (infrastructureSettings
// are part of each service's schema): milliseconds, 100 ms to 60 s, 1 s by default.
import { ConfigError, loadConfig } from '@parley/config';
import { infrastructureSettings } from '../../src/infrastructure-settings';

describe('PARLEY_STORE_CHECK_INTERVAL_MS', () => {
  it('defaults to one second and takes milliseconds', () => {
    expect(loadConfig(infrastructureSettings, {}).PARLEY_STORE_CHECK_INTERVAL_MS).toBe(1_000);
    expect(loadConfig(infrastructureSettings, { PARLEY_STORE_CHECK_INTERVAL_MS: '250' }).PARLEY_STORE_CHECK_INTERVAL_MS).toBe(250);
  });

  it.each(['50', '60001', 'soon', '1.5'])('refuses %s at start-up, naming the setting', (value) => {
    expect(() => loadConfig(infrastructureSettings, { PARLEY_STORE_CHECK_INTERVAL_MS: value })).toThrow(ConfigError);
    expect(() => loadConfig(infrastructureSettings, { PARLEY_STORE_CHECK_INTERVAL_MS: value })).toThrow(/PARLEY_STORE_CHECK_INTERVAL_MS/);
  });
});

describe('PARLEY_REDIS_URL', () => {
  it('takes one server or a Redis Cluster named by its seed nodes', () => {
    for (const url of ['redis://127.0.0.1:6379', 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001', 'redis+cluster://app:pw@redis-0:6379']) {
      expect(loadConfig(infrastructureSettings, { PARLEY_REDIS_URL: url }).PARLEY_REDIS_URL).toBe(url);
    }
  });

  it.each(['redis+cluster://127.0.0.1', 'redis+cluster://a:1,b', 'redis+cluster://'])('refuses the cluster URL %s at start-up', (url) => {
    expect(() => loadConfig(infrastructureSettings, { PARLEY_REDIS_URL: url })).toThrow(/PARLEY_REDIS_URL/);
  });
});

describe('PARLEY_KAFKA_PARTITIONS_CONCURRENCY', () => {
  it('is unset by default (the composition root then uses PARLEY_TOPIC_PARTITIONS) and takes a count', () => {
    expect(loadConfig(infrastructureSettings, {}).PARLEY_KAFKA_PARTITIONS_CONCURRENCY).toBeUndefined();
    expect(loadConfig(infrastructureSettings, { PARLEY_KAFKA_PARTITIONS_CONCURRENCY: '4' }).PARLEY_KAFKA_PARTITIONS_CONCURRENCY).toBe(4);
  });

  it.each(['0', '1001', 'all', '2.5'])('refuses %s at start-up, naming the setting', (value) => {
    expect(() => loadConfig(infrastructureSettings, { PARLEY_KAFKA_PARTITIONS_CONCURRENCY: value })).toThrow(/PARLEY_KAFKA_PARTITIONS_CONCURRENCY/);
  });
});

describe('PARLEY_KAFKA_HANDLE_WHILE_SETTLING', () => {
  it('is on by default and can be turned off', () => {
    expect(loadConfig(infrastructureSettings, {}).PARLEY_KAFKA_HANDLE_WHILE_SETTLING).toBe(true);
    expect(loadConfig(infrastructureSettings, { PARLEY_KAFKA_HANDLE_WHILE_SETTLING: 'false' }).PARLEY_KAFKA_HANDLE_WHILE_SETTLING).toBe(false);
  });

  it('refuses a value that is not a boolean at start-up, naming the setting', () => {
    expect(() => loadConfig(infrastructureSettings, { PARLEY_KAFKA_HANDLE_WHILE_SETTLING: 'sometimes' })).toThrow(/PARLEY_KAFKA_HANDLE_WHILE_SETTLING/);
  });
});

describe('PARLEY_KAFKA_PRODUCE_LINGER_MS', () => {
  it('defaults to 2 ms and takes a whole number of ms up to 1000 (0: a publish is sent at once)', () => {
    expect(loadConfig(infrastructureSettings, {}).PARLEY_KAFKA_PRODUCE_LINGER_MS).toBe(2);
    expect(loadConfig(infrastructureSettings, { PARLEY_KAFKA_PRODUCE_LINGER_MS: '0' }).PARLEY_KAFKA_PRODUCE_LINGER_MS).toBe(0);
    expect(loadConfig(infrastructureSettings, { PARLEY_KAFKA_PRODUCE_LINGER_MS: '5' }).PARLEY_KAFKA_PRODUCE_LINGER_MS).toBe(5);
  });

  it.each(['-1', '1001', '1.5', 'soon'])('refuses %s', (value) => {
    expect(() => loadConfig(infrastructureSettings, { PARLEY_KAFKA_PRODUCE_LINGER_MS: value })).toThrow(/PARLEY_KAFKA_PRODUCE_LINGER_MS/);
  });
});
