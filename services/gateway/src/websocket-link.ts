// ClientLink over a uWebSockets.js WebSocket: a thin adapter; uWS reports the close.
import type * as uws from 'uWebSockets.js';
import type { ClientLink } from './client-link';
import type { ConnectionState } from './connection';

/** What uWS keeps on each WebSocket: the state from the upgrade, and the link made at open. */
export interface SocketData {
  readonly state: ConnectionState;
  link: WebSocketLink | undefined;
}

export type Socket = uws.WebSocket<SocketData>;

export class WebSocketLink implements ClientLink {
  readonly transport = 'websocket';

  constructor(
    private readonly socket: Socket,
    readonly state: ConnectionState,
  ) {}

  /** Writes every frame under one cork (one syscall). uWS closes the socket itself past maxBackpressure. */
  send(frames: readonly Uint8Array[]): void {
    // A closed uWS socket throws on any access: `closed` is set by the close handler.
    if (this.state.closed) return;
    this.socket.cork(() => {
      for (const frame of frames) this.socket.send(frame, true);
    });
  }

  close(code: number, reason: string): void {
    if (this.state.closed) return;
    this.socket.end(code, reason);
  }

  bufferedBytes(): number {
    return this.state.closed ? 0 : this.socket.getBufferedAmount();
  }
}
