// A WebSocket client (RFC 6455) over one TCP or TLS socket, for the load tester: the upgrade
// with its Sec-WebSocket-Accept check, frames read in place from the socket's chunks
// (FrameParser: a message whole in one chunk reaches the handler as a view of it), frames
// written masked and batched per callback (FrameWriter), ping answered with pong, the close
// handshake, a size limit, TCP_NODELAY and a chosen source address. No extensions, no
// subprotocols. Events are plain method calls, never made from inside the constructor.
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { FrameParser, Opcode, type FrameHandler, type FrameProtocolError } from './frame-parser';
import { FrameWriter } from './frame-writer';
import { newWebSocketKey, readHandshakeAnswer, upgradeRequest } from './handshake';

export interface WebSocketClientEvents {
  /** The upgrade was accepted: frames may be sent. */
  onOpen(): void;
  /** A text or binary message; `payload` may be kept (its memory is never reused). */
  onMessage(payload: Uint8Array, binary: boolean): void;
  /** A failure worth counting: `http:<status>` (the upgrade refused) or `socket:<code or kind>`. */
  onError(kind: string): void;
  /** Once, when the socket is gone: the server's close code (1005 when its close frame had none), or 1006 when it sent none. */
  onClose(code: number): void;
}

export interface WebSocketClientOptions {
  /** Source address to bind. */
  readonly localAddress?: string;
  /** CA (PEM) to trust for wss:// instead of the system's. */
  readonly ca?: string;
  /** The upgrade must be answered within this long. */
  readonly handshakeTimeoutMs: number;
  /** Largest message accepted; a larger one fails the connection with 1009. */
  readonly maxMessageBytes: number;
  /** After a close frame is sent, the socket is destroyed if the server has not closed it within this long. */
  readonly closeTimeoutMs?: number;
}

export type WebSocketState = 'connecting' | 'open' | 'closing' | 'closed';

const DEFAULT_CLOSE_TIMEOUT_MS = 5000;

export class WebSocketClient implements FrameHandler {
  private readonly socket: Socket;
  private readonly key = newWebSocketKey();
  private readonly parser: FrameParser;
  private readonly writer: FrameWriter;
  private stateNow: WebSocketState = 'connecting';
  /** Bytes of the upgrade answer so far (undefined once it was read). */
  private answer: Buffer | undefined = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;
  /** The server's close code (1006 until its close frame came). */
  private closeCode = 1006;
  private closeSent = false;

  constructor(
    url: string,
    private readonly events: WebSocketClientEvents,
    private readonly options: WebSocketClientOptions,
  ) {
    const target = new URL(url);
    const secure = target.protocol === 'wss:';
    if (!secure && target.protocol !== 'ws:') throw new Error(`not a ws:// or wss:// URL: ${url}`);
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(target.port) || (secure ? 443 : 80);
    const common = { host, port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) };
    this.socket = secure
      ? tlsConnect({ ...common, ...(options.ca ? { ca: options.ca } : {}), ...(isIP(host) ? {} : { servername: host }) })
      : tcpConnect(common);
    this.parser = new FrameParser(this, options.maxMessageBytes);
    this.writer = new FrameWriter((bytes) => {
      if (!this.socket.destroyed) this.socket.write(bytes);
    });
    this.socket.setNoDelay(true);
    this.socket.once(secure ? 'secureConnect' : 'connect', () => this.socket.write(upgradeRequest(target, this.key)));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err: Error & { code?: string }) => this.events.onError(`socket:${err.code ?? err.message.slice(0, 40)}`));
    this.socket.on('end', () => this.socket.end());
    this.socket.on('close', () => this.onSocketClose());
    this.timer = setTimeout(() => {
      this.events.onError('socket:handshake-timeout');
      this.socket.destroy();
    }, options.handshakeTimeoutMs);
  }

  get state(): WebSocketState {
    return this.stateNow;
  }

  /** Queues one message (binary unless `binary` is false); false, and nothing is sent, when the connection is not open. */
  send(payload: Uint8Array, binary = true): boolean {
    if (this.stateNow !== 'open') return false;
    this.writer.frame(binary ? Opcode.BINARY : Opcode.TEXT, payload);
    return true;
  }

  /** A ping with `payload` (at most 125 bytes); false when the connection is not open. */
  ping(payload: Uint8Array = new Uint8Array(0)): boolean {
    if (this.stateNow !== 'open' || payload.length > 125) return false;
    this.writer.frame(Opcode.PING, payload);
    return true;
  }

  /** Starts the close handshake with `code`: queued frames, then the close frame; the server's answer ends the socket. */
  close(code = 1000): void {
    if (this.stateNow === 'connecting') return this.terminate();
    if (this.stateNow !== 'open') return;
    this.sendClose(code);
  }

  /** Ends the socket at once, no close frame (as a network cut); onClose(1006) follows. */
  terminate(): void {
    if (this.stateNow === 'closed') return;
    this.parser.stop();
    this.writer.discard();
    this.socket.destroy();
  }

  onMessage(payload: Uint8Array, binary: boolean): void {
    this.events.onMessage(payload, binary);
  }

  onPing(payload: Uint8Array): void {
    if (this.stateNow === 'open') this.writer.frame(Opcode.PONG, payload);
  }

  onPong(): void {
    // Nothing waits for a pong: the load tester's liveness check is the protocol's own ping.
  }

  onClose(code: number): void {
    this.closeCode = code;
    // Echo the code (none for 1005), then the server closes the TCP connection.
    if (!this.closeSent) this.sendClose(code === 1005 ? 0 : code);
    else this.socket.end();
  }

  onProtocolError(error: FrameProtocolError): void {
    this.events.onError(`socket:ws-${error.kind}`);
    if (!this.closeSent) this.sendClose(error.closeCode);
  }

  private onData(chunk: Buffer): void {
    if (this.answer === undefined) {
      this.parser.push(chunk);
      return;
    }
    const received = this.answer.length === 0 ? chunk : Buffer.concat([this.answer, chunk]);
    const answer = readHandshakeAnswer(received, this.key);
    if (answer === undefined) {
      this.answer = received;
      return;
    }
    this.answer = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!answer.ok) {
      this.events.onError(answer.status === 0 || answer.status === 101 ? 'socket:bad-handshake' : `http:${answer.status}`);
      this.socket.destroy();
      return;
    }
    this.stateNow = 'open';
    this.events.onOpen();
    if (answer.rest.length > 0) this.parser.push(answer.rest);
  }

  /** Sends a close frame (`code` 0: without a code) after what is queued, and waits a while for the server to end the socket. */
  private sendClose(code: number): void {
    this.closeSent = true;
    this.stateNow = 'closing';
    const payload = code === 0 ? new Uint8Array(0) : Uint8Array.of(code >>> 8, code & 0xff);
    this.writer.frame(Opcode.CLOSE, payload);
    this.writer.flush();
    this.timer = setTimeout(() => this.socket.destroy(), this.options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
  }

  private onSocketClose(): void {
    if (this.stateNow === 'closed') return;
    this.stateNow = 'closed';
    clearTimeout(this.timer);
    this.parser.stop();
    this.writer.discard();
    this.events.onClose(this.closeCode);
  }
}
