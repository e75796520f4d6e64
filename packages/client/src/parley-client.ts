// ParleyClient: one user's session with parley. It owns the connection lifecycle (connect,
// welcome, heartbeat, reconnect with backoff) and the public API, and hands each frame to the
// part that decides about it: SendQueue (msg:R until ack:N), ReceiveOrder (dedupe, order,
// resets), OfflineSync (inbox pull), ConversationSync and GapWatch (sync by seq),
// GroupAcks (cumulative group acks), PendingRequests (group, sync, conversations requests).
import {
  asConversationId,
  asEpoch,
  asUserId,
  assertNever,
  CloseCode,
  decodeFrame,
  directMembers,
  directPeer,
  encodeFrame,
  ErrorCode,
  groupConversationId,
  isGroupConversation,
  isValidGroupId,
  isValidMsgId,
  isValidUserId,
  type ConversationId,
  type FrameInit,
  type parley,
} from '@parley/protocol';
import { FullJitterBackoff } from './backoff';
import { BoundedMap } from './bounded-memory';
import { SystemClock, type Clock, type TimerHandle } from './clock';
import { ConversationSync } from './conversation-sync';
import { ClientClosedError, InvalidArgumentError, InvalidOptionError, RequestRefusedError, SendRefusedError } from './errors';
import {
  toAccepted,
  toAckReceipt,
  toConversationList,
  toGroupInfo,
  toOfflinePage,
  toReceivedMessage,
  toServerError,
  toSyncPage,
  toWelcome,
  type AckReceipt,
  type AckStatusName,
  type ConversationSummary,
  type GroupInfo,
  type Position,
  type ReceivedMessage,
  type ServerError,
  type SyncPage,
  type WelcomeInfo,
} from './frames';
import { GapWatch } from './gap-watch';
import { GroupAcks } from './group-acks';
import { Heartbeat } from './heartbeat';
import { randomMsgId } from './msg-id';
import { OfflineSync } from './offline-sync';
import { watchOnline } from './online-signal';
import { resolveOptions, type ParleyClientOptions, type ResolvedOptions } from './options';
import { PendingRequests, type RequestRetry } from './pending-requests';
import { ReceiveOrder, type ConversationPosition, type ConversationReset, type Delivery } from './receive-order';
import { SendQueue, type Recipient, type SendReceipt } from './send-queue';
import { isNamedTransport, type Transport, type TransportFactory, type TransportKind } from './transport';
import { FilteredTransport } from './transport.filtered';
import { TypedEmitter } from './typed-emitter';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** Why the link went down: the WebSocket close code (1006 = no close frame, e.g. refused) and reason. */
export interface LinkClosed {
  readonly code: number;
  readonly reason: string;
}

export type ParleyClientEvents = {
  /**
   * A message for us, or one our user sent from another device: each one once and, per
   * conversation, in seq order (messages sent from this device are not repeated here).
   */
  message: [message: ReceivedMessage];
  /**
   * A break in a conversation's order, in its place among the 'message' events: messages
   * after `from` up to `to` will not come (new epoch, history past retention, or gone).
   * Show it; the conversation continues after `to`.
   */
  reset: [reset: ConversationReset];
  /** An ack:N for one of our user's messages; each (msgId, receiver, status) once. */
  ack: [ack: AckReceipt];
  /**
   * The connection state changed; 'disconnected' says why. On 'connected', `transport`
   * already names the link's kind ('websocket', 'long-poll', 'short-poll').
   */
  state: [state: ConnectionState, closed?: LinkClosed];
  /** The link in use travels this way: on every welcome (before 'state' 'connected'), and when a live link changes (long-poll → short-poll). */
  transport: [transport: TransportKind];
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
  /** ack:R frames sent (1:1: one per msg:N received, duplicates included; groups: cumulative, at most one per conversation per groupAckIntervalMs). */
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
  /** Group, sync and conversations requests waiting for their answer. */
  readonly pendingRequests: number;
  /** Conversations being synced (sync:R) or waiting for their turn. */
  readonly activeSyncs: number;
}

/** Members to add to and remove from a group. */
export interface MemberChange {
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
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
 * Sends and requests are queued from the first call and go out once connected (connect()
 * starts the connection). Pending sends and receive positions live in memory: close() or a
 * crash loses them; persist deliveredPositions() and unsent messages (with their msgIds) to
 * resume. 1:1 messages are acked (ack:R) as soon as the client holds them, also while they
 * wait for a gap or for the offline pull to end; group messages are acked cumulatively, up
 * to the last seq delivered without a gap. After every welcome each conversation with a
 * position is synced (sync:R) from it; a gap still open after gapGraceMs is synced too.
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
  private readonly requests: PendingRequests;
  private readonly conversationSync: ConversationSync;
  private readonly gapWatch: GapWatch;
  private readonly groupAcks: GroupAcks;
  private readonly heartbeat: Heartbeat;
  private readonly backoff: FullJitterBackoff;
  private readonly ackStatuses = new BoundedMap<string, AckStatusName>(MAX_REMEMBERED_ACKS);
  private connectWaiters: Array<{ resolve: (welcome: WelcomeInfo) => void; reject: (error: Error) => void }> = [];
  private link: Link | undefined;
  private connectionState: ConnectionState = 'disconnected';
  private lastWelcome: WelcomeInfo | undefined;
  private transportKind: TransportKind | undefined;
  private stopWatchingOnline: (() => void) | undefined;
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
      (m) =>
        this.transmit({
          msgR: { msgId: m.msgId, toUser: m.toUser ?? '', conversation: m.conversation ?? '', payload: m.payload, clientSeq: m.clientSeq },
        }),
    );
    this.receiveOrder = new ReceiveOrder(o.receiveLimits);
    this.receiveOrder.restore(o.initialPositions);
    this.offlineSync = new OfflineSync(
      this.clock,
      { retryTimeoutMs: o.retransmitTimeoutMs, maxRetryTimeoutMs: o.maxRetransmitTimeoutMs },
      (limit, cursor) => this.transmit({ offlineR: { limit, cursor } }),
    );
    this.requests = new PendingRequests(
      this.clock,
      { retransmitTimeoutMs: o.retransmitTimeoutMs, maxRetransmitTimeoutMs: o.maxRetransmitTimeoutMs },
      (frame) => this.transmit(frame),
      `q${randomMsgId().slice(0, 8)}-`,
    );
    this.conversationSync = new ConversationSync(o.maxConcurrentSyncs, {
      requestPage: (conversation, after) => this.requestSyncPage(conversation, after),
    });
    this.gapWatch = new GapWatch(this.clock, { graceMs: o.gapGraceMs, syncThreshold: o.gapSyncThreshold }, (conversation) =>
      this.conversationSync.start(conversation, 'gap'),
    );
    this.groupAcks = new GroupAcks(this.clock, o.groupAckIntervalMs, o.receiveLimits.maxConversations, (conversation, position) => {
      const sent = this.transmit({ ackR: { conversation, position } });
      if (sent) this.acksSent += 1;
      return sent;
    });
    this.heartbeat = new Heartbeat(this.clock, {
      ping: (nonce) => this.transmit({ ping: { nonce } }),
      dead: () => this.linkDead(),
    });
    this.backoff = new FullJitterBackoff(o.backoff, o.backoff.random);
  }

  get state(): ConnectionState {
    return this.connectionState;
  }

  /** How the welcomed link travels: 'websocket', 'long-poll' or 'short-poll'; undefined while not connected. */
  get transport(): TransportKind | undefined {
    return this.transportKind;
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
      pendingRequests: this.requests.size,
      activeSyncs: this.conversationSync.running + this.conversationSync.queued,
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
      this.stopWatchingOnline = watchOnline(() => this.onlineAgain());
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
    return this.enqueue({ toUser: asUserId(toUser) }, payload, options);
  }

  /**
   * Sends `payload` to a conversation: a group (`g:<group id>`, we must be a member) or a
   * 1:1 conversation (`d:<a>:<b>`, sent to its other member: needs our user id, so only
   * after the first welcome). Settles like send(); a group message's ack:N is a single
   * QUEUED one (stored, pushed to every online member, in every offline member's inbox).
   */
  sendToConversation(conversation: string, payload: Uint8Array, options: SendOptions = {}): Promise<SendReceipt> {
    if (this.closed) return Promise.reject(new ClientClosedError('sendToConversation() after close()'));
    if (isGroupConversation(conversation)) return this.enqueue({ conversation: asConversationId(conversation) }, payload, options);
    if (!directMembers(asConversationId(conversation))) {
      return Promise.reject(new InvalidArgumentError('conversation', `not a conversation id: ${JSON.stringify(conversation)}`));
    }
    const me = this.lastWelcome?.userId;
    if (!me) return Promise.reject(new InvalidArgumentError('conversation', 'a 1:1 id needs our user id from the welcome: connect first, or use send(toUser)'));
    const peer = directPeer(asConversationId(conversation), me);
    if (!peer) return Promise.reject(new InvalidArgumentError('conversation', `${me} is not a member of ${conversation}`));
    return this.send(peer, payload, options);
  }

  /**
   * Creates group `groupId` with us and `members` as members. Resolves with the members.
   * A create whose answer was lost with the link is sent once more after the next welcome;
   * if that copy is refused with GROUP_EXISTS, the first one probably created the group, so
   * the members are listed and returned (a group that someone else created and we are a
   * member of is taken for ours). Rejects with RequestRefusedError (GROUP_EXISTS,
   * INVALID_FIELD, ...), RequestTimeoutError, RequestInterruptedError or ClientClosedError.
   */
  createGroup(groupId: string, members: readonly string[]): Promise<GroupInfo> {
    if (this.closed) return Promise.reject(new ClientClosedError('createGroup() after close()'));
    if (!isValidGroupId(groupId)) return Promise.reject(new InvalidArgumentError('groupId', `must be 1..64 chars of [A-Za-z0-9_-]: ${JSON.stringify(groupId)}`));
    const invalid = invalidUser(members);
    if (invalid !== undefined) return Promise.reject(new InvalidArgumentError('members', `not a user id: ${JSON.stringify(invalid)}`));
    const conversation = groupConversationId(groupId);
    return new Promise<GroupInfo>((resolve, reject) => {
      this.requests.issue({
        expects: 'group',
        retry: 'once',
        deadlineMs: this.options.requestTimeoutMs,
        frame: (requestId) => ({ groupR: { requestId, create: { groupId, members: [...members] } } }),
        onAnswer: resolve,
        onFailure: (error, copies) => {
          const ownCreateFirst = copies > 1 && error instanceof RequestRefusedError && error.serverCode === ErrorCode.GROUP_EXISTS;
          if (ownCreateFirst) this.listMembers(conversation).then(resolve, () => reject(error));
          else reject(error);
        },
      });
    });
  }

  /**
   * Adds and removes members (only members may). Resolves with the members after the
   * change. Sent once more after a reconnect if its answer was lost; rejects like
   * createGroup (NOT_A_MEMBER, GROUP_LIMIT when it would leave no member or too many).
   */
  changeMembers(conversation: string, change: MemberChange): Promise<GroupInfo> {
    if (this.closed) return Promise.reject(new ClientClosedError('changeMembers() after close()'));
    if (!isGroupConversation(conversation)) return Promise.reject(new InvalidArgumentError('conversation', `not a group conversation id: ${JSON.stringify(conversation)}`));
    const add = [...(change.add ?? [])];
    const remove = [...(change.remove ?? [])];
    const invalid = invalidUser([...add, ...remove]);
    if (invalid !== undefined) return Promise.reject(new InvalidArgumentError('change', `not a user id: ${JSON.stringify(invalid)}`));
    return this.groupRequest('once', (requestId) => ({ groupR: { requestId, change: { conversation, add, remove } } }));
  }

  /** The group's members (only members may ask). Re-asked until answered or requestTimeoutMs. */
  listMembers(conversation: string): Promise<GroupInfo> {
    if (this.closed) return Promise.reject(new ClientClosedError('listMembers() after close()'));
    if (!isGroupConversation(conversation)) return Promise.reject(new InvalidArgumentError('conversation', `not a group conversation id: ${JSON.stringify(conversation)}`));
    return this.groupRequest('idempotent', (requestId) => ({ groupR: { requestId, list: { conversation } } }));
  }

  /**
   * Our conversations, most recent activity first (limit 0: the server's default of 100),
   * with each one's latest position and the position our user acked: `latest.seq -
   * acked.seq` unread when both are of the same epoch.
   */
  conversations(limit = 0): Promise<ConversationSummary[]> {
    if (this.closed) return Promise.reject(new ClientClosedError('conversations() after close()'));
    if (!Number.isSafeInteger(limit) || limit < 0) return Promise.reject(new InvalidArgumentError('limit', `must be a whole number >= 0, got ${String(limit)}`));
    return new Promise<ConversationSummary[]>((resolve, reject) => {
      this.requests.issue({
        expects: 'conversations',
        retry: 'idempotent',
        deadlineMs: this.options.requestTimeoutMs,
        frame: (requestId) => ({ conversationsR: { requestId, limit } }),
        onAnswer: resolve,
        onFailure: reject,
      });
    });
  }

  /**
   * Syncs a conversation now (sync:R from its delivered position, page by page until the
   * server's latest); what it brings is delivered as 'message' and 'reset' events. Joins a
   * sync of it already running. Resolves when done, reconnects included (bound it yourself);
   * rejects with RequestRefusedError (e.g. NOT_A_MEMBER) or ClientClosedError.
   */
  sync(conversation: string): Promise<void> {
    if (this.closed) return Promise.reject(new ClientClosedError('sync() after close()'));
    const id = asConversationId(conversation);
    if (!isGroupConversation(id) && !directMembers(id)) {
      return Promise.reject(new InvalidArgumentError('conversation', `not a conversation id: ${JSON.stringify(conversation)}`));
    }
    return new Promise<void>((resolve, reject) => this.conversationSync.start(id, 'manual', { resolve, reject }));
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
    this.stopWatchingOnline?.();
    this.transportKind = undefined;
    this.clearTimer('reconnectTimer');
    this.clearTimer('connectTimer');
    this.heartbeat.stop();
    this.offlineSync.stop();
    this.sendQueue.goOffline();
    this.gapWatch.stop();
    this.groupAcks.stop();
    const link = this.link;
    this.link = undefined;
    link?.transport.close(CloseCode.NORMAL, 'client closed');
    this.closing = link ? link.closed : Promise.resolve();
    this.sendQueue.failAll(new ClientClosedError('the send was not accepted yet'));
    // Syncs first: failing their page requests must find no run left to start another.
    this.conversationSync.failAll(new ClientClosedError('the sync did not complete'));
    this.requests.failAll(new ClientClosedError('the request was not answered'));
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
      onKindChange: (kind) => {
        if (this.link !== link || !link.welcomed || this.transportKind === kind) return;
        this.transportKind = kind;
        this.emit('transport', kind);
      },
      onClose: (code, reason) => {
        reportClosed();
        if (this.link === link) this.linkGone({ code, reason });
      },
    });
  }

  /** The host's network came back (browsers): a reconnect waiting out its backoff starts now. */
  private onlineAgain(): void {
    if (this.closed || !this.reconnectTimer) return;
    this.clearTimer('reconnectTimer');
    this.backoff.reset();
    this.attempt();
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
    this.transportKind = undefined;
    this.clearTimer('connectTimer');
    this.heartbeat.stop();
    this.sendQueue.goOffline();
    this.offlineSync.stop();
    this.requests.goOffline();
    this.groupAcks.goOffline();
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
    this.receiveOrder.setUser(welcome.userId);
    // The inbox pull first; then the requests that waited, a sync of every conversation we
    // follow (what was missed while away and is not in the inbox: large groups, messages
    // past the inbox), every pending msg:R in send() order, and the group acks due.
    this.receiveOrder.beginSync();
    const pageCap = welcome.maxOfflinePage > 0 ? welcome.maxOfflinePage : this.options.offlinePageSize;
    this.offlineSync.start(Math.min(this.options.offlinePageSize, pageCap));
    this.requests.goOnline();
    for (const { conversation } of this.receiveOrder.followed()) this.conversationSync.start(conversation, 'reconnect');
    this.sendQueue.goOnline();
    this.groupAcks.goOnline();
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.resolve(welcome);
    this.transportKind = isNamedTransport(link.transport) ? link.transport.kind : 'websocket';
    this.emit('transport', this.transportKind);
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
      case 'groupA':
        return this.onGroupAnswer(frame.groupA!);
      case 'syncA':
        return this.onSyncAnswer(frame.syncA!);
      case 'conversationsA':
        return this.onConversationsAnswer(frame.conversationsA!);
      case 'pong': // liveness is all a pong says, and frameReceived recorded it
      case 'ackA': // the server recorded an ack:R; nothing waits for that
        return;
      case 'msgR':
      case 'ackR':
      case 'offlineR':
      case 'offlineackR':
      case 'ping':
      case 'groupR':
      case 'syncR':
      case 'conversationsR':
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
    const released = this.receiveOrder.acceptOwn(accepted.conversation, accepted.position);
    this.review([accepted.conversation]);
    this.deliver(released);
  }

  private onNotify(frame: parley.v1.IMsgNotify): void {
    const message = toReceivedMessage(frame);
    if (!message) {
      this.malformed += 1;
      return;
    }
    const result = this.receiveOrder.accept(message, 'live');
    // 1:1: every copy is acked, duplicates included: the server re-sends until it sees an ack.
    // An overflow is not: the client could not keep it, so the server must send it again.
    // Groups: review() makes the cumulative ack due, whatever became of the copy.
    if (!isGroupConversation(message.conversation) && result.verdict !== 'overflow') this.ackOne(message);
    this.review([message.conversation], true);
    this.deliver(result.deliver);
  }

  private onAckNotify(frame: parley.v1.IAckNotify): void {
    const ack = toAckReceipt(frame);
    if (!ack) {
      this.malformed += 1;
      return;
    }
    // An ack:N that overtook the msg:A of one of our sends is the first sign of its seq. The
    // ack:N of a message our user sent from another device fills nothing: that message
    // comes as msg:N (or by sync) and is delivered like any other.
    const own = this.sendQueue.has(ack.msgId) || this.receiveOrder.isOwnSend(ack.msgId);
    this.sendQueue.acknowledged(ack);
    const released = own ? this.receiveOrder.acceptOwn(ack.conversation, ack.position) : [];
    if (own) this.review([ack.conversation]);
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
    const released: Delivery[] = [];
    const touched = new Set<ConversationId>();
    for (const message of page.messages) {
      const result = this.receiveOrder.accept(message, 'offline');
      if (result.verdict !== 'overflow') refs.push({ conversation: message.conversation, position: message.position });
      released.push(...result.deliver);
      touched.add(message.conversation);
    }
    // The page's offlineack:R goes before the next offline:R.
    if (refs.length > 0) this.transmit({ offlineackR: { refs } });
    if (this.offlineSync.answered(page.hasMore, page.nextCursor) === 'done') {
      for (const conversation of this.receiveOrder.parkedConversations()) touched.add(conversation);
      released.push(...this.receiveOrder.endSync());
    }
    this.review(touched);
    this.deliver(released);
  }

  private onServerError(frame: parley.v1.IError): void {
    const error = toServerError(frame);
    // msg_id names a refused msg:R, or a refused request by its request id (kept apart by their prefix).
    if (error.msgId && !this.requests.refused(error.msgId, error)) {
      this.sendQueue.refused(error.msgId, error.retryable, new SendRefusedError(error.msgId, error.code, error.message));
    }
    this.emit('error', error);
  }

  private onGroupAnswer(frame: parley.v1.IGroupAnswer): void {
    const group = toGroupInfo(frame);
    if (!group || !frame.requestId) {
      this.malformed += 1;
      return;
    }
    this.requests.answered('group', frame.requestId, group);
  }

  private onSyncAnswer(frame: parley.v1.ISyncAnswer): void {
    const page = toSyncPage(frame);
    if (!page || !frame.requestId) {
      this.malformed += 1;
      return;
    }
    this.requests.answered('sync', frame.requestId, page);
  }

  private onConversationsAnswer(frame: parley.v1.IConversationsAnswer): void {
    if (!frame.requestId) {
      this.malformed += 1;
      return;
    }
    this.requests.answered('conversations', frame.requestId, toConversationList(frame));
  }

  // --- sync by seq ----------------------------------------------------------------------------

  /** Sends one sync:R; `after` undefined: from the delivered position now (none: from the oldest kept message). */
  private requestSyncPage(conversation: ConversationId, after: Position | undefined): void {
    if (this.closed) return;
    const from = after ?? this.receiveOrder.position(conversation) ?? { epoch: asEpoch(''), seq: 0 };
    const cap = this.lastWelcome?.maxOfflinePage ?? 0;
    const limit = cap > 0 ? Math.min(this.options.syncPageSize, cap) : this.options.syncPageSize;
    this.requests.issue({
      expects: 'sync',
      retry: 'idempotent',
      deadlineMs: undefined, // a sync outlives reconnects; the next welcome asks again anyway
      frame: (requestId) => ({ syncR: { requestId, conversation, after: { epoch: from.epoch, seq: from.seq }, limit } }),
      onAnswer: (page) => this.onSyncPage(conversation, page),
      onFailure: (error) => this.onSyncRefused(conversation, error),
    });
  }

  private onSyncPage(conversation: ConversationId, page: SyncPage): void {
    this.malformed += page.malformed;
    const released: Delivery[] = [];
    const first = page.messages[0];
    if (page.reset) {
      // The page does not follow our position: the conversation continues right before its first message.
      const to = first ? { epoch: first.position.epoch, seq: first.position.seq - 1 } : page.latest;
      if (to) released.push(...this.receiveOrder.resetTo(conversation, to));
    }
    const direct = !isGroupConversation(conversation);
    for (const message of page.messages) {
      const result = this.receiveOrder.accept(message, 'sync');
      // 1:1 acks stay per message: what the page brought for the first time is acked (the
      // server stops re-pushing it, and its sender learns it was delivered).
      if (direct && (result.verdict === 'delivered' || result.verdict === 'buffered')) this.ackOne(message);
      released.push(...result.deliver);
    }
    const last = page.messages[page.messages.length - 1]?.position;
    const verdict = this.conversationSync.pageProcessed(conversation, { hasMore: page.hasMore, last }, this.receiveOrder.gapSize(conversation) > 0);
    if (verdict === 'done' && !page.hasMore && page.latest) {
      // The server sent all it has up to its latest seq: a seq we still lack up to there is gone.
      released.push(...this.receiveOrder.skipMissing(conversation, page.latest));
    }
    this.review([conversation]);
    this.deliver(released);
  }

  /** The server will not sync the conversation (e.g. NOT_A_MEMBER): a gap in it can never fill. */
  private onSyncRefused(conversation: ConversationId, error: Error): void {
    this.conversationSync.failed(conversation, error);
    if (this.closed) return;
    const released = this.receiveOrder.skipMissing(conversation, undefined);
    this.review([conversation]);
    this.deliver(released);
  }

  // --- helpers ------------------------------------------------------------------------------

  private groupRequest(retry: RequestRetry, frame: (requestId: string) => FrameInit): Promise<GroupInfo> {
    return new Promise<GroupInfo>((resolve, reject) => {
      this.requests.issue({ expects: 'group', retry, deadlineMs: this.options.requestTimeoutMs, frame, onAnswer: resolve, onFailure: reject });
    });
  }

  private enqueue(recipient: Recipient, payload: Uint8Array, options: SendOptions): Promise<SendReceipt> {
    if (!(payload instanceof Uint8Array)) return Promise.reject(new InvalidArgumentError('payload', 'must be a Uint8Array'));
    const msgId = options.msgId ?? this.newMsgId();
    if (!isValidMsgId(msgId)) return Promise.reject(new InvalidArgumentError('msgId', `must be 1..64 chars of [A-Za-z0-9_-]: ${JSON.stringify(msgId)}`));
    if (this.sendQueue.has(msgId)) return Promise.reject(new InvalidArgumentError('msgId', `${msgId} is already in flight`));
    this.receiveOrder.ownSend(msgId);
    return this.sendQueue.add({ ...recipient, msgId: msgId, payload, clientSeq: this.nextClientSeq++ });
  }

  /** A 1:1 ack:R for one message. */
  private ackOne(message: ReceivedMessage): void {
    this.acksSent += 1;
    this.transmit({ ackR: { conversation: message.conversation, position: message.position } });
  }

  /**
   * After the receive state of these conversations changed: a group's cumulative ack is
   * due at its contiguous position (`pushed`: a msg:N came, so even an unchanged position
   * is acked again), and a gap left open is watched.
   */
  private review(conversations: Iterable<ConversationId>, pushed = false): void {
    for (const conversation of conversations) {
      if (isGroupConversation(conversation)) {
        const position = this.receiveOrder.position(conversation);
        if (position) this.groupAcks.due(conversation, position, pushed);
      }
      this.gapWatch.observe(conversation, this.receiveOrder.gapSize(conversation));
    }
  }

  /** Emits after the protocol work is done, so a listener calling close() cannot cut it short. */
  private deliver(deliveries: readonly Delivery[]): void {
    for (const delivery of deliveries) {
      if (this.closed) return;
      if (delivery.kind === 'message') this.emit('message', delivery.message);
      else this.emit('reset', delivery.reset);
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

function invalidUser(users: readonly string[]): string | undefined {
  return users.find((user) => typeof user !== 'string' || !isValidUserId(user));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
