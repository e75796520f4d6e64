// The link one load-test connection speaks the wire protocol over: a WebSocket, or a
// session on the gateway's HTTP long-poll endpoints. The worker's per-connection logic
// (welcome, sends, acks, retransmits, storms) sees only this interface.

/** How a connection reaches its gateway: `/ws`, or `/lp/open`, `/lp/send`, `/lp/recv` (docs/PROTOCOL.md, "HTTP fallback"). */
export type LinkTransport = 'websocket' | 'long-poll';
export const LINK_TRANSPORTS: readonly LinkTransport[] = ['websocket', 'long-poll'];

/**
 * Sockets (open files, source ports) one link holds at most: a WebSocket one; a long-poll
 * session two, its held `recv` and a `send`.
 */
export const SOCKETS_PER_LINK: Readonly<Record<LinkTransport, number>> = { websocket: 1, 'long-poll': 2 };

/** What a link tells its connection. Never called synchronously from the link's constructor. */
export interface LoadLinkEvents {
  /** One protobuf `Frame`, in the order the server sent them. */
  onFrame(frame: Uint8Array): void;
  /** A failure worth counting, by kind: `http:<status>` (a refused open or request) or `socket:<code>`. */
  onError(kind: string): void;
  /**
   * Called once when the link is gone, whoever ended it: the server's close code, or 1006
   * when there was none (a cut, a network failure, a refused open). Nothing follows it.
   */
  onClose(code: number): void;
}

/**
 * One open (or opening) connection to a gateway. A link is used once: after its close,
 * the connection opens a new one (a new WebSocket, a new long-poll session).
 */
export interface LoadLink {
  readonly transport: LinkTransport;
  /**
   * Sends one frame, after the frames sent before it. False, and the frame is dropped, when
   * the link is not open (before its welcome came, or after it closed): as a write to a
   * closed socket, what mattered is sent again after the next welcome.
   */
  send(frame: Uint8Array): boolean;
  /**
   * Ends the link abruptly, as a network cut: no close frame, no `/lp/close`; the server
   * finds out by itself (a WebSocket by its TCP close, a long-poll session by its idle limit).
   * `onClose(1006)` follows asynchronously.
   */
  cut(): void;
  /**
   * Ends the link on purpose, telling the server at once (a WebSocket's TCP close; a
   * long-poll session's `/lp/close`), so its presence ends now rather than at its idle
   * limit. Resolves when the server was told (or the attempt failed); never rejects.
   */
  close(): Promise<void>;
}
