// ClientLink over a uWebSockets.js WebSocket: the link is also the connection's state (one
// object per connection), made at the upgrade and given its socket at open; uWS reports
// the close.
import type * as uws from 'uWebSockets.js';
import type { ClientLink, Transport } from './client-link';
import { ConnectionState } from './connection';

/**
 * What uWS keeps on each socket. Our uWS build copies the user data's own properties onto
 * the socket object (getUserData() returns the socket itself, without the prototype of what
 * was passed), so the user data is a single property: the link.
 */
export interface SocketData {
  readonly link: WebSocketLink;
}

export type Socket = uws.WebSocket<SocketData>;

export class WebSocketLink extends ConnectionState implements ClientLink {
  /** Set at open: uWS calls message and close only after open, and nothing writes before welcome. */
  private socket: Socket | undefined = undefined;

  // Accessors live on the prototype: no per-connection field for what every link shares.
  get transport(): Transport {
    return 'websocket';
  }

  get state(): ConnectionState {
    return this;
  }

  opened(socket: Socket): void {
    this.socket = socket;
  }

  /**
   * Writes every frame under one cork (one syscall). uWS closes the socket itself past
   * maxBackpressure. One frame is sent as is: uWS corks a lone send itself when no other
   * socket is corked (outside its callbacks, where the downlink writes), so it is the same
   * single write without a closure and a callback into JavaScript per socket.
   */
  send(frames: readonly Uint8Array[]): void {
    // A closed uWS socket throws on any access: `closed` is set by the close handler.
    const socket = this.socket;
    if (this.closed || !socket) return;
    if (frames.length === 1) {
      socket.send(frames[0]!, true);
      return;
    }
    socket.cork(() => {
      for (const frame of frames) socket.send(frame, true);
    });
  }

  close(code: number, reason: string): void {
    if (this.closed || !this.socket) return;
    this.socket.end(code, reason);
  }

  bufferedBytes(): number {
    return this.closed || !this.socket ? 0 : this.socket.getBufferedAmount();
  }
}
