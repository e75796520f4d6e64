// One load-generating process: opens its share of connections (ramped, bound to its
// source addresses, each over a WebSocket or long-poll link), speaks the wire protocol
// with raw frames, sends on schedule, retransmits like a real client, acks every msg:N,
// and records what it saw.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { assertNever, decodeFrame, encodeFrame, errorCodeName, isGroupConversation, parley } from '@parley/protocol';
import { signToken } from '@parley/auth';
import { asUserId } from '@parley/protocol';
import type { Histogram } from 'hdr-histogram-js';
import { encodeHistogram, LATENCY_NAMES, LatencyName, monotonicMicros, newHistogram, recordMicros } from './latency';
import { makePayload, sentAtOf } from './payload';
import type { ConnectionPlan, SenderPlan, WorkerPlan } from './plan';
import { pickStormVictims, reconnectDelayMs } from './storm';
import { DeliveryPosition, OrderedDelivery } from './ordered-delivery';
import { emptyReceiptCounters, ReceiptCounters, ReceiptLedger, SenderReport } from './verdict';
import type { TransportStats, WorkerMessage, WorkerResult, WorkerStats } from './worker-protocol';
import { LINK_TRANSPORTS, LinkTransport, LoadLink, LoadLinkEvents } from './load-link';
import { WebSocketLink } from './load-link.websocket';
import { LongPollLink, longPollEndpoint } from './load-link.long-poll';

const AckStatus = parley.v1.AckStatus;
type Uint64 = number | { toNumber(): number } | null | undefined;
/** uint64 fields decode as numbers, or as Long objects when protobufjs finds `long`. */
const wireNumber = (value: Uint64): number => (typeof value === 'number' ? value : value && typeof value.toNumber === 'function' ? value.toNumber() : 0);

/** After msg:A, a message with no ack:N for this long is sent again (PROTOCOL.md, sender rule 3). */
const ACK_TIMEOUT_MS = 30_000;
/** Handshakes in flight at once per worker. */
const MAX_CONNECTING = 500;
const TOKEN_TTL_SECONDS = 24 * 3600;
/** How often a receiver sends its cumulative group acks (well under the 5 s re-push timeout). */
const GROUP_ACK_INTERVAL_MS = 100;
/** At the end of a run, how long closing the links (long-poll sessions: /lp/close) may take, in milliseconds. */
const LINK_CLOSE_WAIT_MS = 2000;
/** A gap open this long (1:1 or group) is synced from the last contiguous position (PROTOCOL.md, "Sync by seq"). */
const GAP_GRACE_MS = 1000;

interface Connection {
  readonly plan: ConnectionPlan;
  readonly index: number;
  link: LoadLink | undefined;
  welcomed: boolean;
  everWelcomed: boolean;
  handshaking: boolean;
  connectStartedUs: number;
  lastSentMs: number;
  heartbeatMs: number;
  attempts: number;
  readonly ledger: ReceiptLedger;
  stream: SenderStream | undefined;
  groupCreated: (() => void) | undefined;
  /** Per conversation (1:1 and group): what is shown, what is held behind a gap, how far a group ack may reach. */
  readonly delivery: Map<string, OrderedDelivery<parley.v1.IMsgNotify>>;
  /** Highest position per group conversation not yet acked. */
  readonly groupAcks: Map<string, DeliveryPosition>;
  /** Highest position acked per group conversation: acked once more after a reconnect (the ack may have died with the link). */
  readonly groupAcked: Map<string, DeliveryPosition>;
  /** When a storm cut this connection (monotonic microseconds); 0: not recovering from a storm. */
  stormCutAtUs: number;
}

interface Pending {
  readonly stream: SenderStream;
  readonly clientSeq: number;
  readonly frame: Uint8Array;
  readonly sentAtUs: number;
  lastSentMs: number;
  timeoutMs: number;
  answered: boolean;
  /** False while queued on a dropped link: its first write is not a retransmit. */
  written: boolean;
}

interface SenderStream {
  readonly plan: SenderPlan;
  readonly connection: Connection;
  sent: number;
  readonly refused: number[];
  readonly positions: Map<number, string>;
  readonly accepted: Array<[number, string, number]>;
  positionChanges: number;
  readonly pending: Map<number, Pending>;
}

export class LoadWorker {
  private readonly connections: Connection[];
  private readonly streams: SenderStream[];
  private readonly histograms: Record<LatencyName, Histogram>;
  private readonly errors: Record<string, number> = {};
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pending = new Set<Pending>();
  private readonly groupAckDue = new Set<Connection>();
  private counters = {
    connectFailures: 0,
    reconnects: 0,
    accepted: 0,
    acked: 0,
    storedOffline: 0,
    retransmits: 0,
    notSent: 0,
    stormDropped: 0,
    stormReconnected: 0,
    stormReconnectFailures: 0,
  };
  private readonly stormDroppedBy: Record<LinkTransport, number> = { websocket: 0, 'long-poll': 0 };
  private sending = false;
  /** Connections between `open` and their welcome (or their close). */
  private handshaking = 0;
  private closing = false;
  private scheduled = 0;
  private nextStream = 0;
  private sendStartedUs = 0;
  private sendStoppedUs = 0;
  private lastDeliveryUs = 0;
  private cpu = { last: process.cpuUsage(), lastAtUs: monotonicMicros(), percent: 0, max: 0 };

  constructor(
    private readonly plan: WorkerPlan,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    this.connections = plan.connections.map((c, index) => ({
      plan: c,
      index,
      link: undefined,
      welcomed: false,
      everWelcomed: false,
      handshaking: false,
      connectStartedUs: 0,
      lastSentMs: 0,
      heartbeatMs: 25_000,
      attempts: 0,
      ledger: new ReceiptLedger(c.user),
      stream: undefined,
      groupCreated: undefined,
      delivery: new Map(),
      groupAcks: new Map(),
      groupAcked: new Map(),
      stormCutAtUs: 0,
    }));
    this.streams = plan.senders.map((s) => {
      const connection = this.connections[s.connection]!;
      const stream: SenderStream = { plan: s, connection, sent: 0, refused: [], positions: new Map(), accepted: [], positionChanges: 0, pending: new Map() };
      connection.stream = stream;
      return stream;
    });
    this.histograms = Object.fromEntries(LATENCY_NAMES.map((n) => [n, newHistogram()])) as Record<LatencyName, Histogram>;
    this.loopDelay.enable();
  }

  /** Connects everyone (ramped), creates this worker's groups, then reports `ready`. */
  async prepare(connectTimeoutMs: number): Promise<void> {
    this.every(1000, () => this.post({ type: 'progress', stats: this.stats() }));
    this.every(1000, () => this.heartbeat());
    this.every(250, () => this.retransmit());
    this.every(GROUP_ACK_INTERVAL_MS, () => this.flushGroupAcks());
    this.every(250, () => this.syncOpenGaps());
    await this.connectAll(connectTimeoutMs);
    await this.createGroups(connectTimeoutMs);
    this.post({ type: 'ready', stats: this.stats() });
  }

  go(): void {
    this.sending = true;
    this.sendStartedUs = monotonicMicros();
    this.every(5, () => this.sendDue());
  }

  stopSending(): void {
    if (!this.sending) return;
    this.sending = false;
    this.sendStoppedUs = monotonicMicros();
  }

  /**
   * A reconnect storm: cuts `percent`% of the connections that are up at once, abruptly
   * (the socket is destroyed with no close frame, as a network cut). Each reconnects on
   * its own with backoff and jitter; its sends queue meanwhile and go out after the welcome.
   */
  storm(percent: number): void {
    if (this.closing) return;
    const up: number[] = [];
    for (const c of this.connections) if (c.welcomed && c.link) up.push(c.index);
    const nowUs = monotonicMicros();
    for (const index of pickStormVictims(up, percent)) {
      const c = this.connections[index]!;
      c.stormCutAtUs = nowUs;
      this.counters.stormDropped++;
      this.stormDroppedBy[c.plan.transport]++;
      c.link!.cut();
    }
  }

  /** Stops everything, closes every link (telling the server, for at most LINK_CLOSE_WAIT_MS) and returns what this worker saw. */
  async finish(): Promise<WorkerResult> {
    this.stopSending();
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    const result: WorkerResult = {
      stats: this.stats(),
      histograms: Object.fromEntries(LATENCY_NAMES.map((n) => [n, encodeHistogram(this.histograms[n])])) as Record<LatencyName, string>,
      senders: this.streams.filter((s) => s.sent > 0).map((s) => this.senderReport(s)),
      receipts: this.connections.flatMap((c) => c.ledger.reports()),
      neverConnected: this.connections.filter((c) => !c.everWelcomed).map((c) => c.plan.user),
      counters: this.connections.reduce<ReceiptCounters>((total, c) => {
        for (const key of Object.keys(total) as Array<keyof ReceiptCounters>) total[key] += c.ledger.counters[key];
        return total;
      }, emptyReceiptCounters()),
      samples: this.connections.flatMap((c) => c.ledger.samples).slice(0, 20),
      sendStartedAtUs: this.sendStartedUs,
      sendStoppedAtUs: this.sendStoppedUs || monotonicMicros(),
      lastDeliveryAtUs: this.lastDeliveryUs,
    };
    this.loopDelay.disable();
    const closed = Promise.all(this.connections.map((c) => c.link?.close()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, LINK_CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    return result;
  }

  private senderReport(s: SenderStream): SenderReport {
    const unanswered: number[] = [];
    for (const p of s.pending.values()) if (!p.answered) unanswered.push(p.clientSeq);
    return {
      from: s.connection.plan.user,
      conversation: s.plan.conversation,
      sent: s.sent,
      refused: s.refused,
      unanswered,
      accepted: s.accepted,
      positionChanges: s.positionChanges,
    };
  }

  stats(): WorkerStats {
    const nowUs = monotonicMicros();
    const usage = process.cpuUsage();
    const elapsedUs = nowUs - this.cpu.lastAtUs;
    if (elapsedUs > 200_000) {
      const used = usage.user - this.cpu.last.user + usage.system - this.cpu.last.system;
      this.cpu.percent = Math.round((100 * used) / elapsedUs);
      this.cpu.max = Math.max(this.cpu.max, this.cpu.percent);
      this.cpu.last = usage;
      this.cpu.lastAtUs = nowUs;
    }
    const transports = Object.fromEntries(
      LINK_TRANSPORTS.map((t) => [t, { connections: 0, connected: 0, sent: 0, delivered: 0, stormDropped: this.stormDroppedBy[t] }]),
    ) as Record<LinkTransport, { -readonly [K in keyof TransportStats]: number }>;
    let expectedDeliveries = 0;
    let sent = 0;
    for (const s of this.streams) {
      sent += s.sent;
      transports[s.connection.plan.transport].sent += s.sent;
      expectedDeliveries += (s.sent - s.refused.length) * s.plan.receivers.length;
    }
    let delivered = 0;
    let connected = 0;
    for (const c of this.connections) {
      const t = transports[c.plan.transport];
      t.connections++;
      delivered += c.ledger.counters.delivered;
      t.delivered += c.ledger.counters.delivered;
      if (c.welcomed) {
        connected++;
        t.connected++;
      }
    }
    return {
      workerIndex: this.plan.workerIndex,
      connections: this.connections.length,
      connected,
      connectFailures: this.counters.connectFailures,
      reconnects: this.counters.reconnects,
      sent,
      accepted: this.counters.accepted,
      acked: this.counters.acked,
      storedOffline: this.counters.storedOffline,
      delivered,
      expectedDeliveries,
      outstanding: this.pending.size,
      retransmits: this.counters.retransmits,
      errors: { ...this.errors },
      cpuPercent: this.cpu.percent,
      cpuPercentMax: this.cpu.max,
      loopDelayP99Ms: Math.round(this.loopDelay.percentile(99) / 1e4) / 100,
      rssBytes: process.memoryUsage.rss(),
      notSent: this.counters.notSent,
      stormDropped: this.counters.stormDropped,
      stormReconnected: this.counters.stormReconnected,
      stormReconnectFailures: this.counters.stormReconnectFailures,
      transports,
    };
  }

  private every(ms: number, fn: () => void): void {
    this.timers.push(setInterval(fn, ms));
  }

  private countError(key: string): void {
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }

  private async connectAll(timeoutMs: number): Promise<void> {
    const startedMs = Date.now();
    let opened = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const elapsedMs = Date.now() - startedMs;
        const allowed = Math.min(this.connections.length, Math.ceil((this.plan.rampPerSec * elapsedMs) / 1000));
        while (opened < allowed && this.handshaking < MAX_CONNECTING) {
          this.open(this.connections[opened]!);
          opened++;
        }
        const done = opened === this.connections.length && this.handshaking === 0 && this.connections.every((c) => c.everWelcomed || c.attempts > 3);
        if (done || elapsedMs > timeoutMs) {
          clearInterval(tick);
          resolve();
        }
      }, 10);
    });
  }

  private open(c: Connection): void {
    if (this.closing) return;
    c.attempts++;
    c.connectStartedUs = monotonicMicros();
    const token = signToken(this.plan.secret, asUserId(c.plan.user), TOKEN_TTL_SECONDS);
    const link = this.openLink(c.plan, token, {
      onFrame: (frame) => this.onFrame(c, frame),
      onError: (kind) => {
        this.countError(kind);
        if (!c.everWelcomed) this.counters.connectFailures++;
      },
      onClose: (code) => this.onClose(c, link, code),
    });
    c.link = link;
    c.handshaking = true;
    this.handshaking++;
  }

  private openLink(plan: ConnectionPlan, token: string, events: LoadLinkEvents): LoadLink {
    switch (plan.transport) {
      case 'websocket':
        return new WebSocketLink(`${plan.url}?token=${token}`, plan.localAddress, events);
      case 'long-poll':
        return new LongPollLink(longPollEndpoint(plan.url), token, plan.localAddress, events);
      default:
        return assertNever(plan.transport);
    }
  }

  /** A link ended: unless the run is finishing, the connection reconnects (a new link of the same transport). */
  private onClose(c: Connection, link: LoadLink, code: number): void {
    if (c.link !== link) return;
    this.endHandshake(c);
    const wasWelcomed = c.welcomed;
    c.welcomed = false;
    c.link = undefined;
    if (this.closing) return;
    if (c.stormCutAtUs > 0) {
      // The storm's own cut is not an error; a later attempt that dies before its welcome is a failed reconnect.
      if (!wasWelcomed) this.counters.stormReconnectFailures++;
    } else if (wasWelcomed) this.countError(`close:${code}`);
    // Reconnect like a client: exponential backoff with full jitter, reset after a welcome.
    const delay = reconnectDelayMs(wasWelcomed ? 0 : c.attempts);
    setTimeout(() => {
      this.counters.reconnects++;
      this.open(c);
    }, delay);
  }

  private endHandshake(c: Connection): void {
    if (!c.handshaking) return;
    c.handshaking = false;
    this.handshaking--;
  }

  private write(c: Connection, frame: Uint8Array): void {
    if (c.link?.send(frame)) c.lastSentMs = Date.now();
  }

  private onFrame(c: Connection, data: Uint8Array): void {
    let frame;
    try {
      frame = decodeFrame(data);
    } catch {
      this.countError('decode');
      return;
    }
    switch (frame.packet) {
      case 'welcome': {
        const w = frame.welcome!;
        if (!c.everWelcomed) recordMicros(this.histograms.connect, monotonicMicros() - c.connectStartedUs);
        if (c.stormCutAtUs > 0) {
          recordMicros(this.histograms.reconnect, monotonicMicros() - c.stormCutAtUs);
          this.counters.stormReconnected++;
          c.stormCutAtUs = 0;
        }
        const reconnected = c.everWelcomed;
        this.endHandshake(c);
        c.welcomed = true;
        c.everWelcomed = true;
        c.attempts = 0;
        c.heartbeatMs = w.heartbeatIntervalMs || 25_000;
        // Messages that came while this user was away are in its inbox.
        this.write(c, encodeFrame({ offlineR: { limit: 0, cursor: '' } }));
        // Retransmit what is unanswered, in the original order (sender rule 2). After a
        // reconnect, also what has msg:A but no ack:N yet: that ack:N may have died with the
        // old link, and waiting the 30 s of sender rule 3 would stall the drain; the server
        // answers with the same position and repeats the ack:N.
        if (c.stream) for (const p of c.stream.pending.values()) if (!p.answered || reconnected) this.resend(p);
        if (reconnected) {
          this.reackGroups(c);
          // Catch up every conversation beside the offline pull (a group may keep no inbox entries).
          for (const conversation of c.delivery.keys()) this.sync(c, conversation);
        }
        break;
      }
      case 'msgA':
        this.onAccepted(c, frame.msgA!);
        break;
      case 'ackN':
        this.onAckNotify(c, frame.ackN!);
        break;
      case 'msgN': {
        const n = frame.msgN!;
        this.onReceived(c, n);
        // 1:1 acks are per message, repeats too; group acks are cumulative (onReceived).
        if (!isGroupConversation(n.conversation ?? '')) this.write(c, encodeFrame({ ackR: { conversation: n.conversation, position: n.position } }));
        break;
      }
      case 'offlineA': {
        const a = frame.offlineA!;
        const messages = a.messages ?? [];
        for (const n of messages) this.onReceived(c, n);
        if (messages.length > 0) this.write(c, encodeFrame({ offlineackR: { refs: messages.map((n) => ({ conversation: n.conversation, position: n.position })) } }));
        if (a.hasMore) this.write(c, encodeFrame({ offlineR: { limit: 0, cursor: a.nextCursor } }));
        break;
      }
      case 'syncA': {
        const a = frame.syncA!;
        const conversation = a.conversation ?? '';
        if (a.reset) this.countError('sync-reset');
        const messages = a.messages ?? [];
        for (const n of messages) {
          this.onReceived(c, n);
          // 1:1 messages first received by sync are acked per message (PROTOCOL.md, "Sync by seq").
          if (!isGroupConversation(conversation)) this.write(c, encodeFrame({ ackR: { conversation, position: n.position } }));
        }
        const last = messages[messages.length - 1];
        if (a.hasMore && last) this.write(c, encodeFrame({ syncR: { requestId: `s-${conversation}`, conversation, after: last.position, limit: 0 } }));
        break;
      }
      case 'groupA':
        c.groupCreated?.();
        break;
      case 'error':
        this.onError(c, frame.error!);
        break;
      case 'ackA':
      case 'pong':
        break;
      default:
        this.countError(`unexpected:${frame.packet}`);
    }
  }

  private onMessage(c: Connection, n: parley.v1.IMsgNotify): void {
    const outcome = c.ledger.record(n.conversation ?? '', n.position?.epoch ?? '', wireNumber(n.position?.seq as Uint64), n.fromUser ?? '', wireNumber(n.clientSeq as Uint64));
    if (outcome !== 'first') return;
    this.lastDeliveryUs = monotonicMicros();
    const sentAt = n.payload ? sentAtOf(n.payload) : undefined;
    if (sentAt !== undefined) recordMicros(this.histograms.msgN, monotonicMicros() - sentAt);
  }

  private deliveryOf(c: Connection, conversation: string): OrderedDelivery<parley.v1.IMsgNotify> {
    let delivery = c.delivery.get(conversation);
    if (!delivery) c.delivery.set(conversation, (delivery = new OrderedDelivery()));
    return delivery;
  }

  /**
   * A msg:N, pushed, pulled or synced: shown once its gap is filled (a live push may
   * overtake the inbox pull after a reconnect), in a group then covered by the next
   * cumulative ack. A copy of this user's own message (sent on a link that was cut before
   * its msg:A came, sequenced after the next link was up, so pushed to it as to another
   * device) is not shown again: it fills its seq (PROTOCOL.md, "Multi-device").
   */
  private onReceived(c: Connection, n: parley.v1.IMsgNotify): void {
    const conversation = n.conversation ?? '';
    const delivery = this.deliveryOf(c, conversation);
    const epoch = n.position?.epoch ?? '';
    const seq = wireNumber(n.position?.seq as Uint64);
    for (const m of n.fromUser === c.plan.user ? delivery.fill(epoch, seq) : delivery.offer(epoch, seq, n)) this.onMessage(c, m);
    this.shownUpTo(c, conversation, delivery);
  }

  /** After what a conversation shows changed: a group acks the contiguous prefix (a repeat is acked again; what is held behind a gap is not). */
  private shownUpTo(c: Connection, conversation: string, delivery: OrderedDelivery<parley.v1.IMsgNotify>): void {
    const position = delivery.position;
    if (position && isGroupConversation(conversation)) this.ackGroupLater(c, conversation, position);
  }

  /**
   * Group acks are cumulative ("I have everything up to seq"), so like a real client the
   * receiver acks the highest seq it has shown contiguously once per GROUP_ACK_INTERVAL_MS,
   * not every msg:N, and never a seq beyond a gap (the server would never re-send the gap).
   */
  private ackGroupLater(c: Connection, conversation: string, position: DeliveryPosition): void {
    const known = c.groupAcks.get(conversation);
    if (known && known.epoch === position.epoch && known.seq >= position.seq) return;
    c.groupAcks.set(conversation, position);
    this.groupAckDue.add(c);
  }

  private flushGroupAcks(): void {
    for (const c of this.groupAckDue) {
      if (!c.welcomed) continue; // the link is down: ack after the next welcome
      for (const [conversation, position] of c.groupAcks) {
        this.write(c, encodeFrame({ ackR: { conversation, position } }));
        const acked = c.groupAcked.get(conversation);
        if (!acked || acked.epoch !== position.epoch || acked.seq < position.seq) c.groupAcked.set(conversation, position);
      }
      c.groupAcks.clear();
      this.groupAckDue.delete(c);
    }
  }

  /** Asks for what follows the last contiguous position of a conversation. */
  private sync(c: Connection, conversation: string): void {
    const delivery = c.delivery.get(conversation);
    const after = delivery?.position;
    if (!delivery || !after) return;
    delivery.syncing();
    this.write(c, encodeFrame({ syncR: { requestId: `s-${conversation}`, conversation, after, limit: 0 } }));
  }

  private syncOpenGaps(): void {
    for (const c of this.connections) {
      if (!c.welcomed) continue;
      for (const [conversation, delivery] of c.delivery) if (delivery.gapOlderThan(GAP_GRACE_MS)) this.sync(c, conversation);
    }
  }

  /** After a reconnect, ack each group's position once more (PROTOCOL.md, "Group acks are cumulative"). */
  private reackGroups(c: Connection): void {
    for (const [conversation, position] of c.groupAcked) if (!c.groupAcks.has(conversation)) c.groupAcks.set(conversation, position);
    if (c.groupAcks.size > 0) this.groupAckDue.add(c);
  }

  private pendingOf(c: Connection, msgId: string | null | undefined): Pending | undefined {
    const clientSeq = Number((msgId ?? '').slice(1));
    return c.stream?.pending.get(clientSeq);
  }

  private onAccepted(c: Connection, a: parley.v1.IMsgAccepted): void {
    const stream = c.stream;
    if (!stream) return;
    const clientSeq = Number((a.msgId ?? '').slice(1));
    const epoch = a.position?.epoch ?? '';
    const seq = wireNumber(a.position?.seq as Uint64);
    const position = `${epoch}#${seq}`;
    const known = stream.positions.get(clientSeq);
    if (known === undefined) {
      stream.positions.set(clientSeq, position);
      stream.accepted.push([clientSeq, epoch, seq]);
      this.counters.accepted++;
      const p = stream.pending.get(clientSeq);
      if (p) {
        p.answered = true;
        p.timeoutMs = ACK_TIMEOUT_MS;
        recordMicros(this.histograms.msgA, monotonicMicros() - p.sentAtUs);
      }
    } else if (known !== position) {
      stream.positionChanges++;
    }
    // No msg:N comes back to the sending connection: its msg:A fills that seq (receiver rule 4).
    this.fillOwn(c, stream.plan.conversation, epoch, seq);
  }

  /** One of this connection's own messages has (epoch, seq): not a gap in what it shows. */
  private fillOwn(c: Connection, conversation: string, epoch: string, seq: number): void {
    const delivery = this.deliveryOf(c, conversation);
    for (const m of delivery.fill(epoch, seq)) this.onMessage(c, m);
    this.shownUpTo(c, conversation, delivery);
  }

  private onAckNotify(c: Connection, n: parley.v1.IAckNotify): void {
    // An ack:N is the first sign of its message's seq when it overtook the msg:A, or when the msg:A died with a cut link.
    if (c.stream && n.position) this.fillOwn(c, n.conversation || c.stream.plan.conversation, n.position.epoch ?? '', wireNumber(n.position.seq as Uint64));
    const p = this.pendingOf(c, n.msgId);
    if (n.status === AckStatus.ACK_STATUS_STORED_OFFLINE) {
      this.counters.storedOffline++;
      if (p) this.settle(p); // the receiver's inbox has it; its next pull hands it over
      return;
    }
    if (!p) return; // a repeat for a message already settled
    recordMicros(this.histograms.ackN, monotonicMicros() - p.sentAtUs);
    this.counters.acked++;
    this.settle(p);
  }

  private settle(p: Pending): void {
    p.stream.pending.delete(p.clientSeq);
    this.pending.delete(p);
  }

  private onError(c: Connection, e: parley.v1.IError): void {
    this.countError(errorCodeName(e.code ?? 0) ?? `code:${e.code}`);
    const p = this.pendingOf(c, e.msgId);
    if (!p) return;
    if (e.retryable) {
      p.lastSentMs = Date.now(); // retransmitted by the timer after its timeout
    } else {
      p.stream.refused.push(p.clientSeq);
      this.settle(p);
    }
  }

  private sendDue(): void {
    if (!this.sending || this.streams.length === 0) return;
    const elapsedUs = monotonicMicros() - this.sendStartedUs;
    const due = Math.floor((this.plan.ratePerSec * elapsedUs) / 1e6) - this.scheduled;
    for (let i = 0; i < due; i++) {
      this.scheduled++;
      if (!this.sendNext()) this.counters.notSent++;
    }
  }

  /**
   * Sends the next message of the next stream whose connection is up, or queues it on a
   * connection that was up and lost its link (a client keeps its outbox across a
   * reconnect; the welcome sends the queue in order). Never-connected senders are skipped.
   */
  private sendNext(): boolean {
    for (let tries = 0; tries < this.streams.length; tries++) {
      const stream = this.streams[this.nextStream]!;
      this.nextStream = (this.nextStream + 1) % this.streams.length;
      if (!stream.connection.everWelcomed) continue;
      const clientSeq = ++stream.sent;
      const sentAtUs = monotonicMicros();
      const frame = encodeFrame({
        msgR: {
          msgId: `m${clientSeq}`,
          clientSeq,
          payload: makePayload(this.plan.payloadBytes, sentAtUs),
          ...(stream.plan.toUser ? { toUser: stream.plan.toUser } : { conversation: stream.plan.conversation }),
        },
      });
      const up = stream.connection.welcomed;
      const p: Pending = { stream, clientSeq, frame, sentAtUs, lastSentMs: Date.now(), timeoutMs: this.plan.retransmitMs, answered: false, written: up };
      stream.pending.set(clientSeq, p);
      this.pending.add(p);
      if (up) this.write(stream.connection, frame);
      return true;
    }
    return false;
  }

  private resend(p: Pending): void {
    if (p.written) this.counters.retransmits++;
    p.written = true;
    p.lastSentMs = Date.now();
    this.write(p.stream.connection, p.frame);
  }

  private retransmit(): void {
    const now = Date.now();
    for (const p of this.pending) {
      if (now - p.lastSentMs < p.timeoutMs || !p.stream.connection.welcomed) continue;
      this.resend(p);
      if (!p.answered) p.timeoutMs *= 2;
    }
  }

  private heartbeat(): void {
    const now = Date.now();
    for (const c of this.connections) {
      if (c.welcomed && now - c.lastSentMs >= c.heartbeatMs / 2) this.write(c, encodeFrame({ ping: { nonce: now } }));
    }
  }

  private async createGroups(timeoutMs: number): Promise<void> {
    await Promise.all(
      this.plan.groups.map(
        (g) =>
          new Promise<void>((resolve) => {
            const c = this.connections[g.connection]!;
            const timer = setTimeout(() => {
              this.countError('group-create-timeout');
              resolve();
            }, timeoutMs);
            c.groupCreated = () => {
              clearTimeout(timer);
              c.groupCreated = undefined;
              resolve();
            };
            this.write(c, encodeFrame({ groupR: { requestId: g.groupId, create: { groupId: g.groupId, members: [...g.members] } } }));
          }),
      ),
    );
  }
}
