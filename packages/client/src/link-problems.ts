// Refusals and closes that say something about this client rather than the network: the
// gateway's abuse limits (docs/PROTOCOL.md "Connecting", "Close codes", "Limits"), a token it
// will not take, and frames it could not read. Each is named for the application and decides
// how the client reconnects (connection.ts applies the delay).
import { CloseCode, ErrorCode } from '@parley/protocol';
import type { LinkClosed } from './link-closed';

export type LinkProblemKind =
  /** HTTP 429 `CONNECTION_LIMIT`: the user holds the most connections one gateway allows. Reconnects with exponential backoff. */
  | 'connection-limit'
  /** HTTP 429 `CONNECT_RATE_LIMITED`: too many attempts. Reconnects no sooner than `Retry-After`, jittered. */
  | 'connect-rate-limited'
  /** HTTP 401 (2001..2003) or 431 `TOKEN_TOO_LARGE`: one more attempt with a fresh getToken(), then the client stops. */
  | 'token-rejected'
  /** Close 4006 `REPLACED`: a newer connection of this device took over. The client stops (no automatic reconnect). */
  | 'replaced'
  /** Close 4005 `FLOOD`: too many frames for too long. Reconnects after a longer delay. */
  | 'flood'
  /** Close 1009 (frame too big) or 1003 (text frame): the client sent what the server cannot read. Reconnects with backoff. */
  | 'client-bug';

/** What the 'linkProblem' event carries. */
export interface LinkProblem {
  readonly kind: LinkProblemKind;
  /** The server's error code from the HTTP refusal (2006, 2007, 2001..2003, 2008), or the close code (4006, 4005, 1009, 1003). */
  readonly code: number;
  /** The HTTP status of a refused opening request (429, 401, 431). */
  readonly httpStatus?: number;
  /** In how many ms the client tries again by itself; undefined: it does not (call connect() again). */
  readonly retryInMs?: number;
  /** The close reason or the refusal's status and body, for logs. */
  readonly reason: string;
}

/** Names the problem behind a link's end, or undefined for an ordinary failure (network, restart, timeout). */
export function linkProblemOf(closed: LinkClosed): { kind: LinkProblemKind; code: number; httpStatus?: number } | undefined {
  const refusal = closed.refusal;
  if (refusal) {
    const { status, code } = refusal;
    if (code === ErrorCode.CONNECT_RATE_LIMITED) return { kind: 'connect-rate-limited', code, httpStatus: status };
    if (code === ErrorCode.CONNECTION_LIMIT) return { kind: 'connection-limit', code, httpStatus: status };
    // A 429 whose body was unreadable: the safer reading (wait, never sooner than asked).
    if (status === 429) return { kind: 'connect-rate-limited', code: code ?? ErrorCode.CONNECT_RATE_LIMITED, httpStatus: status };
    if (status === 401 || status === 431) return { kind: 'token-rejected', code: code ?? 0, httpStatus: status };
    return undefined;
  }
  switch (closed.code) {
    case CloseCode.REPLACED:
      return { kind: 'replaced', code: closed.code };
    case CloseCode.FLOOD:
      return { kind: 'flood', code: closed.code };
    case CloseCode.MESSAGE_TOO_BIG:
    case CloseCode.UNSUPPORTED_DATA:
      return { kind: 'client-bug', code: closed.code };
    default:
      return undefined;
  }
}
