// Reads the gateway's certificate and private key files and checks, before anything serves
// them, that the certificate parses, the key parses (with its passphrase) and the key is
// the certificate's.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { TlsFiles } from './tls-settings';

/** A certificate and key that belong together, as read from the files. */
export interface CertificatePair {
  /** Hash of the files' bytes: a pair with the same digest is the same pair. */
  readonly digest: string;
  readonly subject: string;
  readonly serialNumber: string;
  readonly fingerprint256: string;
  /** End of the certificate's validity, ms since the epoch. */
  readonly notAfterMs: number;
  readonly passphrase: string | undefined;
}

/** Thrown when the files do not hold a usable pair (unreadable, unparsable, or a key that is not the certificate's). */
export class InvalidCertificatePairError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidCertificatePairError';
  }
}

/** The files' bytes, hashed: cheap enough for a periodic check, and the same digest as readCertificatePair gives. */
export async function certificateFilesDigest(files: TlsFiles): Promise<string> {
  const [cert, key, passphrase] = await readAll(files);
  return digestOf(cert, key, passphrase);
}

export async function readCertificatePair(files: TlsFiles): Promise<CertificatePair> {
  const [cert, key, passphraseBytes] = await readAll(files);
  const passphrase = passphraseBytes === undefined ? undefined : passphraseBytes.toString('utf8').replace(/\r?\n$/, '');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (err) {
    throw new InvalidCertificatePairError(`${files.certFile}: not a PEM certificate (${errorText(err)})`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(passphrase === undefined ? { key } : { key, passphrase });
  } catch (err) {
    throw new InvalidCertificatePairError(`${files.keyFile}: not a usable PEM private key (${errorText(err)})`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new InvalidCertificatePairError(`${files.keyFile} is not the private key of the certificate in ${files.certFile}`);
  }
  return {
    digest: digestOf(cert, key, passphraseBytes),
    subject: certificate.subject,
    serialNumber: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    notAfterMs: Date.parse(certificate.validTo),
    passphrase,
  };
}

async function readAll(files: TlsFiles): Promise<[Buffer, Buffer, Buffer | undefined]> {
  try {
    return await Promise.all([
      readFile(files.certFile),
      readFile(files.keyFile),
      files.passphraseFile === undefined ? Promise.resolve(undefined) : readFile(files.passphraseFile),
    ]);
  } catch (err) {
    throw new InvalidCertificatePairError(`cannot read the certificate files (${errorText(err)})`);
  }
}

function digestOf(cert: Buffer, key: Buffer, passphrase: Buffer | undefined): string {
  const hash = createHash('sha256').update(cert).update('\0').update(key);
  if (passphrase) hash.update('\0').update(passphrase);
  return hash.digest('hex');
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
