// Which way the next link travels (docs/PROTOCOL.md, "Choosing a transport"): WebSocket
// first; long-polling after WebSocket failed before its welcome twice in a row; short
// polling after long polls were cut short three times in a row; WebSocket tried again
// every websocketRetryMs. Pure decisions over an injected clock: transport.selecting.ts
// does the I/O.
import type { Clock } from './clock';
import type { PollOutcome } from './transport.long-poll';
import type { TransportKind } from './transport';

export interface TransportSelectorOptions {
  /** WebSocket links that fail before their welcome, in a row, before falling back to long-polling (default 2). */
  readonly websocketFailuresBeforeFallback?: number;
  /** Long polls cut short, in a row, before switching to short polling (default 3). */
  readonly cutShortPollsBeforeShortPolling?: number;
  /** While polling, WebSocket is tried again this long after the last try, in ms (default 60 000). */
  readonly websocketRetryMs?: number;
}

export const TRANSPORT_SELECTOR_DEFAULTS = {
  websocketFailuresBeforeFallback: 2,
  cutShortPollsBeforeShortPolling: 3,
  websocketRetryMs: 60_000,
} as const;

export class TransportSelector {
  private current: TransportKind = 'websocket';
  private websocketFailures = 0;
  private cutShortPolls = 0;
  /** When WebSocket was last tried (the fallback itself counts as a try). */
  private websocketTriedAt = 0;
  private readonly failuresBeforeFallback: number;
  private readonly cutShortBeforeShortPolling: number;
  readonly websocketRetryMs: number;

  constructor(
    private readonly clock: Clock,
    options: TransportSelectorOptions = {},
  ) {
    const d = TRANSPORT_SELECTOR_DEFAULTS;
    this.failuresBeforeFallback = options.websocketFailuresBeforeFallback ?? d.websocketFailuresBeforeFallback;
    this.cutShortBeforeShortPolling = options.cutShortPollsBeforeShortPolling ?? d.cutShortPollsBeforeShortPolling;
    this.websocketRetryMs = options.websocketRetryMs ?? d.websocketRetryMs;
  }

  /** The way links travel now: 'websocket' until the fallback, then 'long-poll' or 'short-poll'. */
  get mode(): TransportKind {
    return this.current;
  }

  /** The kind of the next connection attempt: the mode, or WebSocket when its retry is due (the attempt is then that retry). */
  nextAttempt(): TransportKind {
    if (this.current !== 'websocket' && this.websocketRetryDue()) {
      this.websocketTried();
      return 'websocket';
    }
    return this.current;
  }

  websocketRetryDue(): boolean {
    return this.current !== 'websocket' && this.msUntilWebsocketRetry() === 0;
  }

  /** While polling: ms until WebSocket should be tried again (0: now). */
  msUntilWebsocketRetry(): number {
    return Math.max(0, this.websocketTriedAt + this.websocketRetryMs - this.clock.now());
  }

  /** A WebSocket retry starts (a probe beside a polling link, or an attempt). */
  websocketTried(): void {
    this.websocketTriedAt = this.clock.now();
  }

  /** A link of `kind` got its welcome. A WebSocket that works ends the fallback. */
  linkUp(kind: TransportKind): void {
    if (kind !== 'websocket') return;
    this.current = 'websocket';
    this.websocketFailures = 0;
    this.cutShortPolls = 0;
  }

  /** A link of `kind` ended before its welcome (refused upgrade, dropped, no welcome in time). */
  linkFailed(kind: TransportKind): void {
    if (kind !== 'websocket') return;
    if (this.current !== 'websocket') {
      this.websocketTried(); // a retry that failed: keep polling, try again after the interval
      return;
    }
    this.websocketFailures += 1;
    if (this.websocketFailures >= this.failuresBeforeFallback) {
      this.current = 'long-poll';
      this.cutShortPolls = 0;
      this.websocketTried();
    }
  }

  /** How a long poll ended: cut short repeatedly (a proxy that ends held requests) means short polling. */
  pollEnded(outcome: PollOutcome): void {
    if (this.current !== 'long-poll') return;
    if (outcome === 'held') this.cutShortPolls = 0;
    if (outcome !== 'cut-short') return; // a batch says nothing about how long a request may be held
    this.cutShortPolls += 1;
    if (this.cutShortPolls >= this.cutShortBeforeShortPolling) this.current = 'short-poll';
  }
}
