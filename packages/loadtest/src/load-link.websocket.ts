// A load-test connection over a WebSocket through the `ws` library (`wss://` with TLS), bound to
// its source address: the load tester's other client (--ws-client ws), kept to compare with its own.
import WebSocket from 'ws';
import type { LinkTransport, LoadLink, LoadLinkEvents } from './load-link';

/** A WebSocket handshake not done after this long fails. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

export class WebSocketLink implements LoadLink {
  readonly transport: LinkTransport = 'websocket';
  private readonly socket: WebSocket;

  /** `url` carries the token (`ws://host/ws?token=...`); `ca`: a CA (PEM) to trust for `wss://`. */
  constructor(url: string, localAddress: string | undefined, events: LoadLinkEvents, ca?: string) {
    this.socket = new WebSocket(url, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      ...(localAddress ? { localAddress } : {}),
      ...(ca ? { ca } : {}),
    });
    this.socket.binaryType = 'nodebuffer';
    this.socket.on('message', (data: Buffer) => events.onFrame(data));
    this.socket.on('error', (err: Error & { code?: string }) => {
      const response = /Unexpected server response: (\d+)/.exec(err.message);
      events.onError(response ? `http:${response[1]}` : `socket:${err.code ?? err.message.slice(0, 40)}`);
    });
    // `ws` emits close exactly once, also after an error or a failed handshake.
    this.socket.on('close', (code: number) => events.onClose(code));
  }

  send(frame: Uint8Array): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame);
    return true;
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
