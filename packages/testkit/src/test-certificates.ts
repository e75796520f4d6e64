// Owns making X.509 certificates for TLS tests with the machine's `openssl` (node:crypto
// parses certificates but cannot issue them): a test CA, and server certificates it signs
// for localhost and 127.0.0.1, written as PEM files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificateAuthority {
  /** Directory holding the CA's files and the certificates it issued. */
  readonly dir: string;
  /** The CA certificate, PEM (what a client trusts). */
  readonly certPem: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface IssuedCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** Serial number, upper-case hex (as X509Certificate.serialNumber gives it). */
  readonly serialNumber: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A fresh CA in a new temporary directory (RSA 2048, valid 2 days). */
export function createTestCertificateAuthority(name = 'parley test CA'): TestCertificateAuthority {
  const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return { dir, certFile: join(dir, 'ca.crt'), keyFile: join(dir, 'ca.key'), certPem: readFileSync(join(dir, 'ca.crt'), 'utf8') };
}

/** A server certificate for localhost and 127.0.0.1 signed by `ca`, with subject CN `commonName` and serial `serial`. */
export function issueServerCertificate(ca: TestCertificateAuthority, commonName: string, serial: number): IssuedCertificate {
  const base = `${commonName.replace(/[^A-Za-z0-9_-]/g, '_')}-${serial}`;
  const ext = join(ca.dir, `${base}.ext`);
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${commonName}`], ca.dir);
  openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', String(serial), '-days', '2',
    '-extfile', ext, '-out', `${base}.crt`], ca.dir);
  const certFile = join(ca.dir, `${base}.crt`);
  const keyFile = join(ca.dir, `${base}.key`);
  return {
    certFile,
    keyFile,
    certPem: readFileSync(certFile, 'utf8'),
    keyPem: readFileSync(keyFile, 'utf8'),
    serialNumber: serial.toString(16).toUpperCase().padStart(2, '0'),
  };
}
