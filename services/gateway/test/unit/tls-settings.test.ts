// The TLS settings: both files or neither, a passphrase only with them, and what the gateway gets.
import { ConfigError } from '@parley/config';
import { loadGatewayConfig, tlsFilesFrom } from '../../src';

describe('TLS settings', () => {
  it('serve plain ws:// and http:// when neither file is set', () => {
    expect(tlsFilesFrom(loadGatewayConfig({}))).toBeUndefined();
  });

  it('give the gateway both files, the passphrase file and the check period', () => {
    const config = loadGatewayConfig({
      PARLEY_TLS_CERT_FILE: '/etc/parley/tls.crt',
      PARLEY_TLS_KEY_FILE: '/etc/parley/tls.key',
      PARLEY_TLS_KEY_PASSPHRASE_FILE: '/etc/parley/passphrase',
      PARLEY_TLS_RELOAD_CHECK_MS: '5000',
    });
    expect(tlsFilesFrom(config)).toEqual({
      certFile: '/etc/parley/tls.crt',
      keyFile: '/etc/parley/tls.key',
      passphraseFile: '/etc/parley/passphrase',
      reloadCheckMs: 5000,
    });
  });

  it.each([
    [{ PARLEY_TLS_CERT_FILE: '/tls.crt' }, /PARLEY_TLS_KEY_FILE: required/],
    [{ PARLEY_TLS_KEY_FILE: '/tls.key' }, /PARLEY_TLS_CERT_FILE: required/],
    [{ PARLEY_TLS_KEY_PASSPHRASE_FILE: '/passphrase' }, /PARLEY_TLS_KEY_PASSPHRASE_FILE: only meaningful/],
    [{ PARLEY_TLS_CERT_FILE: '/tls.crt', PARLEY_TLS_KEY_FILE: '/tls.key', PARLEY_TLS_RELOAD_CHECK_MS: '10' }, /PARLEY_TLS_RELOAD_CHECK_MS/],
  ])('refuse %j at start-up', (env, message) => {
    expect(() => loadGatewayConfig(env)).toThrow(ConfigError);
    expect(() => loadGatewayConfig(env)).toThrow(message);
  });
});
