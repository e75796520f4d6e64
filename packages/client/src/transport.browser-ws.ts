// The Transport adapter over the WebSocket API of browsers (and of any host that has one,
// e.g. the `ws` package's WebSocket class): binary frames as ArrayBuffers.
import type { NamedTransport, Transport, TransportFactory, TransportListener } from './transport';

/** The part of the WebSocket API this adapter uses (declared here: the package builds without DOM types). */
export interface WebSocketApi {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketApi;

export interface BrowserWsTransportOptions {
  /** Default: globalThis.WebSocket. */
  readonly WebSocket?: WebSocketConstructor;
}

/** WebSocket.OPEN in every implementation. */
const OPEN = 1;

export class BrowserWsTransport implements Transport, NamedTransport {
  readonly kind = 'websocket';
  private socket: WebSocketApi | undefined;

  constructor(private readonly options: BrowserWsTransportOptions = {}) {}

  open(url: string, listener: TransportListener): void {
    const Socket = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    let socket: WebSocketApi;
    try {
      if (!Socket) throw new Error('this host has no WebSocket');
      socket = new Socket(url);
    } catch (err) {
      // A bad URL throws synchronously; the contract wants an asynchronous onClose.
      const reason = err instanceof Error ? err.message : String(err);
      queueMicrotask(() => listener.onClose(1006, reason));
      return;
    }
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    // Browsers hide why an upgrade failed (status, body): 'error' then close 1006 is all there is.
    let failed = false;
    socket.onopen = () => listener.onOpen();
    socket.onmessage = (event) => {
      const data = event.data;
      // A text message is not part of the protocol; the client counts it as malformed.
      listener.onMessage(data instanceof ArrayBuffer ? new Uint8Array(data) : new TextEncoder().encode(String(data)));
    };
    socket.onerror = () => {
      failed = true;
    };
    socket.onclose = (event) => {
      socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
      listener.onClose(event.code, event.reason || (failed ? 'WebSocket error' : ''));
    };
  }

  send(bytes: Uint8Array): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(bytes);
    return true;
  }

  close(code: number, reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    try {
      socket.close(code, reason);
    } catch {
      socket.close(); // a code the API refuses: close anyway
    }
  }
}

export const browserWsTransportFactory = (options: BrowserWsTransportOptions = {}): TransportFactory => () => new BrowserWsTransport(options);
