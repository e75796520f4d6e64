// Notices a renewed certificate pair and hands it over without a restart: watches the
// directories of the files (a renewal often replaces a file or swaps a symlink, which a
// watch on the file itself misses), debounces the bursts of events a renewal makes, and
// reads the files again every `reloadCheckMs` in case no event came (network file
// systems, some container mounts). A pair is handed over only after it parsed and its key
// matched its certificate; a bad pair is logged, counted and ignored: the served one stays.
import { watch, FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, TimerHandle } from '@parley/ports';
import { Counter, Gauge, Logger, Registry } from '@parley/observability';
import { CertificatePair, certificateFilesDigest, readCertificatePair } from './certificate-pair';
import type { TlsFiles } from './tls-settings';

/** Quiet time after the last file event before the files are read, in ms (a renewal writes several files). */
export const RELOAD_DEBOUNCE_MS = 300;

export interface TlsMetrics {
  /** Renewed pairs seen, by result: `applied` (now served to new connections) or `rejected` (the served pair stays). */
  readonly reloads: Counter<'result'>;
  /** End of validity of the served certificate, seconds since the epoch (alert well before it). */
  readonly notAfter: Gauge<string>;
}

export function tlsMetrics(registry: Registry): TlsMetrics {
  return {
    reloads: new Counter({
      name: 'parley_gateway_tls_reloads_total',
      help: 'Renewed TLS certificate pairs seen, by result (applied, rejected: the served pair stays)',
      labelNames: ['result'],
      registers: [registry],
    }),
    notAfter: new Gauge({
      name: 'parley_gateway_tls_certificate_not_after_seconds',
      help: 'End of validity of the TLS certificate served to new connections, seconds since the epoch',
      registers: [registry],
    }),
  };
}

export interface CertificateReloaderOptions {
  readonly files: TlsFiles;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: TlsMetrics;
  /** Serves `pair` to new connections from now on; throws when it cannot (the served pair stays). */
  readonly apply: (pair: CertificatePair) => Promise<void>;
}

export class CertificateReloader {
  private readonly watchers: FSWatcher[] = [];
  private debounce: TimerHandle | undefined;
  private periodic: TimerHandle | undefined;
  /** Digest of the pair new connections get. */
  private servedDigest: string;
  /** Digest of the files last read, applied or not: the same files are not tried (nor logged) again. */
  private triedDigest: string;
  private checking: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly options: CertificateReloaderOptions,
    served: CertificatePair,
  ) {
    this.servedDigest = served.digest;
    this.triedDigest = served.digest;
    options.metrics.notAfter.set(served.notAfterMs / 1000);
  }

  start(): void {
    const { files } = this.options;
    const directories = new Set([files.certFile, files.keyFile, ...(files.passphraseFile ? [files.passphraseFile] : [])].map((f) => dirname(f)));
    for (const directory of directories) {
      try {
        const watcher = watch(directory, { persistent: false }, () => this.fileEvent());
        watcher.on('error', (err) => this.options.logger.warn({ err, directory }, 'tls: watching the certificate directory failed; the periodic check remains'));
        this.watchers.push(watcher);
      } catch (err) {
        this.options.logger.warn({ err, directory }, 'tls: cannot watch the certificate directory; the periodic check remains');
      }
    }
    this.schedulePeriodic();
  }

  stop(): void {
    this.stopped = true;
    for (const watcher of this.watchers) watcher.close();
    this.watchers.length = 0;
    if (this.debounce) this.options.clock.clearTimeout(this.debounce);
    if (this.periodic) this.options.clock.clearTimeout(this.periodic);
  }

  /** Reads the files now and applies a new valid pair (what a file event or the periodic check does). */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = this.checkOnce().finally(() => {
      this.checking = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.check();
      }
    });
    return this.checking;
  }

  private fileEvent(): void {
    if (this.stopped) return;
    if (this.debounce) this.options.clock.clearTimeout(this.debounce);
    this.debounce = this.options.clock.setTimeout(() => {
      this.debounce = undefined;
      void this.check();
    }, RELOAD_DEBOUNCE_MS);
  }

  private schedulePeriodic(): void {
    if (this.stopped) return;
    this.periodic = this.options.clock.setTimeout(() => {
      void this.check().finally(() => this.schedulePeriodic());
    }, this.options.files.reloadCheckMs);
  }

  private async checkOnce(): Promise<void> {
    const { logger, metrics, files } = this.options;
    let digest: string;
    try {
      digest = await certificateFilesDigest(files);
    } catch (err) {
      // A renewal in progress (a file briefly missing) or a lasting problem: retried at the next event or check.
      logger.warn({ err }, 'tls: cannot read the certificate files; the served certificate stays');
      return;
    }
    if (digest === this.triedDigest) return;
    this.triedDigest = digest;
    if (digest === this.servedDigest) return;
    try {
      const pair = await readCertificatePair(files);
      this.triedDigest = pair.digest;
      await this.options.apply(pair);
      this.servedDigest = pair.digest;
      metrics.reloads.inc({ result: 'applied' });
      metrics.notAfter.set(pair.notAfterMs / 1000);
      logger.info(
        { subject: pair.subject, serialNumber: pair.serialNumber, fingerprint256: pair.fingerprint256, notAfter: new Date(pair.notAfterMs).toISOString() },
        'tls: new certificate served to new connections (open connections keep theirs)',
      );
    } catch (err) {
      metrics.reloads.inc({ result: 'rejected' });
      logger.error({ err, certFile: files.certFile, keyFile: files.keyFile }, 'tls: new certificate files rejected; the served certificate stays');
    }
  }
}
