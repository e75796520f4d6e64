// The Transport port: one message-oriented link to a gateway (a WebSocket, or HTTP
// long-polling where WebSocket is blocked; an in-memory fake in tests), and the
// TransportFilter test hook. Adapters sit beside it: transport.node-ws.ts (the `ws` package),
// transport.browser-ws.ts (the browser's WebSocket), transport.long-poll.ts (the HTTP
// fallback over fetch), transport.selecting.ts (picks one of those per attempt),
// transport.filtered.ts (applies a filter).
import type { Frame, PacketKind } from '@parley/protocol';

/** What a Transport reports. */
export interface TransportListener {
  /** The link is up; send() works from now on. */
  onOpen(): void;
  /** One whole binary message (one Frame). */
  onMessage(bytes: Uint8Array): void;
  /**
   * The link is gone, or never came up. `code` is the WebSocket close code (1006: no close
   * frame). `refusal`: the gateway answered the opening request with an HTTP error (only when
   * the transport can read it: Node's WebSocket and the long-poll open, never a browser's
   * WebSocket).
   */
  onClose(code: number, reason: string, refusal?: HttpRefusal): void;
  /** The link now travels another way (long-poll → short-poll); see NamedTransport. */
  onKindChange?(kind: TransportKind): void;
}

/** An opening request the gateway answered with an HTTP error (docs/PROTOCOL.md "Connecting"). */
export interface HttpRefusal {
  /** The HTTP status (401, 429, 431, 503, ...). */
  readonly status: number;
  /** The body's `code` (ErrorCode in @parley/protocol), when the body had one. */
  readonly code?: number;
  /** The `Retry-After` header, in ms, when it held a number of seconds. */
  readonly retryAfterMs?: number;
}

/** Reads a refusal from its status, `Retry-After` header and JSON body `{"code", "message"}`. */
export function toHttpRefusal(status: number, retryAfter: string | null | undefined, body: string): HttpRefusal {
  let code: number | undefined;
  try {
    const parsed = JSON.parse(body) as { code?: unknown } | null;
    if (typeof parsed?.code === 'number') code = parsed.code;
  } catch {
    // not JSON: the status alone says what happened
  }
  const seconds = retryAfter != null && /^\s*\d+\s*$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return {
    status,
    ...(code !== undefined ? { code } : {}),
    ...(seconds !== undefined ? { retryAfterMs: seconds * 1000 } : {}),
  };
}

/** How a link travels: one WebSocket, or HTTP requests held by the server (long-poll) or not (short-poll, hold=0 every second). */
export type TransportKind = 'websocket' | 'long-poll' | 'short-poll';

/**
 * Optional capability of a Transport: it says how its link travels, for display (the
 * client's `transport` getter and event). `kind` may change while the link lives; the
 * transport then calls its listener's onKindChange.
 */
export interface NamedTransport {
  readonly kind: TransportKind;
}

export function isNamedTransport(transport: Transport): transport is Transport & NamedTransport {
  return typeof (transport as Partial<NamedTransport>).kind === 'string';
}

/**
 * One link, used once: the client makes a new Transport for every connection attempt.
 *
 * Contract:
 * - `open(url, listener)` is called exactly once. The listener then sees at most one
 *   onOpen, then any number of onMessage (in the peer's order), then exactly one onClose,
 *   also when the link never opened (then without onOpen). Events are never delivered from
 *   inside a call to open/send/close.
 * - `send` returns false (and sends nothing) unless the link is open. true means "handed to
 *   the link", not "received": the protocol's own answers (msg:A, ack:N, pong) say that.
 * - `close(code, reason)` starts closing (code 1000 or 3000..4999); onClose follows,
 *   possibly much later. The client does not wait for it: it treats the link as gone at once.
 */
export interface Transport {
  open(url: string, listener: TransportListener): void;
  send(bytes: Uint8Array): boolean;
  close(code: number, reason: string): void;
}

export type TransportFactory = () => Transport;

/** A decoded frame as the filter sees it: `packet` names its kind. */
export type FilteredFrame = Frame & { packet: PacketKind };

/**
 * Test hook: drops frames on the way, to simulate a lossy network (a lost msg:A, a lost
 * pong). Each function returns false to drop the frame. A dropped outgoing frame is
 * reported as sent, as a frame lost in the network would be. Bytes that do not decode
 * are passed through untouched.
 */
export interface TransportFilter {
  outgoing?(frame: FilteredFrame): boolean;
  incoming?(frame: FilteredFrame): boolean;
}
