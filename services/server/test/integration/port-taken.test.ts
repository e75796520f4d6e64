// A second server on a port another one holds must fail to start, not share it: uSockets
// listens with SO_REUSEPORT by default, which would split clients between two servers
// that know nothing of each other.
import { createTestCertificateAuthority, issueServerCertificate } from '@parley/testkit';
import { startParleyServer, ParleyServer } from '../../src';

describe('a gateway port already in use', () => {
  let first: ParleyServer | undefined;

  afterEach(async () => {
    await first?.stop();
  });

  it('makes the second server fail at start with a clear message', async () => {
    const env = { PARLEY_GATEWAY_HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'silent' };
    first = await startParleyServer({ ...env, PARLEY_GATEWAY_PORT: '0' });
    await expect(startParleyServer({ ...env, PARLEY_GATEWAY_PORT: String(first.port) })).rejects.toThrow(/could not listen .*is the port taken/);
  });

  it('also with TLS, whose listeners share their port with the next certificate\'s (SO_REUSEPORT): no other server joins them', async () => {
    const ca = createTestCertificateAuthority();
    const cert = issueServerCertificate(ca, 'port-taken', 1);
    const env = { PARLEY_GATEWAY_HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'silent', PARLEY_TLS_CERT_FILE: cert.certFile, PARLEY_TLS_KEY_FILE: cert.keyFile };
    first = await startParleyServer({ ...env, PARLEY_GATEWAY_PORT: '0' });
    await expect(startParleyServer({ ...env, PARLEY_GATEWAY_PORT: String(first.port) })).rejects.toThrow(/could not listen .*is the port taken/);
    const { PARLEY_TLS_CERT_FILE: _cert, PARLEY_TLS_KEY_FILE: _key, ...plain } = env;
    await expect(startParleyServer({ ...plain, PARLEY_GATEWAY_PORT: String(first.port) })).rejects.toThrow(/could not listen .*is the port taken/);
  });
});
