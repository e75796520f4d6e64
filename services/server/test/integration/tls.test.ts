// TLS end to end (README "TLS"): a parley on real Kafka and Redis serving wss:// and
// https:// with a certificate from a test CA; SDK clients that trust that CA exchange
// messages over a WebSocket and over long-polling; a renewed certificate pair written over
// the files is served to new connections while the open ones go on undisturbed; a bad
// pair is counted and ignored, the served certificate stays.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { longPollTransportFactory, nodeFetch, NodeFetch, nodeWsTransportFactory, ParleyClientOptions } from '@parley/client';
import { createTestCertificateAuthority, issueServerCertificate, IssuedCertificate, TestCertificateAuthority, waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { payload, realEnv, RecordingClient, startServer } from './harness';

/** What a new TLS connection to the gateway is shown, verified against the test CA. */
function servedCertificate(port: number, ca: string): Promise<{ serialNumber: string; subject: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      resolve({ serialNumber: cert.serialNumber.toUpperCase(), subject: cert.subject.CN ?? '' });
    });
    socket.once('error', reject);
  });
}

async function reloads(server: ParleyServer, result: 'applied' | 'rejected'): Promise<number> {
  const text = await server.registry.metrics();
  const match = new RegExp(`^parley_gateway_tls_reloads_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

describe('TLS: wss:// and https:// with a certificate renewed in place', () => {
  let ca: TestCertificateAuthority;
  let first: IssuedCertificate;
  let second: IssuedCertificate;
  let live: { certFile: string; keyFile: string };
  let server: ParleyServer;
  const clients: RecordingClient[] = [];

  const install = (pair: { certFile: string; keyFile: string }): void => {
    copyFileSync(pair.certFile, live.certFile);
    copyFileSync(pair.keyFile, live.keyFile);
  };
  const wssUrl = (): string => `wss://127.0.0.1:${server.port}/ws`;
  const connect = async (user: string, options: Partial<ParleyClientOptions>): Promise<RecordingClient> => {
    const client = new RecordingClient(server.port, user, { url: wssUrl(), ...options });
    clients.push(client);
    return client.connect();
  };
  const overWebSocket = (): Partial<ParleyClientOptions> => ({ transportFactory: nodeWsTransportFactory({ tls: { ca: ca.certPem } }) });
  const fetches: NodeFetch[] = [];
  const trustingFetch = (): NodeFetch => {
    const fetch = nodeFetch({ tls: { ca: ca.certPem } });
    fetches.push(fetch);
    return fetch;
  };
  const overLongPoll = (): Partial<ParleyClientOptions> => ({ transportFactory: longPollTransportFactory({ fetch: trustingFetch() }) });

  beforeAll(async () => {
    ca = createTestCertificateAuthority();
    first = issueServerCertificate(ca, 'gateway-first', 0x1001);
    second = issueServerCertificate(ca, 'gateway-second', 0x1002);
    const dir = join(ca.dir, 'live');
    mkdirSync(dir);
    live = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    install(first);
    server = await startServer(
      realEnv('tls', { PARLEY_TLS_CERT_FILE: live.certFile, PARLEY_TLS_KEY_FILE: live.keyFile, PARLEY_TLS_RELOAD_CHECK_MS: '1000' }),
    );
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    // A long-poll client's close is a request of its own: let it be answered before the server goes.
    await waitFor(() => (server?.gateway?.connectionCount ?? 0) === 0, { timeoutMs: 10_000, what: 'the clients\' links to close' });
    await server?.stop();
    for (const fetch of fetches) fetch.close();
  });

  it('serves the certificate of the files, verified by a client trusting the test CA, and nothing in the clear', async () => {
    expect(server.gateway?.secure).toBe(true);
    expect(await servedCertificate(server.port, ca.certPem)).toEqual({ serialNumber: first.serialNumber, subject: 'gateway-first' });
    // Without the CA the certificate is not trusted: the client really checks it.
    await expect(servedCertificate(server.port, createTestCertificateAuthority('another CA').certPem)).rejects.toThrow();
    // Plain HTTP on the TLS port gets no answer.
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  });

  it('carries messages both ways over wss:// (WebSocket) and https:// (long-poll), and serves /healthz over https', async () => {
    const alice = await connect('tls-alice', overWebSocket());
    const bob = await connect('tls-bob', overLongPoll());
    expect(alice.client.transport).toBe('websocket');
    expect(bob.client.transport).toBe('long-poll');
    await alice.client.send('tls-bob', payload('hello over wss'));
    await bob.client.send('tls-alice', payload('hello over https'));
    await waitFor(() => bob.messages.length >= 1 && alice.messages.length >= 1, { timeoutMs: 30_000, what: 'both messages' });
    expect(bob.texts()).toEqual(['hello over wss']);
    expect(alice.texts()).toEqual(['hello over https']);
    const health = await trustingFetch()(`https://127.0.0.1:${server.port}/healthz`, { method: 'GET' });
    expect(health.status).toBe(200);
  });

  it('serves a renewed pair to new connections while the open WebSocket and long-poll links go on', async () => {
    const alice = clients.find((c) => c.client.transport === 'websocket')!;
    const bob = clients.find((c) => c.client.transport === 'long-poll')!;
    const appliedBefore = await reloads(server, 'applied');
    install(second); // no call into the server: the file watch (or the periodic check) notices
    await waitFor(async () => (await servedCertificate(server.port, ca.certPem)).serialNumber === second.serialNumber, {
      timeoutMs: 30_000,
      what: 'new connections to get the renewed certificate',
    });
    expect((await servedCertificate(server.port, ca.certPem)).subject).toBe('gateway-second');
    expect(await reloads(server, 'applied')).toBe(appliedBefore + 1);

    // The links opened before the renewal still carry messages both ways, without a reconnect.
    await alice.client.send('tls-bob', payload('after renewal, old wss link'));
    await bob.client.send('tls-alice', payload('after renewal, old long-poll session'));
    await waitFor(() => bob.messages.length >= 2 && alice.messages.length >= 2, { timeoutMs: 30_000, what: 'messages on the old links' });
    expect(bob.texts()).toEqual(['hello over wss', 'after renewal, old wss link']);
    expect(alice.texts()).toEqual(['hello over https', 'after renewal, old long-poll session']);
    expect(alice.client.stats.reconnects).toBe(0);
    expect(bob.client.stats.reconnects).toBe(0);

    // A client connecting now (on the new certificate) talks with one from before.
    const carol = await connect('tls-carol', overWebSocket());
    await carol.client.send('tls-alice', payload('from a new link'));
    await waitFor(() => alice.messages.length >= 3, { timeoutMs: 30_000, what: 'alice to get carol\'s message' });
    expect(alice.texts()[2]).toBe('from a new link');
  });

  it('ignores a bad pair (a key that is not the certificate\'s, then no certificate at all): the served certificate stays', async () => {
    const rejectedBefore = await reloads(server, 'rejected');
    const appliedBefore = await reloads(server, 'applied');
    const third = issueServerCertificate(ca, 'gateway-third', 0x1003);
    copyFileSync(third.certFile, live.certFile);
    copyFileSync(first.keyFile, live.keyFile);
    await waitFor(async () => (await reloads(server, 'rejected')) > rejectedBefore, { timeoutMs: 30_000, what: 'the mismatched pair to be rejected' });
    expect(await servedCertificate(server.port, ca.certPem)).toEqual({ serialNumber: second.serialNumber, subject: 'gateway-second' });

    writeFileSync(live.certFile, 'not a certificate\n');
    copyFileSync(third.keyFile, live.keyFile);
    await waitFor(async () => (await reloads(server, 'rejected')) > rejectedBefore + 1, { timeoutMs: 30_000, what: 'the unparsable certificate to be rejected' });
    expect(await servedCertificate(server.port, ca.certPem)).toEqual({ serialNumber: second.serialNumber, subject: 'gateway-second' });
    expect(await reloads(server, 'applied')).toBe(appliedBefore);

    // New clients are still served, over both transports.
    const dave = await connect('tls-dave', overLongPoll());
    const erin = await connect('tls-erin', overWebSocket());
    await dave.client.send('tls-erin', payload('still served'));
    await waitFor(() => erin.messages.length >= 1, { timeoutMs: 30_000, what: 'erin to get dave\'s message' });
    expect(erin.texts()).toEqual(['still served']);

    // A good pair afterwards is taken.
    install(third);
    await waitFor(async () => (await servedCertificate(server.port, ca.certPem)).serialNumber === third.serialNumber, {
      timeoutMs: 30_000,
      what: 'the good third pair to be served',
    });
  });
});

describe('TLS settings', () => {
  it('refuse a certificate without its key, and a pair that cannot be served', async () => {
    await expect(startServer(realEnv('tls-half', { PARLEY_TLS_CERT_FILE: '/nonexistent/tls.crt' }))).rejects.toThrow(/PARLEY_TLS_KEY_FILE/);
    const ca = createTestCertificateAuthority();
    const a = issueServerCertificate(ca, 'a', 1);
    const b = issueServerCertificate(ca, 'b', 2);
    await expect(startServer(realEnv('tls-mismatch', { PARLEY_TLS_CERT_FILE: a.certFile, PARLEY_TLS_KEY_FILE: b.keyFile }))).rejects.toThrow(
      /not the private key of the certificate/,
    );
  });

  it('open an encrypted key with the passphrase file, and refuse a wrong passphrase', async () => {
    const ca = createTestCertificateAuthority();
    const cert = issueServerCertificate(ca, 'encrypted', 3);
    const encryptedKey = join(ca.dir, 'encrypted.key');
    execFileSync('openssl', ['pkey', '-in', cert.keyFile, '-aes256', '-passout', 'pass:correct horse', '-out', encryptedKey]);
    const passphraseFile = join(ca.dir, 'passphrase');
    writeFileSync(passphraseFile, 'wrong\n');
    const tlsEnv = { PARLEY_TLS_CERT_FILE: cert.certFile, PARLEY_TLS_KEY_FILE: encryptedKey, PARLEY_TLS_KEY_PASSPHRASE_FILE: passphraseFile };
    await expect(startServer(realEnv('tls-wrong-pass', tlsEnv))).rejects.toThrow(/not a usable PEM private key/);
    writeFileSync(passphraseFile, 'correct horse\n');
    const server = await startServer(realEnv('tls-pass', tlsEnv));
    try {
      expect(await servedCertificate(server.port, ca.certPem)).toEqual({ serialNumber: cert.serialNumber, subject: 'encrypted' });
    } finally {
      await server.stop();
    }
  });

});
