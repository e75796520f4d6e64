// A Transport that picks, per connection attempt, how the link travels (TransportSelector:
// WebSocket, long-polling or short polling), and while polling probes WebSocket every
// websocketRetryMs: when a probe reaches its welcome, the polling link is closed and the
// client's reconnect comes back on a WebSocket. Moving is a reconnect, so the client's send
// queue, positions and dedupe make it lossless (docs/PROTOCOL.md, "Choosing a transport").
import { SystemClock, type Clock, type TimerHandle } from './clock';
import { isNamedTransport, type NamedTransport, type Transport, type TransportFactory, type TransportKind, type TransportListener } from './transport';
import { LongPollTransport, type LongPollTransportOptions } from './transport.long-poll';
import { TransportSelector, type TransportSelectorOptions } from './transport-selector';

export interface SelectingTransportOptions extends TransportSelectorOptions {
  /** Makes WebSocket links (the client's attempts and the probes). */
  readonly websocket: TransportFactory;
  /** Options of the long-poll links (mode and onPollEnded are the selector's). */
  readonly longPoll?: Omit<LongPollTransportOptions, 'mode' | 'onPollEnded'>;
  /** Makes a long-poll link from its options (default: a LongPollTransport; tests swap it). */
  readonly longPollFactory?: (options: LongPollTransportOptions) => Transport;
  /** Default: SystemClock. */
  readonly clock?: Clock;
}

/** A TransportFactory whose links share one TransportSelector (exposed for display and tests). */
export type SelectingTransportFactory = TransportFactory & { readonly selector: TransportSelector };

export function selectingTransportFactory(options: SelectingTransportOptions): SelectingTransportFactory {
  const clock = options.clock ?? new SystemClock();
  const selector = new TransportSelector(clock, options);
  const factory = () => new SelectingTransport(selector, clock, options);
  return Object.assign(factory, { selector });
}

export class SelectingTransport implements Transport, NamedTransport {
  private inner: Transport | undefined;
  private innerKind: TransportKind = 'websocket';
  private welcomed = false;
  private closed = false;
  private url = '';
  private probe: Transport | undefined;
  private probeTimer: TimerHandle | undefined;

  constructor(
    private readonly selector: TransportSelector,
    private readonly clock: Clock,
    private readonly options: SelectingTransportOptions,
  ) {}

  get kind(): TransportKind {
    return this.inner && isNamedTransport(this.inner) ? this.inner.kind : this.innerKind;
  }

  open(url: string, listener: TransportListener): void {
    this.url = url;
    const kind = this.selector.nextAttempt();
    this.innerKind = kind;
    const inner = kind === 'websocket' ? this.options.websocket() : this.makeLongPoll();
    this.inner = inner;
    inner.open(url, {
      onOpen: () => listener.onOpen(),
      onMessage: (bytes) => {
        // The first frame of every link is the welcome.
        if (!this.welcomed) {
          this.welcomed = true;
          this.selector.linkUp(kind);
          if (kind !== 'websocket') this.armProbe();
        }
        listener.onMessage(bytes);
      },
      onKindChange: (changed) => listener.onKindChange?.(changed),
      onClose: (code, reason, refusal) => {
        this.stopProbe();
        // An HTTP refusal (429, 401, ...) came from the gateway: this transport gets through.
        if (!this.welcomed && !refusal) this.selector.linkFailed(kind);
        listener.onClose(code, reason, refusal);
      },
    });
  }

  send(bytes: Uint8Array): boolean {
    return this.inner?.send(bytes) ?? false;
  }

  close(code: number, reason: string): void {
    this.closed = true;
    this.stopProbe();
    this.inner?.close(code, reason);
  }

  private makeLongPoll(): Transport {
    const selector = this.selector;
    const options: LongPollTransportOptions = {
      ...this.options.longPoll,
      clock: this.options.longPoll?.clock ?? this.clock,
      mode: () => (selector.mode === 'short-poll' ? 'short' : 'long'),
      onPollEnded: (outcome) => selector.pollEnded(outcome),
    };
    return this.options.longPollFactory ? this.options.longPollFactory(options) : new LongPollTransport(options);
  }

  // --- WebSocket probes while polling ---------------------------------------------------------

  private armProbe(): void {
    if (this.closed) return;
    this.probeTimer = this.clock.setTimeout(() => this.startProbe(), this.selector.msUntilWebsocketRetry());
  }

  /**
   * A WebSocket beside the polling link, with the same token: its welcome proves WebSocket
   * works. It lives a moment only; what the server pushed to it is pushed to the polling
   * link too, and 1:1 messages it did not ack go back to the inbox.
   */
  private startProbe(): void {
    this.probeTimer = undefined;
    if (this.closed) return;
    this.selector.websocketTried();
    const probe = this.options.websocket();
    this.probe = probe;
    let welcomed = false;
    probe.open(this.url, {
      onOpen: () => undefined,
      onMessage: () => {
        if (welcomed) return;
        welcomed = true;
        this.probe = undefined;
        probe.close(1000, 'transport probe');
        if (this.closed) return;
        this.selector.linkUp('websocket');
        // The client sees this link end and reconnects; the selector now says WebSocket.
        this.inner?.close(1000, 'WebSocket works again');
      },
      onClose: () => {
        if (this.probe === probe) this.probe = undefined;
        if (welcomed || this.closed) return;
        this.selector.linkFailed('websocket');
        this.armProbe();
      },
    });
  }

  private stopProbe(): void {
    if (this.probeTimer) this.clock.clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    const probe = this.probe;
    this.probe = undefined;
    probe?.close(1000, 'transport probe');
  }
}
