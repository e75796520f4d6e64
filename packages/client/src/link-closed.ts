// How a link went down, as the client's events and its reconnect decision see it.
import type { HttpRefusal } from './transport';

/** Why the link went down: the WebSocket close code (1006 = no close frame, e.g. refused) and reason. */
export interface LinkClosed {
  readonly code: number;
  readonly reason: string;
  /** The gateway refused the opening request with this HTTP answer (not known to a browser's WebSocket). */
  readonly refusal?: HttpRefusal;
}
