// A small load run over TLS: embedded parley serving wss:// and https:// with a test CA's
// certificate, the load tester trusting that CA (--ca), WebSocket and long-poll
// connections together, and the certificate renewed in the middle of the run; the verdict
// must be clean and no connection dropped.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startParleyServer, ParleyServer } from '@parley/server';
import { createTestCertificateAuthority, issueServerCertificate, waitFor } from '@parley/testkit';
import { parseLoadArgs } from '../../src/options';
import { runLoad } from '../../src/run-load';

describe('load run over TLS', () => {
  let server: ParleyServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('carries every message exactly once and in order over wss:// and https:// long-poll, through a certificate renewal', async () => {
    const ca = createTestCertificateAuthority();
    const cert = issueServerCertificate(ca, 'load-gateway', 7);
    const renewed = issueServerCertificate(ca, 'load-gateway-renewed', 9);
    const live = join(ca.dir, 'live');
    mkdirSync(live);
    copyFileSync(cert.certFile, join(live, 'tls.crt'));
    copyFileSync(cert.keyFile, join(live, 'tls.key'));
    const running = await startParleyServer({
      PARLEY_GATEWAY_PORT: '0',
      PARLEY_GATEWAY_HOST: '127.0.0.1',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_TLS_CERT_FILE: join(live, 'tls.crt'),
      PARLEY_TLS_KEY_FILE: join(live, 'tls.key'),
    });
    server = running;
    const options = parseLoadArgs([
      '--url', `wss://127.0.0.1:${running.port}/ws`, '--ca', ca.certFile, '--connections', '40', '--long-poll', '0.5',
      '--rate', '100', '--duration', '4', '--workers', '1', '--quiet',
    ]);
    const run = runLoad(options);
    // Once everyone is connected (sending for 4 s), the certificate is renewed under the load.
    await waitFor(() => (running.gateway?.connectionCount ?? 0) >= 40, { timeoutMs: 60_000, what: 'every load connection' });
    copyFileSync(renewed.certFile, join(live, 'tls.crt'));
    copyFileSync(renewed.keyFile, join(live, 'tls.key'));
    await waitFor(async () => /parley_gateway_tls_reloads_total\{result="applied"\} 1/.test(await running.registry.metrics()), {
      timeoutMs: 30_000,
      what: 'the renewal to be applied',
    });
    const result = await run;
    expect(result.reconnects).toBe(0);
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
