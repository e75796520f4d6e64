// The certificate reloader on real files (certificates from the machine's openssl) and a
// fake clock: a renewed valid pair is applied once; a bad pair, or one the server cannot
// load, is counted as rejected once (not retried or logged again until the files change)
// and the served pair stays; a file event is debounced; the periodic check finds a
// renewal nobody announced.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, createRegistry, Registry } from '@parley/observability';
import { FakeClock } from '@parley/ports';
import { createTestCertificateAuthority, issueServerCertificate, IssuedCertificate, waitFor } from '@parley/testkit';
import { CertificatePair, readCertificatePair } from '../../src/certificate-pair';
import { CertificateReloader, RELOAD_DEBOUNCE_MS, tlsMetrics } from '../../src/certificate-reloader';
import type { TlsFiles } from '../../src/tls-settings';

const ca = createTestCertificateAuthority();
const first = issueServerCertificate(ca, 'first', 1);
const second = issueServerCertificate(ca, 'second', 2);
const third = issueServerCertificate(ca, 'third', 3);

async function count(registry: Registry, result: string): Promise<number> {
  const metric = await registry.getSingleMetric('parley_gateway_tls_reloads_total')!.get();
  return metric.values.find((v) => v.labels.result === result)?.value ?? 0;
}

describe('CertificateReloader', () => {
  let dir: string;
  let files: TlsFiles;
  let clock: FakeClock;
  let registry: Registry;
  let applied: CertificatePair[];
  let refuseApply: boolean;
  let reloader: CertificateReloader;
  let testIndex = 0;

  const install = (pair: IssuedCertificate, key: IssuedCertificate = pair): void => {
    copyFileSync(pair.certFile, files.certFile);
    copyFileSync(key.keyFile, files.keyFile);
  };

  beforeEach(async () => {
    dir = join(ca.dir, `reloader-${testIndex++}`);
    mkdirSync(dir);
    files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), reloadCheckMs: 10_000 };
    install(first);
    clock = new FakeClock();
    registry = createRegistry();
    applied = [];
    refuseApply = false;
    reloader = new CertificateReloader(
      {
        files,
        clock,
        logger: createLogger('test', 'silent'),
        metrics: tlsMetrics(registry),
        apply: async (pair) => {
          if (refuseApply) throw new Error('cannot load');
          applied.push(pair);
        },
      },
      await readCertificatePair(files),
    );
  });
  afterEach(() => reloader.stop());

  it('applies a renewed valid pair once, and nothing while the files stay as they are', async () => {
    await reloader.check();
    expect(applied).toHaveLength(0);
    install(second);
    await reloader.check();
    await reloader.check();
    expect(applied.map((p) => p.serialNumber)).toEqual([second.serialNumber]);
    expect(await count(registry, 'applied')).toBe(1);
    const notAfter = await registry.getSingleMetric('parley_gateway_tls_certificate_not_after_seconds')!.get();
    expect(notAfter.values[0]!.value).toBe(applied[0]!.notAfterMs / 1000);
  });

  it('rejects a mismatched pair once, keeps the served one, and takes the next good pair', async () => {
    install(second, first); // second's certificate, first's key
    await reloader.check();
    await reloader.check();
    expect(applied).toHaveLength(0);
    expect(await count(registry, 'rejected')).toBe(1);
    // Back to the served files: nothing to do.
    install(first);
    await reloader.check();
    expect(applied).toHaveLength(0);
    expect(await count(registry, 'rejected')).toBe(1);
    install(third);
    await reloader.check();
    expect(applied.map((p) => p.serialNumber)).toEqual([third.serialNumber]);
  });

  it('rejects an unparsable certificate, and a pair the server could not load', async () => {
    writeFileSync(files.certFile, '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n');
    await reloader.check();
    expect(await count(registry, 'rejected')).toBe(1);
    refuseApply = true;
    install(second);
    await reloader.check();
    expect(applied).toHaveLength(0);
    expect(await count(registry, 'rejected')).toBe(2);
    expect(await count(registry, 'applied')).toBe(0);
  });

  it('reads the files after a file event has been quiet for the debounce time', async () => {
    reloader.start();
    install(second);
    // fs.watch reports the writes; the reloader waits for quiet before reading.
    await waitFor(() => clockHasTimerWithin(clock, RELOAD_DEBOUNCE_MS), { timeoutMs: 10_000, what: 'a debounced check to be scheduled' });
    expect(applied).toHaveLength(0);
    clock.advance(RELOAD_DEBOUNCE_MS);
    await waitFor(() => applied.length === 1, { timeoutMs: 10_000, what: 'the renewed pair to be applied' });
    expect(applied[0]!.serialNumber).toBe(second.serialNumber);
  });

  it('finds a renewal without any file event at the periodic check', async () => {
    reloader.start();
    reloader['watchers'].forEach((w) => w.close()); // as on a file system that reports nothing
    install(third);
    clock.advance(files.reloadCheckMs);
    await waitFor(() => applied.length === 1, { timeoutMs: 10_000, what: 'the periodic check to apply the renewal' });
    expect(applied[0]!.serialNumber).toBe(third.serialNumber);
  });
});

/** Whether a timer is due within `ms` from now (FakeClock keeps its timers private). */
function clockHasTimerWithin(clock: FakeClock, ms: number): boolean {
  const timers = (clock as unknown as { timers: Map<number, { at: number }> }).timers;
  return [...timers.values()].some((t) => t.at <= clock.now() + ms);
}
