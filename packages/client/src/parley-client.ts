// ParleyClient: one user's session with parley. It owns the connection lifecycle (connect,
// welcome, heartbeat, reconnect with backoff) and hands each frame to the part that decides
// about it: SendQueue (msg:R until ack:N), ReceiveOrder (dedupe and order), OfflineSync (inbox pull).
import {
  asUserId,
  assertNever,
  CloseCode,
  decodeFrame,
  encodeFrame,
  isValidMsgId,
  isValidUserId,
  type FrameInit,
  type parley,
} from '@parley/protocol';
import { FullJitterBackoff } from './backoff';
import { BoundedMap } from './bounded-memory';
import { SystemClock, type Clock, type TimerHandle } from './clock';
import { ClientClosedError, InvalidArgumentError, InvalidOptionError, SendRefusedError } from './errors';
import {
  toAccepted,
  toAckReceipt,
  toOfflinePage,
  toReceivedMessage,
  toServerError,
  toWelcome,
  type AckReceipt,
  type AckStatusName,
  type ReceivedMessage,
  type ServerError,
  type WelcomeInfo,
} from './frames';
import { Heartbeat } from './heartbeat';
import { randomMsgId } from './msg-id';
import { OfflineSync } from './offline-sync';
import { resolveOptions, type ParleyClientOptions, type ResolvedOptions } from './options';
import { ReceiveOrder, type ConversationPosition } from './receive-order';
import { SendQueue, type SendReceipt } from './send-queue';
import type { Transport, TransportFactory } from './transport';
import { FilteredTransport } from './transport.filtered';
import { TypedEmitter } from './typed-emitter';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** Why the link went down: the WebSocket close code (1006 = no close frame, e.g. refused) and reason. */
export interface LinkClosed {
  readonly code: number;
  readonly reason: string;
}

export type ParleyClientEvents = {
  /** A message for us: each one once and, per conversation, in seq order. */
  message: [message: ReceivedMessage];
  /** An ack:N for one of our user's messages; each (msgId, receiver, status) once. */
  ack: [ack: AckReceipt];
  /** The connection state changed; 'disconnected' says why. */
  state: [state: ConnectionState, closed?: LinkClosed];
  /** An error frame from the server (a send it names is also settled: retried or rejected). */
  error: [error: ServerError];
  /** Every welcome, i.e. every successful (re)connection. */
  welcome: [welcome: WelcomeInfo];
};

export interface SendOptions {
  /** Your own msgId (1..64 chars of [A-Za-z0-9_-]), e.g. to re-send a message persisted before a restart. */
  readonly msgId?: string;
}

export interface ClientStats {
  /** msg:R copies sent beyond the first of each message (timeouts, retryable errors, reconnects). */
  readonly retransmits: number;
  /** Incoming messages acked but not delivered again (same position, or same sender and msgId). */
  readonly duplicatesDropped: number;
  /** ack:R frames sent (one per msg:N received, duplicates included). */
  readonly acksSent: number;
  /** Connection attempts scheduled after a lost or failed link. */
  readonly reconnects: number;
  /** Frames that did not decode, lacked a field the client needs, or are not meant for clients. */
  readonly malformedFrames: number;
  /** Sends awaiting msg:A or ack:N. */
  readonly pendingSends: number;
  /** Messages held until a missing seq arrives. */
  readonly bufferedMessages: number;
  /** Live messages held until the offline pull ends. */
  readonly parkedMessages: number;
}

/** One connection attempt's link. Events of a link that is no longer `current` are ignored. */
interface Link {
  readonly transport: Transport;
  welcomed: boolean;
  /** Resolves when the transport reported its close. */
  readonly closed: Promise<void>;
}

/** Distinct (msgId, receiver) pairs whose last ack:N status is remembered. */
const MAX_REMEMBERED_ACKS = 10_000;

/**
 * Sends are queued from the first send() and go out once connected (connect() starts the
 * connection). Pending sends and receive positions live in memory: close() or a crash
 * loses them; persist deliveredPositions() and unsent messages (with their msgIds) to
 * resume. Messages are acked (ack:R) as soon as the client holds them, also while they
 * wait for a gap or for the offline pull to end.
 */
export class ParleyClient extends TypedEmitter<ParleyClientEvents> {
  /** The transport used when options.transportFactory is absent; the package entry point sets the Node one. */
  static defaultTransportFactory: TransportFactory | undefined;

  private readonly options: ResolvedOptions;
  private readonly clock: Clock;
  private readonly makeTransport: TransportFactory;
  private readonly newMsgId: () => string;
  private readonly sendQueue: SendQueue;
  private readonly receiveOrder: ReceiveOrder;
  private readonly offlineSync: OfflineSync;
  private readonly heartbeat: Heartbeat;
  private readonly backoff: FullJitterBackoff;
  private readonly ackStatuses = new BoundedMap<string, AckStatusName>(MAX_REMEMBERED_ACKS);
  private connectWaiters: Array<{ resolve: (welcome: WelcomeInfo) => void; reject: (error: Error) => void }> = [];
  private link: Link | undefined;
  private connectionState: ConnectionState = 'disconnected';
  private lastWelcome: WelcomeInfo | undefined;
  private started = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Bumped per attempt: a token that resolves after its attempt timed out is dropped. */
  private attempts = 0;
  private reconnectTimer: TimerHandle | undefined;
  private connectTimer: TimerHandle | undefined;
  private nextClientSeq = 1;
  private acksSent = 0;
  private reconnects = 0;
  private malformed = 0;

  constructor(options: ParleyClientOptions) {
    super();
    this.options = resolveOptions(options);
    const factory = options.transportFactory ?? ParleyClient.defaultTransportFactory;
    if (!factory) throw new InvalidOptionError('transportFactory', 'required where the entry point sets no default transport');
    const filter = options.filter;
    this.makeTransport = filter ? () => new FilteredTransport(factory(), filter) : factory;
    this.clock = options.clock ?? new SystemClock();
    this.newMsgId = options.newMsgId ?? randomMsgId;
    const o = this.options;
    this.sendQueue = new SendQueue(
      this.clock,
      { retransmitTimeoutMs: o.retransmitTimeoutMs, maxRetransmitTimeoutMs: o.maxRetransmitTimeoutMs, ackTimeoutMs: o.ackTimeoutMs },
      (m) => this.transmit({ msgR: { msgId: m.msgId, toUser: m.toUser, payload: m.payload, clientSeq: m.clientSeq } }),
    );
    this.receiveOrder = new ReceiveOrder(o.receiveLimits);
    this.receiveOrder.restore(o.initialPositions);
    this.offlineSync = new OfflineSync(
      this.clock,
      { retryTimeoutMs: o.retransmitTimeoutMs, maxRetryTimeoutMs: o.maxRetransmitTimeoutMs },
      (limit, cursor) => this.transmit({ offlineR: { limit, cursor } }),
    );
    this.heartbeat = new Heartbeat(this.clock, {
      ping: (nonce) => this.transmit({ ping: { nonce } }),
      dead: () => this.linkDead(),
    });
    this.backoff = new FullJitterBackoff(o.backoff, o.backoff.random);
  }

  get state(): ConnectionState {
    return this.connectionState;
  }

  /** The latest welcome (undefined before the first connection). */
  get welcome(): WelcomeInfo | undefined {
    return this.lastWelcome;
  }

  get stats(): ClientStats {
    return {
      retransmits: this.sendQueue.retransmits,
      duplicatesDropped: this.receiveOrder.duplicatesDropped,
      acksSent: this.acksSent,
      reconnects: this.reconnects,
      malformedFrames: this.malformed,
      pendingSends: this.sendQueue.size,
      bufferedMessages: this.receiveOrder.bufferedCount,
      parkedMessages: this.receiveOrder.parkedCount,
    };
  }

  /**
   * Starts connecting (and keeps reconnecting until close()). Resolves with the first
   * welcome; while the server cannot be reached it keeps waiting, so bound it yourself.
   */
  connect(): Promise<WelcomeInfo> {
    if (this.closed) return Promise.reject(new ClientClosedError('connect() after close()'));
    if (this.link?.welcomed && this.lastWelcome) return Promise.resolve(this.lastWelcome);
    const welcomed = new Promise<WelcomeInfo>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (!this.started) {
      this.started = true;
      this.attempt();
    }
    return welcomed;
  }

  /**
   * Sends `payload` to `toUser`. Resolves on msg:A with where the server stored it; the
   * client keeps re-sending until ack:N (see the 'ack' event). Rejects with
   * SendRefusedError on a non-retryable refusal, ClientClosedError on close().
   */
  send(toUser: string, payload: Uint8Array, options: SendOptions = {}): Promise<SendReceipt> {
    if (this.closed) return Promise.reject(new ClientClosedError('send() after close()'));
    if (!isValidUserId(toUser)) return Promise.reject(new InvalidArgumentError('toUser', `not a user id: ${JSON.stringify(toUser)}`));
    if (!(payload instanceof Uint8Array)) return Promise.reject(new InvalidArgumentError('payload', 'must be a Uint8Array'));
    const msgId = options.msgId ?? this.newMsgId();
    if (!isValidMsgId(msgId)) return Promise.reject(new InvalidArgumentError('msgId', `must be 1..64 chars of [A-Za-z0-9_-]: ${JSON.stringify(msgId)}`));
    if (this.sendQueue.has(msgId)) return Promise.reject(new InvalidArgumentError('msgId', `${msgId} is already in flight`));
    return this.sendQueue.add({ msgId, toUser: asUserId(toUser), payload, clientSeq: this.nextClientSeq++ });
  }

  /** Every conversation's last delivered position: persist it and pass it back as initialPositions. */
  deliveredPositions(): ConversationPosition[] {
    return this.receiveOrder.positions();
  }

  /**
   * Closes the link for good: timers stop, sends still waiting for msg:A reject with
   * ClientClosedError (the ones already accepted are simply no longer watched). Resolves
   * when the transport reported the close.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.clearTimer('reconnectTimer');
    this.clearTimer('connectTimer');
    this.heartbeat.stop();
    this.offlineSync.stop();
    this.sendQueue.goOffline();
    const link = this.link;
    this.link = undefined;
    link?.transport.close(CloseCode.NORMAL, 'client closed');
    this.closing = link ? link.closed : Promise.resolve();
    this.sendQueue.failAll(new ClientClosedError('the send was not accepted yet'));
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.reject(new ClientClosedError('connect() did not complete'));
    this.enter('disconnected', { code: CloseCode.NORMAL, reason: 'client closed' });
    return this.closing;
  }

  // --- connection lifecycle ---------------------------------------------------------------

  private attempt(): void {
    this.reconnectTimer = undefined;
    if (this.closed) return;
    const attempt = ++this.attempts;
    this.enter('connecting');
    if (this.closed) return; // a 'state' listener closed the client
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
        if (!this.closed && this.attempts === attempt) this.openLink(value);
      },
      (err: unknown) => {
        if (!this.closed && this.attempts === attempt) this.attemptFailed(`getToken failed: ${describe(err)}`);
      },
    );
  }

  private openLink(token: string): void {
    const transport = this.makeTransport();
    let reportClosed!: () => void;
    const link: Link = { transport, welcomed: false, closed: new Promise<void>((resolve) => (reportClosed = resolve)) };
    this.link = link;
    const url = `${this.options.url}${this.options.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
    transport.open(url, {
      // The welcome, not the open, makes the link usable: the gateway sends it once the
      // user's presence is registered, so no message pushed from then on can be missed.
      onOpen: () => undefined,
      onMessage: (bytes) => {
        if (this.link === link) this.onFrame(link, bytes);
      },
      onClose: (code, reason) => {
        reportClosed();
        if (this.link === link) this.linkGone({ code, reason });
      },
    });
  }

  /** No welcome (or no token) within connectTimeoutMs. */
  private connectTimedOut(): void {
    this.connectTimer = undefined;
    if (this.closed || this.link?.welcomed) return;
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
    this.clearTimer('connectTimer');
    this.heartbeat.stop();
    this.sendQueue.goOffline();
    this.offlineSync.stop();
    if (!this.closed) {
      const delay = this.backoff.next();
      this.reconnects += 1;
      this.reconnectTimer = this.clock.setTimeout(() => this.attempt(), delay);
    }
    this.enter('disconnected', closed);
  }

  private onWelcome(link: Link, frame: parley.v1.IWelcome): void {
    if (link.welcomed) return; // one welcome per connection; a repeat changes nothing
    link.welcomed = true;
    const welcome = toWelcome(frame);
    this.lastWelcome = welcome;
    this.clearTimer('connectTimer');
    this.backoff.reset();
    this.connectionState = 'connected';
    this.heartbeat.start(welcome.heartbeatIntervalMs > 0 ? welcome.heartbeatIntervalMs : this.options.heartbeatIntervalMs);
    // The inbox pull first, then every pending msg:R in send() order.
    this.receiveOrder.beginSync();
    const pageCap = welcome.maxOfflinePage > 0 ? welcome.maxOfflinePage : this.options.offlinePageSize;
    this.offlineSync.start(Math.min(this.options.offlinePageSize, pageCap));
    this.sendQueue.goOnline();
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.resolve(welcome);
    this.emit('state', 'connected');
    this.emit('welcome', welcome);
  }

  // --- frames -------------------------------------------------------------------------------

  /** Hands one frame to the current link. false when there is no welcomed link (the caller's retry logic covers it). */
  private transmit(frame: FrameInit): boolean {
    const link = this.link;
    if (!link?.welcomed) return false;
    return link.transport.send(encodeFrame(frame));
  }

  private onFrame(link: Link, bytes: Uint8Array): void {
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(bytes);
    } catch {
      this.malformed += 1;
      return;
    }
    this.heartbeat.frameReceived();
    switch (frame.packet) {
      case 'welcome':
        return this.onWelcome(link, frame.welcome!);
      case 'msgA':
        return this.onAccepted(frame.msgA!);
      case 'msgN':
        return this.onNotify(frame.msgN!);
      case 'ackN':
        return this.onAckNotify(frame.ackN!);
      case 'offlineA':
        return this.onOfflineAnswer(frame.offlineA!);
      case 'error':
        return this.onServerError(frame.error!);
      case 'pong': // liveness is all a pong says, and frameReceived recorded it
      case 'ackA': // the server recorded an ack:R; nothing waits for that
        return;
      case 'msgR':
      case 'ackR':
      case 'offlineR':
      case 'offlineackR':
      case 'ping':
        this.malformed += 1; // client-to-server packets: a server never sends them
        return;
      default:
        assertNever(frame.packet);
    }
  }

  private onAccepted(frame: parley.v1.IMsgAccepted): void {
    const accepted = toAccepted(frame);
    if (!accepted) {
      this.malformed += 1;
      return;
    }
    this.sendQueue.accepted(accepted);
    this.deliver(this.receiveOrder.acceptOwn(accepted.conversation, accepted.position));
  }

  private onNotify(frame: parley.v1.IMsgNotify): void {
    const message = toReceivedMessage(frame);
    if (!message) {
      this.malformed += 1;
      return;
    }
    const result = this.receiveOrder.accept(message, 'live');
    // Every copy is acked, duplicates included: the server re-sends until it sees an ack.
    // An overflow is not: the client could not keep it, so the server must send it again.
    if (result.verdict !== 'overflow') {
      this.acksSent += 1;
      this.transmit({ ackR: { conversation: message.conversation, position: message.position } });
    }
    this.deliver(result.deliver);
  }

  private onAckNotify(frame: parley.v1.IAckNotify): void {
    const ack = toAckReceipt(frame);
    if (!ack) {
      this.malformed += 1;
      return;
    }
    this.sendQueue.acknowledged(ack);
    // ack:N reaches all of the sender's connections: for this device it may be the only
    // sign of a seq taken by a message our user sent from another device.
    const released = this.receiveOrder.acceptOwn(ack.conversation, ack.position);
    const key = `${ack.msgId} ${ack.toUser}`;
    const report = this.ackStatuses.get(key) !== ack.status;
    if (report) this.ackStatuses.set(key, ack.status);
    this.deliver(released);
    if (report && !this.closed) this.emit('ack', ack);
  }

  private onOfflineAnswer(frame: parley.v1.IOfflineAnswer): void {
    const page = toOfflinePage(frame);
    this.malformed += page.malformed;
    const refs: parley.v1.IInboxRef[] = [];
    const released: ReceivedMessage[] = [];
    for (const message of page.messages) {
      const result = this.receiveOrder.accept(message, 'offline');
      if (result.verdict !== 'overflow') refs.push({ conversation: message.conversation, position: message.position });
      released.push(...result.deliver);
    }
    // The page's offlineack:R goes before the next offline:R.
    if (refs.length > 0) this.transmit({ offlineackR: { refs } });
    if (this.offlineSync.answered(page.hasMore, page.nextCursor) === 'done') released.push(...this.receiveOrder.endSync());
    this.deliver(released);
  }

  private onServerError(frame: parley.v1.IError): void {
    const error = toServerError(frame);
    if (error.msgId) {
      this.sendQueue.refused(error.msgId, error.retryable, new SendRefusedError(error.msgId, error.code, error.message));
    }
    this.emit('error', error);
  }

  // --- helpers ------------------------------------------------------------------------------

  /** Emits after the protocol work is done, so a listener calling close() cannot cut it short. */
  private deliver(messages: readonly ReceivedMessage[]): void {
    for (const message of messages) {
      if (this.closed) return;
      this.emit('message', message);
    }
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
