// The Transport adapter for Node: a WebSocket client from the `ws` package (Node-only, like
// fetch.node-http.ts; the browser entry reaches neither).
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { NodeTlsOptions } from './node-tls';
import { toHttpRefusal, type HttpRefusal, type NamedTransport, type Transport, type TransportFactory, type TransportListener } from './transport';

export interface NodeWsTransportOptions {
  /** Opening handshake timeout, in ms (the client's own connect timeout also applies). */
  readonly handshakeTimeoutMs?: number;
  /** After close(), how long the closing handshake may take before the socket is destroyed, in ms. */
  readonly closeGraceMs?: number;
  /** TLS options of `wss://` URLs: `ca` to trust a private CA, a client certificate, ... (unused for `ws://`). */
  readonly tls?: NodeTlsOptions;
}

/** Longest part of an HTTP refusal body kept in the close reason, in bytes. */
const MAX_REFUSAL_BODY_BYTES = 512;

export class NodeWsTransport implements Transport, NamedTransport {
  readonly kind = 'websocket';
  private socket: WebSocket | undefined;
  /** Why the link failed before a close frame (the ws error or the HTTP refusal), reported with code 1006. */
  private failure = '';
  /** The gateway's HTTP answer when it refused the upgrade. */
  private refusal: HttpRefusal | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: NodeWsTransportOptions = {}) {}

  open(url: string, listener: TransportListener): void {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, {
        handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
        perMessageDeflate: false,
        ...this.options.tls,
      });
    } catch (err) {
      // An unparsable URL throws synchronously; the contract wants an asynchronous onClose.
      const reason = err instanceof Error ? err.message : String(err);
      queueMicrotask(() => listener.onClose(1006, reason));
      return;
    }
    this.socket = socket;
    socket.binaryType = 'nodebuffer';
    socket.on('open', () => listener.onOpen());
    // binaryType 'nodebuffer': each message is one Buffer (a Uint8Array). A text message is
    // not part of the protocol; it reaches the client, which counts it as malformed.
    socket.on('message', (data: Buffer) => listener.onMessage(data));
    // ws always follows 'error' with 'close'; the message is kept as the close reason.
    socket.on('error', (err: Error) => {
      this.failure ||= err.message;
    });
    socket.on('unexpected-response', (_request, response: IncomingMessage) => this.refused(socket, response));
    socket.on('close', (code: number, reason: Buffer) => {
      if (this.graceTimer) clearTimeout(this.graceTimer);
      this.graceTimer = undefined;
      const text = reason.toString('utf8');
      listener.onClose(code, text || this.failure, this.refusal);
    });
  }

  send(bytes: Uint8Array): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(bytes, { binary: true });
    return true;
  }

  close(code: number, reason: string): void {
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    try {
      socket.close(code, reason);
    } catch {
      socket.terminate(); // an invalid code: do not leave the socket open
      return;
    }
    // A dead peer never answers the close frame; do not hold the socket for ws's 30 s.
    this.graceTimer ??= setTimeout(() => socket.terminate(), this.options.closeGraceMs ?? 2_000);
  }

  /** The gateway refused the upgrade (401 bad token, 429 limits, 503 not ready): keep status and body as the reason, and the refusal. */
  private refused(socket: WebSocket, response: IncomingMessage): void {
    this.failure = `HTTP ${response.statusCode ?? '?'}`;
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      const body = Buffer.concat(chunks).toString('utf8', 0, MAX_REFUSAL_BODY_BYTES);
      if (size > 0) this.failure += `: ${body}`;
      const retryAfter = response.headers['retry-after'];
      this.refusal = toHttpRefusal(response.statusCode ?? 0, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, body);
      socket.terminate();
    };
    response.on('data', (chunk: Buffer) => {
      if (size < MAX_REFUSAL_BODY_BYTES) chunks.push(chunk);
      size += chunk.length;
    });
    response.once('end', finish);
    response.once('error', finish);
  }
}

export const nodeWsTransportFactory = (options: NodeWsTransportOptions = {}): TransportFactory => () => new NodeWsTransport(options);
