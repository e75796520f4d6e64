// Where the gateway accepts connections: one uWS App on ws:// and http://, or, with TLS
// settings, an SSLApp on wss:// and https:// whose certificate is replaced without a restart.
//
// How a renewed certificate is applied (uWebSockets.js 20.30 as built here): uWS loads a
// certificate into an app when the app is made and offers no way to load another into the
// default context. Its SNI contexts (addServerName/removeServerName/missingServerName) do
// not help: connections matched to an added server name are served by that name's own
// (empty) router, clients that connect by IP address send no server name at all, and
// removing a name that open connections still use corrupted the heap when tried. So a new
// pair gets a new SSLApp with the same routes, listening on the same port (the TLS
// listeners set SO_REUSEPORT), and the old app's listen socket is closed right after: new
// connections reach the new app, the old app keeps serving the connections it accepted
// (WebSocket and long-poll alike) until they close. Every app hands its connections to
// the same ConnectionHandler, so nothing else knows there are several. A replaced app stays
// referenced for the life of the process (about 50 KB measured), as it may serve connections
// for as long as they last.
//
// The TLS listeners cannot use uSockets' exclusive-port option (a second listener could
// not join), so the port is first bound by Node without SO_REUSEPORT: a taken port fails
// there as "address in use", and port 0 picks a free port that the listeners then share.
// A connection the kernel queued on the old listen socket in the instant it closes is
// reset (the client reconnects); Linux 5.14+ can hand those over instead with
// `sysctl net.ipv4.tcp_migrate_req=1`.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type * as uws from 'uWebSockets.js';
import type { Clock } from '@parley/ports';
import type { Logger, Registry } from '@parley/observability';
import { CertificatePair, InvalidCertificatePairError, readCertificatePair } from './certificate-pair';
import { CertificateReloader, tlsMetrics } from './certificate-reloader';
import type { TlsFiles } from './tls-settings';

type UwsModule = typeof uws;

/** uSockets' listen option (uWebSockets.js exports it at run time; its typings omit this overload). */
const LIBUS_LISTEN_EXCLUSIVE_PORT = 1;
const LIBUS_LISTEN_DEFAULT = 0;
type ListenWithOptions = (host: string, port: number, options: number, cb: (token: uws.us_listen_socket | false) => void) => uws.TemplatedApp;

export interface GatewayListenerOptions {
  readonly host: string;
  readonly port: number;
  /** Serve TLS with these files; undefined: plain ws:// and http://. */
  readonly tls: TlsFiles | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registry: Registry;
}

export class GatewayListener {
  private listenSocket: uws.us_listen_socket | undefined;
  /** The app new connections reach (kept referenced, like the retired ones). */
  private app: uws.TemplatedApp | undefined;
  /** Apps replaced by a renewed certificate: they still serve the connections they accepted. */
  private readonly retired: uws.TemplatedApp[] = [];
  private reloader: CertificateReloader | undefined;
  private boundPort = 0;

  /** `routes` installs every route on an app (called once per app: at start and per renewed certificate). */
  constructor(
    private readonly uws: UwsModule,
    private readonly options: GatewayListenerOptions,
    private readonly routes: (app: uws.TemplatedApp) => void,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  get secure(): boolean {
    return this.options.tls !== undefined;
  }

  async listen(): Promise<void> {
    const { tls, host, port } = this.options;
    if (!tls) {
      const app = this.uws.App();
      this.routes(app);
      this.app = app;
      // uSockets sets SO_REUSEPORT by default: a second server on a taken port would then
      // quietly share it, clients split between two servers that know nothing of each other.
      // An exclusive port makes it fail as "address in use" instead.
      this.listenSocket = await this.listenOn(app, port, LIBUS_LISTEN_EXCLUSIVE_PORT);
      this.boundPort = this.uws.us_socket_local_port(this.listenSocket);
      return;
    }
    let pair: CertificatePair;
    try {
      pair = await readCertificatePair(tls);
    } catch (err) {
      throw new Error(`gateway TLS: ${err instanceof InvalidCertificatePairError ? err.message : String(err)}`);
    }
    this.boundPort = await claimPort(host, port);
    const app = this.sslApp(tls, pair);
    this.listenSocket = await this.listenOn(app, this.boundPort, LIBUS_LISTEN_DEFAULT);
    this.app = app;
    this.reloader = new CertificateReloader(
      { files: tls, clock: this.options.clock, logger: this.options.logger, metrics: tlsMetrics(this.options.registry), apply: (next) => this.replace(tls, next) },
      pair,
    );
    this.reloader.start();
    this.options.logger.info(
      { subject: pair.subject, serialNumber: pair.serialNumber, notAfter: new Date(pair.notAfterMs).toISOString(), certFile: tls.certFile },
      'tls: serving wss:// and https://',
    );
  }

  /** Stops accepting connections (open ones stay until their owner closes them). */
  close(): void {
    this.reloader?.stop();
    this.reloader = undefined;
    if (this.listenSocket) this.uws.us_listen_socket_close(this.listenSocket);
    this.listenSocket = undefined;
  }

  /** Reads the files again now instead of waiting for a file event or the periodic check. */
  async checkCertificate(): Promise<void> {
    await this.reloader?.check();
  }

  private async replace(tls: TlsFiles, pair: CertificatePair): Promise<void> {
    const old = this.listenSocket;
    if (!old) throw new Error('the gateway is not listening');
    const app = this.sslApp(tls, pair);
    const token = await this.listenOn(app, this.boundPort, LIBUS_LISTEN_DEFAULT);
    if (this.listenSocket !== old) {
      // Closed (or replaced) while this one was being set up: do not leave it listening.
      this.uws.us_listen_socket_close(token);
      throw new Error('the gateway stopped listening during the certificate change');
    }
    this.listenSocket = token;
    this.uws.us_listen_socket_close(old);
    // The old app stays referenced: it serves the connections it accepted until they close.
    if (this.app) this.retired.push(this.app);
    this.app = app;
  }

  /** An SSLApp serving `pair`: uWS reads the files again; it throws if they no longer hold a usable pair. */
  private sslApp(tls: TlsFiles, pair: CertificatePair): uws.TemplatedApp {
    let app: uws.TemplatedApp;
    try {
      app = this.uws.SSLApp({
        cert_file_name: tls.certFile,
        key_file_name: tls.keyFile,
        ...(pair.passphrase !== undefined ? { passphrase: pair.passphrase } : {}),
      });
    } catch (err) {
      throw new InvalidCertificatePairError(`uWebSockets.js could not load ${tls.certFile} and ${tls.keyFile} (${err instanceof Error ? err.message : String(err)})`);
    }
    this.routes(app);
    return app;
  }

  private listenOn(app: uws.TemplatedApp, port: number, options: number): Promise<uws.us_listen_socket> {
    const host = this.options.host;
    return new Promise((resolve, reject) => {
      const listen = app.listen as unknown as ListenWithOptions;
      listen.call(app, host, port, options, (token) => {
        if (!token) return reject(new Error(`gateway could not listen on ${host}:${port} (is the port taken?)`));
        resolve(token);
      });
    });
  }
}

/** Binds `port` once without SO_REUSEPORT (fails if anything listens there) and returns the port bound (port 0: a free one). */
function claimPort(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`gateway could not listen on ${host}:${port} (${err.code === 'EADDRINUSE' ? 'is the port taken?' : err.message})`)),
    );
    server.listen({ host, port, exclusive: true }, () => {
      const bound = (server.address() as AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}
