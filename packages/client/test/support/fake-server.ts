// An in-memory gateway for client unit tests: a FakeTransport per connection attempt and a
// scripted server behind it (welcome, msg:A with idempotent seqs, ack:N, pong, offline pages).
// Every delivery is asynchronous (a microtask), as on a real socket; settle() waits for all.
import {
  decodeFrame,
  directConversationId,
  encodeFrame,
  parley,
  asUserId,
  type FrameInit,
  type PacketKind,
} from '@parley/protocol';
import type { Transport, TransportListener } from '../../src/transport';

export type DecodedFrame = ReturnType<typeof decodeFrame>;

/** Lets every queued microtask (and the chains they start) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeConnection {
  open = false;
  closed = false;
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
  drop(code = 1006, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.open = false;
    queueMicrotask(() => this.listener.onClose(code, reason));
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

  private readonly seqs = new Map<string, number>();
  private readonly assigned = new Map<string, { conversation: string; seq: number }>();
  private readonly copies = new Map<string, number>();

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

  /** @internal */
  connected(url: string, listener: TransportListener): FakeConnection {
    const connection = new FakeConnection(url, listener);
    this.connections.push(connection);
    if (!this.acceptConnections) {
      connection.drop(1006, 'connection refused');
      return connection;
    }
    connection.opened();
    if (this.autoWelcome) connection.push({ welcome: this.welcome });
    return connection;
  }

  /** @internal */
  fromClient(connection: FakeConnection, frame: DecodedFrame): void {
    if (connection.closed) return;
    connection.received.push(frame);
    if (this.onFrame?.(connection, frame) === true) return;
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
      default:
        return;
    }
  }

  private sequence(connection: FakeConnection, msgR: parley.v1.IMsgRequest): void {
    const msgId = msgR.msgId ?? '';
    const copy = (this.copies.get(msgId) ?? 0) + 1;
    this.copies.set(msgId, copy);
    if (copy < this.answerMsgRFromCopy) return;
    let assigned = this.assigned.get(msgId);
    if (!assigned) {
      const conversation = directConversationId(asUserId(this.welcome.userId ?? ''), asUserId(msgR.toUser ?? ''));
      const seq = (this.seqs.get(conversation) ?? 0) + 1;
      this.seqs.set(conversation, seq);
      assigned = { conversation, seq };
      this.assigned.set(msgId, assigned);
    }
    const position = { epoch: this.epoch, seq: assigned.seq };
    connection.push({ msgA: { msgId, conversation: assigned.conversation, position, serverTimeMs: 1 } });
    if (this.ackStatus !== undefined) {
      connection.push({ ackN: { conversation: assigned.conversation, position, msgId, toUser: msgR.toUser, status: this.ackStatus } });
    }
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
