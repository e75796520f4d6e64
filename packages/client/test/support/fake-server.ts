// An in-memory gateway for client unit tests: a FakeTransport per connection attempt and a
// scripted server behind it (welcome, msg:A with idempotent seqs, ack:N, pong, offline pages,
// groups, fan-out to every member connection but the sending one, history with retention and
// epochs served by sync:R, the conversation list). Every delivery is asynchronous (a
// microtask), as on a real socket; settle() waits for all.
import {
  decodeFrame,
  directConversationId,
  directMembers,
  encodeFrame,
  ErrorCode,
  isValidGroupId,
  parley,
  asConversationId,
  asUserId,
  type FrameInit,
  type PacketKind,
} from '@parley/protocol';
import type { HttpRefusal, Transport, TransportListener } from '../../src/transport';
import { ModelSequencer } from './model-sequencer';

export type DecodedFrame = ReturnType<typeof decodeFrame>;

/** Lets every queued microtask (and the chains they start) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeConnection {
  open = false;
  closed = false;
  /** The connection's user (from its token, see FakeServer.tokenUsers). */
  userId = '';
  /** The device it speaks for: its `device` parameter, or its connection id. */
  device = '';
  /** Frames this connection received from the client, decoded. */
  readonly received: DecodedFrame[] = [];
  /** How the client closed it, if it did. */
  closedBy: { code: number; reason: string } | undefined;

  constructor(
    readonly url: string,
    private readonly listener: TransportListener,
  ) {}

  /** Server -> client. */
  push(frame: FrameInit): void {
    this.pushBytes(encodeFrame(frame));
  }

  /** Server -> client, raw bytes (for frames that do not decode). */
  pushBytes(bytes: Uint8Array): void {
    if (!this.open || this.closed) return;
    queueMicrotask(() => {
      if (!this.closed) this.listener.onMessage(bytes);
    });
  }

  /** The server (or the network) ends the link. */
  drop(code = 1006, reason = '', refusal?: HttpRefusal): void {
    if (this.closed) return;
    this.closed = true;
    this.open = false;
    queueMicrotask(() => this.listener.onClose(code, reason, refusal));
  }

  /** Received frames of one kind, in order. */
  frames<K extends PacketKind>(kind: K): Array<NonNullable<DecodedFrame[K]>> {
    return this.received.filter((f) => f.packet === kind).map((f) => f[kind] as NonNullable<DecodedFrame[K]>);
  }

  /** @internal the client's side */
  opened(): void {
    this.open = true;
    queueMicrotask(() => this.listener.onOpen());
  }

  /** @internal the client closed the link */
  closedByClient(code: number, reason: string): void {
    if (this.closed) return;
    this.closedBy = { code, reason };
    this.drop(code, reason);
  }
}

class FakeTransport implements Transport {
  private connection: FakeConnection | undefined;

  constructor(private readonly server: FakeServer) {}

  open(url: string, listener: TransportListener): void {
    this.connection = this.server.connected(url, listener);
  }

  send(bytes: Uint8Array): boolean {
    const connection = this.connection;
    if (!connection?.open) return false;
    const copy = bytes.slice();
    queueMicrotask(() => this.server.fromClient(connection, decodeFrame(copy)));
    return true;
  }

  close(code: number, reason: string): void {
    this.connection?.closedByClient(code, reason);
  }
}

export class FakeServer {
  /** Every connection attempt, in order. */
  readonly connections: FakeConnection[] = [];
  /** false: attempts fail (closed with 1006, never opened). */
  acceptConnections = true;
  /** The next attempts are refused with these HTTP answers, one each, in order (as a Node WebSocket or a long-poll open reports them). */
  refuseNext: HttpRefusal[] = [];
  /** true: a welcome is pushed as soon as a connection opens. */
  autoWelcome = true;
  welcome: parley.v1.IWelcome = {
    userId: 'alice',
    connectionId: 'conn',
    heartbeatIntervalMs: 10_000,
    maxFrameBytes: 65_536,
    maxPayloadBytes: 16_384,
    maxOfflinePage: 100,
    serverVersion: 'fake',
  };
  /** Answer msg:R with msg:A. A number: answer only from that many-th copy of each msgId on (1 = always). */
  answerMsgRFromCopy = 1;
  /** When set, every msg:R is followed by an ack:N with this status. */
  ackStatus: parley.v1.AckStatus | undefined;
  answerPings = true;
  /** The user's inbox, in (conversation, seq) order; offline:R pages are served from it. */
  inbox: parley.v1.IMsgNotify[] = [];
  epoch = 'e1';
  /** Extra behaviour, called for every client frame before the defaults; return true to skip them. */
  onFrame: ((connection: FakeConnection, frame: DecodedFrame) => boolean | void) | undefined;
  /** token -> user id; a token not listed is welcome.userId's. */
  tokenUsers: Record<string, string> = {};
  /** Group conversation -> members. */
  readonly groups = new Map<string, Set<string>>();
  /** Most members a group may have (GROUP_LIMIT beyond). */
  maxGroupMembers = 100;

  private readonly seqs = new Map<string, number>();
  /** The sequencer's rule (dedupe by sender and msgId, client_seq order per device). */
  readonly sequencer = new ModelSequencer(
    (conversation) => this.takeSeq(conversation),
    (conversation) => this.epochOf(conversation),
  );
  /** msgId → where it was sequenced last (for tests: seqOf). */
  private readonly assigned = new Map<string, { conversation: string; seq: number }>();
  private readonly copies = new Map<string, number>();
  /** Kept messages per conversation (current epoch, ascending): what sync:R serves. */
  private readonly history = new Map<string, parley.v1.IMsgNotify[]>();
  private readonly epochs = new Map<string, string>();
  private readonly acked = new Map<string, { epoch: string; seq: number }>();
  private readonly activity = new Map<string, number>();
  private activityClock = 0;

  readonly transportFactory = (): Transport => new FakeTransport(this);

  /** The latest connection. */
  get current(): FakeConnection {
    const connection = this.connections[this.connections.length - 1];
    if (!connection) throw new Error('no connection yet');
    return connection;
  }

  /** Every frame of one kind received over all connections, in order. */
  framesOf<K extends PacketKind>(kind: K): Array<NonNullable<DecodedFrame[K]>> {
    return this.connections.flatMap((c) => c.frames(kind));
  }

  /** Where the server put a msgId (undefined when not yet sequenced). */
  seqOf(msgId: string): number | undefined {
    return this.assigned.get(msgId)?.seq;
  }

  /** The open connections of a user. */
  connectionsOf(user: string): FakeConnection[] {
    return this.connections.filter((c) => c.open && !c.closed && c.userId === user);
  }

  epochOf(conversation: string): string {
    return this.epochs.get(conversation) ?? this.epoch;
  }

  /** The highest position `user` acked in `conversation` (ack:R), if any. */
  ackedBy(user: string, conversation: string): { epoch: string; seq: number } | undefined {
    return this.acked.get(`${user} ${conversation}`);
  }

  /**
   * A message from `fromUser` (who need not be connected): sequenced, kept in the history,
   * and pushed to every open connection of the members (`push: false`: kept only, as a
   * message a connection missed).
   */
  publish(conversation: string, fromUser: string, options: { push?: boolean; msgId?: string } = {}): parley.v1.IMsgNotify {
    const seq = this.takeSeq(conversation);
    const notify: parley.v1.IMsgNotify = {
      conversation,
      position: { epoch: this.epochOf(conversation), seq },
      msgId: options.msgId ?? `${fromUser}-${conversation.replace(/[^A-Za-z0-9_-]/g, '_')}-${this.epochOf(conversation)}-${seq}`,
      fromUser,
      payload: new TextEncoder().encode(`${fromUser} ${seq}`),
      serverTimeMs: 1,
      clientSeq: seq,
    };
    this.keep(notify);
    if (options.push !== false) this.fanOut(notify, undefined);
    return notify;
  }

  /** Retention: messages of the conversation before `seq` are gone. */
  forgetBefore(conversation: string, seq: number): void {
    this.history.set(conversation, (this.history.get(conversation) ?? []).filter((m) => Number(m.position?.seq) >= seq));
  }

  /** The conversation's counter restarts in `epoch` (its history, dedupe data and sender counters are gone with the old epoch). */
  restartEpoch(conversation: string, epoch: string): void {
    this.sequencer.forget(conversation);
    this.epochs.set(conversation, epoch);
    this.seqs.set(conversation, 0);
    this.history.set(conversation, []);
  }

  /** @internal */
  connected(url: string, listener: TransportListener): FakeConnection {
    const connection = new FakeConnection(url, listener);
    this.connections.push(connection);
    if (!this.acceptConnections) {
      connection.drop(1006, 'connection refused');
      return connection;
    }
    const refusal = this.refuseNext.shift();
    if (refusal) {
      connection.drop(1006, `HTTP ${refusal.status}`, refusal);
      return connection;
    }
    const params = new URL(url).searchParams;
    const token = params.get('token') ?? '';
    connection.userId = this.tokenUsers[token] ?? this.welcome.userId ?? '';
    connection.device = params.get('device') || `conn-${this.connections.length}`;
    connection.opened();
    if (this.autoWelcome) connection.push({ welcome: { ...this.welcome, userId: connection.userId, deviceId: connection.device } });
    return connection;
  }

  /** @internal */
  fromClient(connection: FakeConnection, frame: DecodedFrame): void {
    if (connection.closed) return;
    connection.received.push(frame);
    if (this.onFrame?.(connection, frame) === true) return;
    this.handle(connection, frame);
  }

  /** The default behaviour for a client frame (also for a test that held a frame back and answers it later). */
  handle(connection: FakeConnection, frame: DecodedFrame): void {
    if (connection.closed) return;
    switch (frame.packet) {
      case 'msgR':
        return this.sequence(connection, frame.msgR!);
      case 'ping':
        if (this.answerPings) connection.push({ pong: { nonce: frame.ping!.nonce, serverTimeMs: 1 } });
        return;
      case 'offlineR':
        return this.page(connection, frame.offlineR!);
      case 'offlineackR':
        // Entries stay: the fake's cursors are indexes into the inbox. Tests read the refs.
        return;
      case 'ackR':
        return this.recordAck(connection, frame.ackR!);
      case 'groupR':
        return this.group(connection, frame.groupR!);
      case 'syncR':
        return this.sync(connection, frame.syncR!);
      case 'conversationsR':
        return this.conversationList(connection, frame.conversationsR!);
      default:
        return;
    }
  }

  private sequence(connection: FakeConnection, msgR: parley.v1.IMsgRequest): void {
    const msgId = msgR.msgId ?? '';
    const copy = (this.copies.get(msgId) ?? 0) + 1;
    this.copies.set(msgId, copy);
    if (copy < this.answerMsgRFromCopy) return;
    const group = msgR.conversation || undefined;
    if (group && !this.groups.get(group)?.has(connection.userId)) {
      connection.push({ error: { code: ErrorCode.NOT_A_MEMBER, message: `not a member of ${group}`, retryable: false, msgId } });
      return;
    }
    const conversation = group ?? directConversationId(asUserId(connection.userId), asUserId(msgR.toUser ?? ''));
    const clientSeq = Number(msgR.clientSeq ?? 0);
    const result = this.sequencer.sequence(conversation, connection.userId, connection.device, msgId, clientSeq);
    if (result.kind === 'refused') {
      const { code, message, retryable, expectedClientSeq } = result;
      connection.push({ error: { code, message, retryable, msgId, expectedClientSeq } });
      return;
    }
    const assigned = { conversation, seq: result.seq };
    this.assigned.set(msgId, assigned);
    if (!result.duplicate) {
      const notify: parley.v1.IMsgNotify = {
        conversation,
        position: { epoch: this.epochOf(conversation), seq: result.seq },
        msgId,
        fromUser: connection.userId,
        payload: msgR.payload ?? new Uint8Array(0),
        serverTimeMs: 1,
        clientSeq,
      };
      this.keep(notify);
      // Every connection of every member gets it but the sending one, which has msg:A.
      this.fanOut(notify, connection);
    }
    const position = { epoch: this.epochOf(assigned.conversation), seq: assigned.seq };
    connection.push({ msgA: { msgId, conversation: assigned.conversation, position, serverTimeMs: 1 } });
    if (group) {
      connection.push({ ackN: { conversation: group, position, msgId, toUser: '', status: parley.v1.AckStatus.ACK_STATUS_QUEUED } });
    } else if (this.ackStatus !== undefined) {
      connection.push({ ackN: { conversation: assigned.conversation, position, msgId, toUser: msgR.toUser, status: this.ackStatus } });
    }
  }

  private members(conversation: string): ReadonlySet<string> {
    const direct = directMembers(asConversationId(conversation));
    return direct ? new Set<string>(direct) : (this.groups.get(conversation) ?? new Set());
  }

  private keep(notify: parley.v1.IMsgNotify): void {
    const conversation = notify.conversation ?? '';
    const kept = this.history.get(conversation) ?? [];
    kept.push(notify);
    this.history.set(conversation, kept);
    this.activity.set(conversation, ++this.activityClock);
  }

  private fanOut(notify: parley.v1.IMsgNotify, except: FakeConnection | undefined): void {
    const members = this.members(notify.conversation ?? '');
    for (const c of this.connections) {
      if (c !== except && c.open && !c.closed && members.has(c.userId)) c.push({ msgN: notify });
    }
  }

  private recordAck(connection: FakeConnection, ackR: parley.v1.IAckRequest): void {
    const key = `${connection.userId} ${ackR.conversation}`;
    const epoch = ackR.position?.epoch ?? '';
    const seq = Number(ackR.position?.seq ?? 0);
    const before = this.acked.get(key);
    if (!before || before.epoch !== epoch || before.seq < seq) this.acked.set(key, { epoch, seq });
  }

  private group(connection: FakeConnection, request: parley.v1.IGroupRequest): void {
    const requestId = request.requestId ?? '';
    const refuse = (code: number, message: string): void =>
      connection.push({ error: { code, message, retryable: false, msgId: requestId } });
    const answer = (conversation: string, members: ReadonlySet<string>): void =>
      connection.push({ groupA: { requestId, conversation, members: [...members].sort() } });
    const me = connection.userId;
    if (request.create) {
      const groupId = request.create.groupId ?? '';
      const conversation = `g:${groupId}`;
      if (!isValidGroupId(groupId)) return refuse(ErrorCode.INVALID_FIELD, 'invalid group_id');
      if (this.groups.has(conversation)) return refuse(ErrorCode.GROUP_EXISTS, `${conversation} exists`);
      const members = new Set([me, ...(request.create.members ?? [])]);
      if (members.size > this.maxGroupMembers) return refuse(ErrorCode.GROUP_LIMIT, 'too many members');
      this.groups.set(conversation, members);
      return answer(conversation, members);
    }
    const conversation = request.change?.conversation ?? request.list?.conversation ?? '';
    const members = this.groups.get(conversation);
    if (!members?.has(me)) return refuse(ErrorCode.NOT_A_MEMBER, `not a member of ${conversation}`);
    if (request.list) return answer(conversation, members);
    const next = new Set(members);
    for (const user of request.change?.add ?? []) next.add(user);
    for (const user of request.change?.remove ?? []) next.delete(user);
    if (next.size === 0 || next.size > this.maxGroupMembers) return refuse(ErrorCode.GROUP_LIMIT, 'a group needs 1..max members');
    this.groups.set(conversation, next);
    answer(conversation, next);
  }

  private sync(connection: FakeConnection, request: parley.v1.ISyncRequest): void {
    const requestId = request.requestId ?? '';
    const conversation = request.conversation ?? '';
    if (!this.members(conversation).has(connection.userId)) {
      connection.push({ error: { code: ErrorCode.NOT_A_MEMBER, message: `not a member of ${conversation}`, retryable: false, msgId: requestId } });
      return;
    }
    const epoch = this.epochOf(conversation);
    const kept = this.history.get(conversation) ?? [];
    const oldest = kept.length > 0 ? Number(kept[0]!.position?.seq) : undefined;
    const afterEpoch = request.after?.epoch ?? '';
    let start = 1;
    let reset = false;
    if (afterEpoch !== '' && afterEpoch !== epoch) reset = true;
    else if (afterEpoch !== '') {
      start = Number(request.after?.seq ?? 0) + 1;
      if (oldest !== undefined && start < oldest) reset = true;
    }
    const after = kept.filter((m) => Number(m.position?.seq) >= start);
    const limit = Math.min(request.limit || 100, this.welcome.maxOfflinePage || 100);
    const messages = after.slice(0, limit);
    connection.push({
      syncA: {
        requestId,
        conversation,
        messages,
        hasMore: after.length > limit,
        latest: { epoch, seq: this.seqs.get(conversation) ?? 0 },
        reset,
      },
    });
  }

  private conversationList(connection: FakeConnection, request: parley.v1.IConversationsRequest): void {
    const me = connection.userId;
    const conversations = [...this.activity.entries()]
      .filter(([conversation]) => this.members(conversation).has(me))
      .sort((a, b) => b[1] - a[1])
      .slice(0, request.limit || 100)
      .map(([conversation, at]) => {
        const epoch = this.epochOf(conversation);
        const acked = this.ackedBy(me, conversation);
        return {
          conversation,
          latest: { epoch, seq: this.seqs.get(conversation) ?? 0 },
          acked: acked?.epoch === epoch ? acked : { epoch, seq: 0 },
          lastActivityMs: at,
        };
      });
    connection.push({ conversationsA: { requestId: request.requestId ?? '', conversations } });
  }

  /** Takes a seq in a conversation, as a message of the peer would (for pushing msg:N). */
  takeSeq(conversation: string): number {
    const seq = (this.seqs.get(conversation) ?? 0) + 1;
    this.seqs.set(conversation, seq);
    return seq;
  }

  private page(connection: FakeConnection, request: parley.v1.IOfflineRequest): void {
    const start = request.cursor ? Number(request.cursor) : 0;
    const limit = Math.min(request.limit || 100, this.welcome.maxOfflinePage || 100);
    const messages = this.inbox.slice(start, start + limit);
    const end = start + messages.length;
    const hasMore = end < this.inbox.length;
    connection.push({ offlineA: { messages, hasMore, nextCursor: hasMore ? String(end) : '' } });
  }
}
