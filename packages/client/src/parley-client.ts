// ParleyClient: one user's session with parley, as a thin facade that builds its parts and
// wires them: Connection (link lifecycle), InboundFrames (frame dispatch), SendApi and
// RequestApi (the calls), and the protocol parts they drive (README "Parts").
import { asConversationId, directConversationId, directMembers, directPeer, isGroupConversation, type ConversationId, type FrameInit, type UserId } from '@parley/protocol';
import { isReleasableStore, type ClientStore } from './client-store';
import { MemoryClientStore } from './client-store.memory';
import type { ConnectionState, EmitClientEvent, ParleyClientEvents } from './client-events';
import { ClientCounters, type ClientStats } from './client-stats';
import { SystemClock, type Clock } from './clock';
import { Connection } from './connection';
import { ConversationSync } from './conversation-sync';
import { DeviceState } from './device-state';
import { DirectAcks } from './direct-acks';
import { ClientClosedError, InvalidArgumentError, InvalidOptionError } from './errors';
import type { ConversationSummary, GroupInfo, Position, WelcomeInfo } from './frames';
import { GapWatch } from './gap-watch';
import { GroupAcks } from './group-acks';
import { InboundFrames } from './inbound-frames';
import { MessageTicks, type MessageTick } from './message-ticks';
import { OutgoingMarks } from './outgoing-marks';
import { randomMsgId } from './msg-id';
import { OfflineSync } from './offline-sync';
import { resolveOptions, type ParleyClientOptions, type ResolvedOptions } from './options';
import { PendingRequests } from './pending-requests';
import { ReceiveFollowUp } from './receive-follow-up';
import { ReceiveOrder, type ConversationPosition } from './receive-order';
import { RequestApi, type MemberChange } from './request-api';
import { SendApi, type SendOptions } from './send-api';
import { SendQueue, type SendNumbering, type SendReceipt } from './send-queue';
import { SyncPages } from './sync-pages';
import type { TransportFactory, TransportKind } from './transport';
import { FilteredTransport } from './transport.filtered';
import { TypedEmitter } from './typed-emitter';

export type { ConnectionState, LinkClosed, ParleyClientEvents } from './client-events';
export type { ClientStats } from './client-stats';
export type { MemberChange } from './request-api';
export type { SendOptions } from './send-api';

/**
 * Sends and requests are queued from the first call and go out once connected (connect()
 * starts the connection). The device id and its client_seq counters are kept in the store
 * (options.store); pending sends and receive positions live in memory: close() or a crash
 * loses them; persist deliveredPositions() and unsent messages (with their msgIds) to
 * resume. Each conversation's sends are sequenced in send() order (README "Devices,
 * ordering and what a send can end with"). 1:1 messages are acked (ack:R) as soon as the client holds them, also while they
 * wait for a gap or for the offline pull to end; group messages are acked cumulatively, up
 * to the last seq delivered without a gap. After every welcome each conversation with a
 * position is synced (sync:R) from it; a gap still open after gapGraceMs is synced too.
 */
export class ParleyClient extends TypedEmitter<ParleyClientEvents> {
  /** The transport used when options.transportFactory is absent; the package entry point sets the Node one. */
  static defaultTransportFactory: TransportFactory | undefined;
  /** Makes the store used when options.store is absent; the browser entry point sets localStorage where there is one. */
  static defaultStore: () => ClientStore = () => new MemoryClientStore();

  private readonly options: ResolvedOptions;
  private readonly counters = new ClientCounters();
  private readonly sendQueue: SendQueue;
  private readonly receiveOrder: ReceiveOrder;
  private readonly offlineSync: OfflineSync;
  private readonly requests: PendingRequests;
  private readonly conversationSync: ConversationSync;
  private readonly gapWatch: GapWatch;
  private readonly groupAcks: GroupAcks;
  private readonly directAcks: DirectAcks;
  private readonly device: DeviceState;
  private readonly store: ClientStore;
  private readonly connection: Connection;
  private readonly inbound: InboundFrames;
  private readonly syncPages: SyncPages;
  private readonly followUp: ReceiveFollowUp;
  private readonly sendApi: SendApi;
  private readonly requestApi: RequestApi;
  private readonly ticks: MessageTicks;
  private readonly marks: OutgoingMarks;
  /** A pull after a welcome or a resync:N runs; its end starts the syncs. */
  private syncAfterPull = false;

  constructor(options: ParleyClientOptions) {
    super();
    this.options = resolveOptions(options);
    const factory = options.transportFactory ?? ParleyClient.defaultTransportFactory;
    if (!factory) throw new InvalidOptionError('transportFactory', 'required where the entry point sets no default transport');
    const filter = options.filter;
    const clock: Clock = options.clock ?? new SystemClock();
    const o = this.options;
    const emit: EmitClientEvent = (event, ...args) => this.emit(event, ...args);
    const transmit = (frame: FrameInit): boolean => this.connection.transmit(frame);
    this.store = options.store ?? ParleyClient.defaultStore();
    this.device = new DeviceState(this.store, o.storeKey, randomMsgId, o.deviceId);
    this.ticks = new MessageTicks(this.store, o.storeKey, o.maxTrackedMessages);
    this.marks = new OutgoingMarks(clock, { readIntervalMs: o.readIntervalMs, typingIntervalMs: o.typingIntervalMs }, transmit);
    this.sendQueue = new SendQueue(
      clock,
      {
        retransmitTimeoutMs: o.retransmitTimeoutMs,
        maxRetransmitTimeoutMs: o.maxRetransmitTimeoutMs,
        ackTimeoutMs: o.ackTimeoutMs,
        window: o.sendWindow,
        random: o.backoff.random,
      },
      this.numbering(),
      (m) =>
        transmit({
          msgR: { msgId: m.msgId, toUser: m.toUser ?? '', conversation: m.conversation ?? '', payload: m.payload, clientSeq: m.clientSeq },
        }),
    );
    this.receiveOrder = new ReceiveOrder(o.receiveLimits);
    this.receiveOrder.now = () => clock.now();
    this.receiveOrder.restore(o.initialPositions);
    this.offlineSync = new OfflineSync(
      clock,
      { retryTimeoutMs: o.retransmitTimeoutMs, maxRetryTimeoutMs: o.maxRetransmitTimeoutMs },
      (limit, cursor) => transmit({ offlineR: { limit, cursor } }),
    );
    this.requests = new PendingRequests(
      clock,
      { retransmitTimeoutMs: o.retransmitTimeoutMs, maxRetransmitTimeoutMs: o.maxRetransmitTimeoutMs },
      transmit,
      `q${randomMsgId().slice(0, 8)}-`,
    );
    this.conversationSync = new ConversationSync(o.maxConcurrentSyncs, {
      requestPage: (conversation, after) => this.syncPages.request(conversation, after),
    });
    this.gapWatch = new GapWatch(
      clock,
      { graceMs: o.gapGraceMs, syncThreshold: o.gapSyncThreshold, maxRetryMs: o.maxGapRetryMs, random: o.backoff.random },
      (conversation) => this.onGap(conversation),
    );
    const sendAck = (conversation: string, position: { epoch: string; seq: number }): boolean => transmit({ ackR: { conversation, position } });
    this.groupAcks = new GroupAcks(clock, o.groupAckIntervalMs, o.directAckIntervalMs, o.receiveLimits.maxConversations, (conversation, position) => {
      const sent = sendAck(conversation, position);
      if (sent) this.counters.acksSent += 1;
      return sent;
    });
    this.directAcks = new DirectAcks(clock, o.directAckIntervalMs, o.receiveLimits.maxRememberedMsgIds, sendAck);
    this.connection = new Connection({
      options: o,
      clock,
      makeTransport: filter ? () => new FilteredTransport(factory(), filter) : factory,
      counters: this.counters,
      emit,
      deviceId: () => this.device.id,
      hooks: {
        frame: (link, bytes) => this.inbound.receive(link, bytes),
        up: (welcome) => this.linkUp(welcome),
        down: () => this.linkDown(),
        stop: () => this.stopParts(),
        fail: () => this.failPending(),
      },
    });
    const status = this.connection;
    const followUp = (this.followUp = new ReceiveFollowUp({
      status,
      counters: this.counters,
      receiveOrder: this.receiveOrder,
      groupAcks: this.groupAcks,
      directAcks: this.directAcks,
      gapWatch: this.gapWatch,
      emit,
    }));
    this.syncPages = new SyncPages({
      status,
      counters: this.counters,
      syncPageSize: o.syncPageSize,
      requests: this.requests,
      receiveOrder: this.receiveOrder,
      conversationSync: this.conversationSync,
      followUp,
    });
    this.inbound = new InboundFrames({
      connection: this.connection,
      counters: this.counters,
      sendQueue: this.sendQueue,
      receiveOrder: this.receiveOrder,
      offlineSync: this.offlineSync,
      requests: this.requests,
      followUp,
      emit,
      ticks: this.ticks,
      resync: () => this.resync(),
      pullDone: () => this.pullDone(),
    });
    this.sendApi = new SendApi({ status, sendQueue: this.sendQueue, receiveOrder: this.receiveOrder, newMsgId: options.newMsgId ?? randomMsgId });
    this.requestApi = new RequestApi({ status, requests: this.requests, conversationSync: this.conversationSync, requestTimeoutMs: o.requestTimeoutMs });
    // Our user's messages sent from another device have ticks too (from their first sight).
    this.on('message', (m) => {
      const me = this.connection.welcome?.userId;
      if (me && m.fromUser === me) this.inbound.emitTicks(this.ticks.sent(m));
    });
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  /** How the welcomed link travels: 'websocket', 'long-poll' or 'short-poll'; undefined while not connected. */
  get transport(): TransportKind | undefined {
    return this.connection.transport;
  }

  /** The latest welcome (undefined before the first connection). */
  get welcome(): WelcomeInfo | undefined {
    return this.connection.welcome;
  }

  /** The device this client speaks for (sent as `device` on every connection; kept in the store with its counters). */
  get deviceId(): string {
    return this.device.id;
  }

  get stats(): ClientStats {
    return {
      retransmits: this.sendQueue.retransmits,
      duplicatesDropped: this.receiveOrder.duplicatesDropped,
      acksSent: this.counters.acksSent,
      reconnects: this.counters.reconnects,
      malformedFrames: this.counters.malformedFrames,
      pendingSends: this.sendQueue.size,
      bufferedMessages: this.receiveOrder.bufferedCount,
      parkedMessages: this.receiveOrder.parkedCount,
      pendingRequests: this.requests.size,
      activeSyncs: this.conversationSync.running + this.conversationSync.queued,
      epochWaitsExpired: this.receiveOrder.epochWaitsExpired,
    };
  }

  /**
   * Starts connecting (and keeps reconnecting until close()). Resolves with the first
   * welcome; while the server cannot be reached it keeps waiting, so bound it yourself.
   */
  connect(): Promise<WelcomeInfo> {
    return this.connection.connect();
  }

  /**
   * Sends `payload` to `toUser`, after every earlier send() to the same conversation.
   * Resolves on msg:A with where the server stored it; the client keeps re-sending until
   * ack:N (see the 'ack' event). Rejects with SendRefusedError on a non-retryable refusal
   * (CLIENT_SEQ_REUSED only when the new device it moved to is refused too),
   * ClientClosedError on close().
   */
  send(toUser: string, payload: Uint8Array, options: SendOptions = {}): Promise<SendReceipt> {
    return this.sendApi.send(toUser, payload, options);
  }

  /**
   * Sends `payload` to a conversation: a group (`g:<group id>`, we must be a member) or a
   * 1:1 conversation (`d:<a>:<b>`, sent to its other member: needs our user id, so only
   * after the first welcome). Settles like send(); a group message's ack:N is a single
   * QUEUED one (stored, pushed to every online member, in every offline member's inbox).
   */
  sendToConversation(conversation: string, payload: Uint8Array, options: SendOptions = {}): Promise<SendReceipt> {
    return this.sendApi.sendToConversation(conversation, payload, options);
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
    return this.requestApi.createGroup(groupId, members);
  }

  /**
   * Adds and removes members (only members may). Resolves with the members after the
   * change. Sent once more after a reconnect if its answer was lost; rejects like
   * createGroup (NOT_A_MEMBER, GROUP_LIMIT when it would leave no member or too many).
   */
  changeMembers(conversation: string, change: MemberChange): Promise<GroupInfo> {
    return this.requestApi.changeMembers(conversation, change);
  }

  /** The group's members (only members may ask). Re-asked until answered or requestTimeoutMs. */
  listMembers(conversation: string): Promise<GroupInfo> {
    return this.requestApi.listMembers(conversation);
  }

  /**
   * Our conversations, most recent activity first (limit 0: the server's default of 100),
   * with each one's latest position and the position our user acked: `latest.seq -
   * acked.seq` unread when both are of the same epoch.
   */
  conversations(limit = 0): Promise<ConversationSummary[]> {
    return this.requestApi.conversations(limit);
  }

  /**
   * Syncs a conversation now (sync:R from its delivered position, page by page until the
   * server's latest); what it brings is delivered as 'message' and 'reset' events. Joins a
   * sync of it already running. Resolves when done, reconnects included (bound it yourself);
   * rejects with RequestRefusedError (e.g. NOT_A_MEMBER) or ClientClosedError.
   */
  sync(conversation: string): Promise<void> {
    return this.requestApi.sync(conversation);
  }

  /**
   * Marks `conversation` read up to `position` (the position of the last message the user
   * saw). Sent as read:R at most once per readIntervalMs per conversation (the highest
   * position wins), after the next welcome when there is no link; the server never moves a
   * read position back. Our other devices and the other members learn it ('read' event).
   */
  markRead(conversation: string, position: Position): void {
    if (this.connection.closed) throw new ClientClosedError('markRead() after close()');
    const id = asConversationId(conversation);
    if (!isGroupConversation(id) && !directMembers(id)) throw new InvalidArgumentError('conversation', `not a conversation id: ${JSON.stringify(conversation)}`);
    if (!position || typeof position.epoch !== 'string' || !Number.isSafeInteger(position.seq) || position.seq < 1) {
      throw new InvalidArgumentError('position', 'needs an epoch and a seq >= 1 (a message\'s position)');
    }
    const me = this.connection.welcome?.userId;
    if (me) this.inbound.emitTicks(this.ticks.read({ conversation: id, user: me, position }));
    this.marks.markRead(id, position);
  }

  /**
   * Says our user is typing in `conversation` (call it on every keystroke: typing:R goes at
   * most once per typingIntervalMs per conversation). Returns whether one was sent now.
   * Nothing to call when typing stops: the others' indicator fades after a few seconds.
   */
  typing(conversation: string): boolean {
    if (this.connection.closed) return false;
    return this.marks.typing(asConversationId(conversation));
  }

  /** How far one of our user's messages got (undefined: not one this client tracks). Kept in the store: a reload keeps it. */
  messageState(msgId: string): MessageTick | undefined {
    return this.ticks.get(msgId);
  }

  /**
   * The other members known to have read our message `msgId` (their read position is at or
   * past it). In a group a message is 'read' once one of them has; this says who (a count of
   * them is what a group chat shows).
   */
  readers(msgId: string): string[] {
    return this.ticks.readers(msgId);
  }

  /** The read position of `user` (default: our user) in `conversation`, as last learned (kept in the store). */
  readPosition(conversation: string, user?: string): Position | undefined {
    const who = user ?? this.connection.welcome?.userId;
    return who ? this.ticks.readPosition(conversation, who) : undefined;
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
    const closing = this.connection.close();
    if (isReleasableStore(this.store)) this.store.release(); // e.g. a browser tab's lease of its device record
    return closing;
  }

  /** The link got its welcome. */
  private linkUp(welcome: WelcomeInfo): void {
    this.receiveOrder.setUser(welcome.userId);
    this.ticks.setUser(welcome.userId);
    this.marks.goOnline();
    // The inbox pull first, and once it is done a sync of every conversation we follow
    // (what was missed while away and is not in the inbox: large groups, messages past the
    // inbox); meanwhile the requests that waited, every pending msg:R in order, and the
    // group acks due.
    this.catchUp(welcome);
    this.requests.goOnline();
    this.sendQueue.goOnline();
    this.groupAcks.goOnline();
  }

  /**
   * resync:N: the server lost state (its Redis lost its data). As after a welcome, on the
   * same link: pull the inbox, then sync every conversation we follow, ack again what that
   * delivers (what was acked before may be forgotten by the server), and resend what waits
   * for msg:A as after a reconnect, in client_seq order. What was delivered already is not
   * delivered again (positions and (sender, msgId) are kept); a new epoch's pushes wait for
   * the pull's end (ReceiveOrder.waitsForPull).
   */
  private resync(): void {
    const welcome = this.connection.welcome;
    if (!welcome || this.connection.closed) return;
    this.directAcks.forget();
    this.groupAcks.forgetAcked();
    this.catchUp(welcome);
    this.sendQueue.goOnline();
  }

  /**
   * Starts the offline pull; the syncs follow its end (pullDone), so that a sync answered
   * with a new epoch cannot overtake the pull's messages of the old one. Live pushes of
   * conversations without a position, or of a new epoch, wait for its end too.
   */
  private catchUp(welcome: WelcomeInfo): void {
    this.syncAfterPull = true;
    this.receiveOrder.beginSync();
    const pageCap = welcome.maxOfflinePage > 0 ? welcome.maxOfflinePage : this.options.offlinePageSize;
    this.offlineSync.start(Math.min(this.options.offlinePageSize, pageCap));
  }

  /**
   * A gap's (or a waiting new epoch's) sync is due. A new epoch that waited past its bound
   * for a sync to reach it is entered first, as it stands (ReceiveOrder.expireWait).
   */
  private onGap(conversation: ConversationId): void {
    const released = this.receiveOrder.expireWait(conversation);
    if (released.length > 0) {
      this.followUp.review([conversation]);
      this.followUp.deliver(released);
    }
    if (this.receiveOrder.gapSize(conversation) > 0) this.conversationSync.start(conversation, 'gap');
  }

  /** The pull after a welcome or a resync:N is done: every conversation we follow is synced from its position. */
  private pullDone(): void {
    if (!this.syncAfterPull) return;
    this.syncAfterPull = false;
    for (const { conversation } of this.receiveOrder.followed()) this.conversationSync.start(conversation, 'reconnect');
    this.catchUpTicks();
  }

  /**
   * What happened to our messages and read positions while we were away: conversations:A
   * says how far each 1:1 conversation's messages were delivered and read, and our own read
   * positions (the unread counts of this device). A failure is left to the next welcome.
   */
  private catchUpTicks(): void {
    const me = this.connection.welcome?.userId;
    if (!me) return;
    this.requestApi.conversations().then(
      (list) => this.inbound.emitTicks(this.ticks.summaries(list, (c) => directPeer(c, me as UserId))),
      () => undefined,
    );
  }

  /** How the send queue numbers messages: per conversation of our user, in the device's counters. */
  private numbering(): SendNumbering {
    const me = () => this.connection.welcome?.userId;
    return {
      conversationOf: (recipient) => {
        const user = me(); // counters are per user: nothing is numbered before the first welcome
        if (!user) return undefined;
        return recipient.conversation ?? directConversationId(user, recipient.toUser);
      },
      next: (conversation) => this.device.next(me()!, conversation),
      rewind: (conversation, last) => this.device.rewind(me()!, conversation, last),
      renewDevice: () => {
        this.device.renew();
        this.connection.restart('new device');
      },
    };
  }

  /** The link is gone: nothing goes out until the next welcome. */
  private linkDown(): void {
    this.sendQueue.goOffline();
    this.directAcks.forget();
    this.offlineSync.stop();
    this.requests.goOffline();
    this.groupAcks.goOffline();
  }

  /** close(), before the link is closed: every part's timers stop. */
  private stopParts(): void {
    this.offlineSync.stop();
    this.marks.stop();
    this.sendQueue.goOffline();
    this.gapWatch.stop();
    this.groupAcks.stop();
  }

  /** close(), after the link was closed: what still waits fails. */
  private failPending(): void {
    this.sendQueue.failAll(new ClientClosedError('the send was not accepted yet'));
    // Syncs first: failing their page requests must find no run left to start another.
    this.conversationSync.failAll(new ClientClosedError('the sync did not complete'));
    this.requests.failAll(new ClientClosedError('the request was not answered'));
  }
}
