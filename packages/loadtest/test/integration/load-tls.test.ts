// A small load run over TLS: embedded parley serving wss:// and https:// with a test CA's
// certificate, the load tester trusting that CA (--ca), WebSocket and long-poll
// connections together; the verdict must be clean.
import { startParleyServer, ParleyServer } from '@parley/server';
import { createTestCertificateAuthority, issueServerCertificate } from '@parley/testkit';
import { parseLoadArgs } from '../../src/options';
import { runLoad } from '../../src/run-load';

describe('load run over TLS', () => {
  let server: ParleyServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('carries every message exactly once and in order over wss:// and https:// long-poll', async () => {
    const ca = createTestCertificateAuthority();
    const cert = issueServerCertificate(ca, 'load-gateway', 7);
    server = await startParleyServer({
      PARLEY_GATEWAY_PORT: '0',
      PARLEY_GATEWAY_HOST: '127.0.0.1',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_TLS_CERT_FILE: cert.certFile,
      PARLEY_TLS_KEY_FILE: cert.keyFile,
    });
    const options = parseLoadArgs([
      '--url', `wss://127.0.0.1:${server.port}/ws`, '--ca', ca.certFile, '--connections', '40', '--long-poll', '0.5',
      '--rate', '100', '--duration', '2', '--workers', '1', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.connect.connected).toBe(40);
    expect(result.transports['long-poll'].connected).toBe(result.transports['long-poll'].connections);
    expect(result.transports['long-poll'].connections).toBeGreaterThan(0);
    expect(result.throughput.sent).toBeGreaterThan(0);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0, missingAckN: 0 });
    expect(result.verdict.detail.expectedDeliveries).toBe(result.throughput.sent);
    expect(result.passed).toBe(true);
  });

  it('fails to connect without the CA: the tester really checks the certificate', async () => {
    const ca = createTestCertificateAuthority();
    const cert = issueServerCertificate(ca, 'load-gateway', 8);
    server = await startParleyServer({
      PARLEY_GATEWAY_PORT: '0',
      PARLEY_GATEWAY_HOST: '127.0.0.1',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_TLS_CERT_FILE: cert.certFile,
      PARLEY_TLS_KEY_FILE: cert.keyFile,
    });
    const options = parseLoadArgs([
      '--url', `wss://127.0.0.1:${server.port}/ws`, '--connections', '2', '--rate', '1', '--duration', '0',
      '--connect-timeout-ms', '3000', '--drain-ms', '0', '--workers', '1', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.connect.connected).toBe(0);
    expect(result.passed).toBe(false);
  });
});
