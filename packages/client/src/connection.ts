// The connection lifecycle: connect, token, link, welcome, heartbeat, reconnect with
// backoff, close. One link at a time; events of a link that is no longer current are ignored.
import { CloseCode, encodeFrame, type FrameInit, type parley } from '@parley/protocol';
import { FullJitterBackoff } from './backoff';
import type { Clock, TimerHandle } from './clock';
import type { ConnectionState, EmitClientEvent, LinkClosed } from './client-events';
import type { ClientCounters } from './client-stats';
import { ClientClosedError, ConnectionStoppedError } from './errors';
import { toWelcome, type WelcomeInfo } from './frames';
import { Heartbeat } from './heartbeat';
import { linkProblemOf, type LinkProblem } from './link-problems';
import { watchOnline } from './online-signal';
import type { ResolvedOptions } from './options';
import { isNamedTransport, type Transport, type TransportFactory, type TransportKind } from './transport';

/**
 * The most a client closed with 4007 DRAINING waits before reconnecting, in ms: a random
 * delay below it spreads a drained slice over the other gateways, with no backoff.
 */
export const DRAINED_RECONNECT_JITTER_MS = 300;

/** One connection attempt's link. Events of a link that is no longer `current` are ignored. */
export interface Link {
  readonly transport: Transport;
  welcomed: boolean;
  /** Resolves when the transport reported its close. */
  readonly closed: Promise<void>;
}

/** What the other parts read of the connection: whether close() was called, and the latest welcome. */
export interface ConnectionStatus {
  readonly closed: boolean;
  /** The latest welcome (undefined before the first connection). */
  readonly welcome: WelcomeInfo | undefined;
}

/** What the rest of the client does at the link's turning points, each called at its place in the sequence. */
export interface LinkHooks {
  /** A frame (not yet decoded) arrived on the current link. */
  frame(link: Link, bytes: Uint8Array): void;
  /** The link got its welcome: after the heartbeat started, before connect() resolves and 'state' 'connected'. */
  up(welcome: WelcomeInfo): void;
  /** The current link is gone: after the heartbeat stopped, before the reconnect is scheduled. */
  down(): void;
  /** close(): stop the parts' timers, before the link is closed. */
  stop(): void;
  /** close(): fail what still waits (sends, syncs, requests), after the link was closed. */
  fail(): void;
}

export interface ConnectionDeps {
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly makeTransport: TransportFactory;
  readonly counters: ClientCounters;
  readonly emit: EmitClientEvent;
  readonly hooks: LinkHooks;
  /** The device the next link speaks for (sent as `device`). */
  readonly deviceId: () => string;
}

export class Connection implements ConnectionStatus {
  private readonly options: ResolvedOptions;
  private readonly clock: Clock;
  private readonly makeTransport: TransportFactory;
  private readonly counters: ClientCounters;
  private readonly emit: EmitClientEvent;
  private readonly hooks: LinkHooks;
  private readonly deviceId: () => string;
  private readonly heartbeat: Heartbeat;
  private readonly backoff: FullJitterBackoff;
  private connectWaiters: Array<{ resolve: (welcome: WelcomeInfo) => void; reject: (error: Error) => void }> = [];
  private link: Link | undefined;
  private connectionState: ConnectionState = 'disconnected';
  private lastWelcome: WelcomeInfo | undefined;
  private transportKind: TransportKind | undefined;
  private stopWatchingOnline: (() => void) | undefined;
  private started = false;
  private closedForGood = false;
  private closing: Promise<void> | undefined;
  /** Bumped per attempt: a token that resolves after its attempt timed out is dropped. */
  private attempts = 0;
  private reconnectTimer: TimerHandle | undefined;
  /** No reconnect before this time (Retry-After, flood), not even when the network comes back. */
  private holdUntil = 0;
  /** Token refusals since the last welcome: the first gets one attempt with a fresh token, the second stops the client. */
  private tokenRefusals = 0;
  private connectTimer: TimerHandle | undefined;
  /** Which of options.urls the next attempt uses: the next one after a gateway drained. */
  private urlIndex = 0;

  constructor(deps: ConnectionDeps) {
    this.options = deps.options;
    this.clock = deps.clock;
    this.makeTransport = deps.makeTransport;
    this.counters = deps.counters;
    this.emit = deps.emit;
    this.hooks = deps.hooks;
    this.deviceId = deps.deviceId;
    this.heartbeat = new Heartbeat(this.clock, {
      ping: (nonce) => this.transmit({ ping: { nonce } }),
      dead: () => this.linkDead(),
    });
    this.backoff = new FullJitterBackoff(this.options.backoff, this.options.backoff.random);
  }

  get state(): ConnectionState {
    return this.connectionState;
  }

  /** How the welcomed link travels; undefined while not connected. */
  get transport(): TransportKind | undefined {
    return this.transportKind;
  }

  get welcome(): WelcomeInfo | undefined {
    return this.lastWelcome;
  }

  /** close() was called. */
  get closed(): boolean {
    return this.closedForGood;
  }

  /** Starts connecting (and reconnecting until close()); resolves with the first welcome. */
  connect(): Promise<WelcomeInfo> {
    if (this.closedForGood) return Promise.reject(new ClientClosedError('connect() after close()'));
    if (this.link?.welcomed && this.lastWelcome) return Promise.resolve(this.lastWelcome);
    const welcomed = new Promise<WelcomeInfo>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (!this.started) {
      this.started = true;
      this.backoff.reset();
      this.tokenRefusals = 0;
      this.stopWatchingOnline = watchOnline(() => this.onlineAgain());
      this.attempt();
    }
    return welcomed;
  }

  /** Closes the link for good; resolves when the transport reported the close. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closedForGood = true;
    this.stopWatchingOnline?.();
    this.transportKind = undefined;
    this.clearTimer('reconnectTimer');
    this.clearTimer('connectTimer');
    this.heartbeat.stop();
    this.hooks.stop();
    const link = this.link;
    this.link = undefined;
    link?.transport.close(CloseCode.NORMAL, 'client closed');
    this.closing = link ? link.closed : Promise.resolve();
    this.hooks.fail();
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.reject(new ClientClosedError('connect() did not complete'));
    this.enter('disconnected', { code: CloseCode.NORMAL, reason: 'client closed' });
    return this.closing;
  }

  /** Hands one frame to the current link. false when there is no welcomed link (the caller's retry logic covers it). */
  transmit(frame: FrameInit): boolean {
    const link = this.link;
    if (!link?.welcomed) return false;
    return link.transport.send(encodeFrame(frame));
  }

  /** Ends the current link and reconnects (after the usual backoff): the next link speaks for the device as it is then. */
  restart(reason: string): void {
    if (this.link) this.dropLink(this.link, CloseCode.NORMAL, reason);
  }

  /** A frame decoded: any frame is a sign of life for the heartbeat. */
  frameReceived(): void {
    this.heartbeat.frameReceived();
  }

  /** The link's welcome frame: the link becomes usable (a repeat changes nothing). */
  welcomed(link: Link, frame: parley.v1.IWelcome): void {
    if (link.welcomed) return; // one welcome per connection; a repeat changes nothing
    link.welcomed = true;
    const welcome = toWelcome(frame);
    this.lastWelcome = welcome;
    this.clearTimer('connectTimer');
    this.backoff.reset();
    this.tokenRefusals = 0;
    this.connectionState = 'connected';
    this.heartbeat.start(welcome.heartbeatIntervalMs > 0 ? welcome.heartbeatIntervalMs : this.options.heartbeatIntervalMs);
    this.hooks.up(welcome);
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.resolve(welcome);
    this.transportKind = isNamedTransport(link.transport) ? link.transport.kind : 'websocket';
    this.emit('transport', this.transportKind);
    this.emit('state', 'connected');
    this.emit('welcome', welcome);
  }

  private attempt(): void {
    this.reconnectTimer = undefined;
    if (this.closedForGood) return;
    const attempt = ++this.attempts;
    this.enter('connecting');
    if (this.closedForGood) return; // a 'state' listener closed the client
    this.connectTimer = this.clock.setTimeout(() => this.connectTimedOut(), this.options.connectTimeoutMs);
    let token: string | Promise<string>;
    try {
      token = this.options.getToken();
    } catch (err) {
      this.attemptFailed(`getToken failed: ${describe(err)}`);
      return;
    }
    Promise.resolve(token).then(
      (value) => {
        if (!this.closedForGood && this.attempts === attempt) this.openLink(value);
      },
      (err: unknown) => {
        if (!this.closedForGood && this.attempts === attempt) this.attemptFailed(`getToken failed: ${describe(err)}`);
      },
    );
  }

  private openLink(token: string): void {
    const transport = this.makeTransport();
    let reportClosed!: () => void;
    const link: Link = { transport, welcomed: false, closed: new Promise<void>((resolve) => (reportClosed = resolve)) };
    this.link = link;
    const query = `token=${encodeURIComponent(token)}&device=${encodeURIComponent(this.deviceId())}`;
    const base = this.options.urls[this.urlIndex] ?? this.options.url;
    const url = `${base}${base.includes('?') ? '&' : '?'}${query}`;
    transport.open(url, {
      // The welcome, not the open, makes the link usable: the gateway sends it once the
      // user's presence is registered, so no message pushed from then on can be missed.
      onOpen: () => undefined,
      onMessage: (bytes) => {
        if (this.link === link) this.hooks.frame(link, bytes);
      },
      onKindChange: (kind) => {
        if (this.link !== link || !link.welcomed || this.transportKind === kind) return;
        this.transportKind = kind;
        this.emit('transport', kind);
      },
      onClose: (code, reason, refusal) => {
        reportClosed();
        if (this.link === link) this.linkGone(refusal ? { code, reason, refusal } : { code, reason });
      },
    });
  }

  /** The host's network came back (browsers): a reconnect waiting out its backoff starts now. */
  private onlineAgain(): void {
    if (this.closedForGood || !this.reconnectTimer || this.clock.now() < this.holdUntil) return;
    this.clearTimer('reconnectTimer');
    this.backoff.reset();
    this.attempt();
  }

  /** No welcome (or no token) within connectTimeoutMs. */
  private connectTimedOut(): void {
    this.connectTimer = undefined;
    if (this.closedForGood || this.link?.welcomed) return;
    this.attempts += 1; // a token still on its way belongs to this abandoned attempt
    if (this.link) this.dropLink(this.link, CloseCode.NORMAL, 'no welcome in time');
    else this.attemptFailed('no token in time');
  }

  /** The heartbeat found the link silent: close it without waiting for the peer and reconnect. */
  private linkDead(): void {
    if (this.link) this.dropLink(this.link, CloseCode.HEARTBEAT_TIMEOUT, 'no frame since the last ping');
  }

  private dropLink(link: Link, code: number, reason: string): void {
    this.link = undefined;
    link.transport.close(code, reason);
    this.linkGone({ code, reason });
  }

  private attemptFailed(reason: string): void {
    this.linkGone({ code: 1006, reason });
  }

  /** The current link is gone (or never came up): stop its timers, then reconnect after a backoff delay. */
  private linkGone(closed: LinkClosed): void {
    this.link = undefined;
    this.transportKind = undefined;
    this.clearTimer('connectTimer');
    this.heartbeat.stop();
    this.hooks.down();
    if (this.closedForGood) {
      this.enter('disconnected', closed);
      return;
    }
    if (closed.code === CloseCode.DRAINING && !closed.refusal) {
      // The gateway is going away on purpose (PROTOCOL.md "Draining"): another one, now, and
      // a failure after this starts from the base backoff delay.
      this.urlIndex = (this.urlIndex + 1) % this.options.urls.length;
      this.backoff.reset();
      this.counters.reconnects += 1;
      this.reconnectTimer = this.clock.setTimeout(() => this.attempt(), Math.floor(this.options.backoff.random() * DRAINED_RECONNECT_JITTER_MS));
      this.enter('disconnected', closed);
      return;
    }
    const problem = linkProblemOf(closed);
    const delay = this.reconnectDelay(problem?.kind, closed.refusal?.retryAfterMs);
    if (delay !== undefined) {
      this.counters.reconnects += 1;
      this.reconnectTimer = this.clock.setTimeout(() => this.attempt(), delay);
    } else {
      this.stop(problem?.kind === 'replaced' ? 'replaced' : 'token-rejected', closed.reason);
    }
    if (problem) {
      const event: LinkProblem = {
        ...problem,
        reason: closed.reason,
        ...(delay !== undefined ? { retryInMs: delay } : {}),
      };
      this.emit('linkProblem', event);
    }
    this.enter('disconnected', closed);
  }

  /** The wait before the next attempt; undefined: no automatic reconnect. */
  private reconnectDelay(kind: LinkProblem['kind'] | undefined, retryAfterMs: number | undefined): number | undefined {
    const { maxDelayMs } = this.options.backoff;
    switch (kind) {
      case 'replaced':
        // Another live copy of this device took over: reconnecting would replace it in turn.
        return undefined;
      case 'token-rejected':
        // The next attempt asks getToken() again; a second refusal before a welcome stops.
        this.tokenRefusals += 1;
        return this.tokenRefusals === 1 ? 0 : undefined;
      case 'connect-rate-limited': {
        // Never sooner than Retry-After (unknown when a browser could not read it: the longest
        // backoff instead), plus the usual jitter so the refused clients spread out.
        const wait = retryAfterMs ?? maxDelayMs;
        return this.hold(wait + this.backoff.next());
      }
      case 'flood':
        return this.hold(maxDelayMs + this.backoff.next());
      default:
        // Ordinary failures, the connection limit and client bugs: exponential, capped, jittered.
        return this.backoff.next();
    }
  }

  private hold(delay: number): number {
    this.holdUntil = this.clock.now() + delay;
    return delay;
  }

  /** Stops reconnecting until connect() is called again; what waits for connect() is told why. */
  private stop(problem: 'replaced' | 'token-rejected', reason: string): void {
    this.started = false;
    this.stopWatchingOnline?.();
    this.stopWatchingOnline = undefined;
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    const error = new ConnectionStoppedError(problem, reason);
    for (const waiter of waiters) waiter.reject(error);
  }

  private enter(state: ConnectionState, closed?: LinkClosed): void {
    if (this.connectionState === state) return;
    this.connectionState = state;
    if (closed) this.emit('state', state, closed);
    else this.emit('state', state);
  }

  private clearTimer(name: 'reconnectTimer' | 'connectTimer'): void {
    const timer = this[name];
    if (timer) this.clock.clearTimeout(timer);
    this[name] = undefined;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
