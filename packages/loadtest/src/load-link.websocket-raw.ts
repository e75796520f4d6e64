// A load-test connection over the load tester's own WebSocket client (websocket/): frames are
// read in place from the socket's chunks and each socket's frames of one callback leave in one
// write, so the tester spends little per frame and a run measures the server.
import type { LinkTransport, LoadLink, LoadLinkEvents } from './load-link';
import { WebSocketClient } from './websocket/websocket-client';

/** A WebSocket handshake not done after this long fails. */
const HANDSHAKE_TIMEOUT_MS = 30_000;
/** Largest frame accepted from the gateway (far above its own limits). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export class RawWebSocketLink implements LoadLink {
  readonly transport: LinkTransport = 'websocket';
  private readonly socket: WebSocketClient;

  /** `url` carries the token (`ws://host/ws?token=...`); `ca`: a CA (PEM) to trust for `wss://`. */
  constructor(url: string, localAddress: string | undefined, events: LoadLinkEvents, ca?: string) {
    this.socket = new WebSocketClient(
      url,
      {
        onOpen: () => {},
        onMessage: (payload) => events.onFrame(payload),
        onError: (kind) => events.onError(kind),
        onClose: (code) => events.onClose(code),
      },
      {
        handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
        maxMessageBytes: MAX_MESSAGE_BYTES,
        ...(localAddress ? { localAddress } : {}),
        ...(ca ? { ca } : {}),
      },
    );
  }

  send(frame: Uint8Array): boolean {
    return this.socket.send(frame);
  }

  cut(): void {
    this.socket.terminate();
  }

  close(): Promise<void> {
    // The server sees the TCP close at once; a close handshake would only slow the end of a run.
    this.socket.terminate();
    return Promise.resolve();
  }
}
