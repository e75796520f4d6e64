import { ConfigError, env, loadConfig, redactConfig } from '../../src';

const shape = {
  PARLEY_PORT: env.int(0, 65535, 8080),
  PARLEY_ORIGINS: env.list('*'),
  PARLEY_JWT_SECRET: env.optionalString(),
};

describe('start-up configuration', () => {
  it('fills defaults and parses values', () => {
    expect(loadConfig(shape, { PARLEY_ORIGINS: 'a, b' })).toEqual({ PARLEY_PORT: 8080, PARLEY_ORIGINS: ['a', 'b'] });
  });

  it('names every bad value and every unknown PARLEY_ variable', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(shape, { PARLEY_PORT: '70000', PARLEY_PROT: '1', HOME: '/root' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/PARLEY_PORT/);
    expect(error!.message).toMatch(/PARLEY_PROT: unknown setting/);
    expect(error!.message).not.toMatch(/HOME/);
  });

  it('redacts secrets and URL passwords when logged', () => {
    expect(redactConfig({ PARLEY_JWT_SECRET: 'hunter2hunter2hunter2', PARLEY_REDIS_URL: 'redis://u:pw@host:6379' })).toEqual({
      PARLEY_JWT_SECRET: '[redacted]',
      PARLEY_REDIS_URL: 'redis://u:[redacted]@host:6379',
    });
  });

  it('redacts secrets inside a list of objects (webhook endpoints) and keeps the rest', () => {
    const endpoints = [{ name: 'push', url: 'https://u:pw@push.example/hook', secret: 'a-webhook-secret-1234', events: ['message.offline'] }];
    expect(redactConfig({ PARLEY_WEBHOOKS: endpoints })).toEqual({
      PARLEY_WEBHOOKS: [{ name: 'push', url: 'https://u:[redacted]@push.example/hook', secret: '[redacted]', events: ['message.offline'] }],
    });
    expect(endpoints[0]!.secret).toBe('a-webhook-secret-1234');
  });
});
