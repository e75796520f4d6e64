// The gateway's TLS settings: which certificate and key files to serve wss:// and https://
// with, and how often they are checked for a renewed pair (certificate-reloader.ts).
import { env } from '@parley/config';

export const tlsSettings = {
  /** PEM certificate (chain) file; with PARLEY_TLS_KEY_FILE the gateway serves wss:// and https:// only. */
  PARLEY_TLS_CERT_FILE: env.optionalString(),
  /** PEM private key file of PARLEY_TLS_CERT_FILE. */
  PARLEY_TLS_KEY_FILE: env.optionalString(),
  /** File holding the passphrase of an encrypted private key (its trailing newline is ignored). */
  PARLEY_TLS_KEY_PASSPHRASE_FILE: env.optionalString(),
  /** How often the files are read again to find a renewed pair even when no file event came, in ms. */
  PARLEY_TLS_RELOAD_CHECK_MS: env.int(1_000, 3_600_000, 60_000),
};

/** Where the gateway's certificate pair lives, when it serves TLS. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly passphraseFile?: string;
  /** Period of the fallback check for a renewed pair, in ms. */
  readonly reloadCheckMs: number;
}

interface TlsConfig {
  readonly PARLEY_TLS_CERT_FILE?: string | undefined;
  readonly PARLEY_TLS_KEY_FILE?: string | undefined;
  readonly PARLEY_TLS_KEY_PASSPHRASE_FILE?: string | undefined;
  readonly PARLEY_TLS_RELOAD_CHECK_MS: number;
}

/** What is wrong with the TLS settings as a whole (the schema checks each one alone). */
export function tlsConfigIssues(config: TlsConfig): string[] {
  const cert = config.PARLEY_TLS_CERT_FILE !== undefined;
  const key = config.PARLEY_TLS_KEY_FILE !== undefined;
  if (cert && !key) return ['PARLEY_TLS_KEY_FILE: required when PARLEY_TLS_CERT_FILE is set (both or neither)'];
  if (key && !cert) return ['PARLEY_TLS_CERT_FILE: required when PARLEY_TLS_KEY_FILE is set (both or neither)'];
  if (!cert && config.PARLEY_TLS_KEY_PASSPHRASE_FILE !== undefined) {
    return ['PARLEY_TLS_KEY_PASSPHRASE_FILE: only meaningful with PARLEY_TLS_CERT_FILE and PARLEY_TLS_KEY_FILE'];
  }
  return [];
}

/** The TLS files of a validated configuration; undefined when the gateway serves plain ws:// and http://. */
export function tlsFilesFrom(config: TlsConfig): TlsFiles | undefined {
  if (config.PARLEY_TLS_CERT_FILE === undefined || config.PARLEY_TLS_KEY_FILE === undefined) return undefined;
  return {
    certFile: config.PARLEY_TLS_CERT_FILE,
    keyFile: config.PARLEY_TLS_KEY_FILE,
    ...(config.PARLEY_TLS_KEY_PASSPHRASE_FILE !== undefined ? { passphraseFile: config.PARLEY_TLS_KEY_PASSPHRASE_FILE } : {}),
    reloadCheckMs: config.PARLEY_TLS_RELOAD_CHECK_MS,
  };
}
