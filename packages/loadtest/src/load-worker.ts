// One load-generating process: opens its share of connections (ramped, bound to its
// source addresses, each over a WebSocket or long-poll link, each a stable simulated
// device), speaks the wire protocol with raw frames and its own model of the client rules
// (not the SDK): client_seq per (device, conversation), go-back-N retransmits, gap syncs
// with backoff, rate-limited 1:1 acks, resync:N and new epochs; and records what it saw,
// frames each way included.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { assertNever, CloseCode, decodeFrame, encodeFrame, ErrorCode, errorCodeName, isGroupConversation, parley } from '@parley/protocol';
import { signToken } from '@parley/auth';
import { asUserId } from '@parley/protocol';
import type { Histogram } from 'hdr-histogram-js';
import { encodeHistogram, LATENCY_NAMES, LatencyName, monotonicMicros, newHistogram, recordMicros } from './latency';
import { makePayload, sentAtOf } from './payload';
import type { ConnectionPlan, SenderPlan, WorkerPlan } from './plan';
import { DRAINED_RECONNECT_JITTER_MS, pickStormVictims, reconnectDelayMs } from './storm';
import { DeliveryPosition, OrderedDelivery } from './ordered-delivery';
import { emptyReceiptCounters, ReceiptCounters, ReceiptLedger, SenderReport } from './verdict';
import { SendQueue } from './send-queue';
import { AckLimiter } from './ack-limiter';
import { TimelineRecorder } from './timeline';
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
/** Cap of the doubling retransmit timeout of unaccepted messages. */
const MAX_RETRANSMIT_MS = 30_000;
/** A 1:1 position is acked at most once per this interval, however many copies of it arrive. */
const DIRECT_ACK_INTERVAL_MS = 1000;
/** A pull not done after this long no longer holds pushes back (they are released as they stand). */
const PULL_HOLD_LIMIT_MS = 30_000;
/** Handshakes in flight at once per worker. */
const MAX_CONNECTING = 500;
const TOKEN_TTL_SECONDS = 24 * 3600;
/** How often a receiver sends its cumulative group acks (well under the 5 s re-push timeout). */
const GROUP_ACK_INTERVAL_MS = 100;
/** At the end of a run, how long closing the links (long-poll sessions: /lp/close) may take, in milliseconds. */
const LINK_CLOSE_WAIT_MS = 2000;

/** The simulated device of a connection: the same across its reconnects, so its client_seqs continue. */
export const deviceOf = (user: string): string => `${user}-dev`;

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
  /** When a draining gateway closed this connection (4007), until its next welcome; 0: not drained. */
  drainedAtUs: number;
  readonly acks: AckLimiter;
  /** The gateway URL this connection uses now: its planned one, the next one after an attempt that never got a welcome. */
  url: string;
  /** Since when the inbox pull after a welcome or resync:N runs (0: none running). */
  pullStartedMs: number;
  /** Sync every conversation once the pull is done (after a reconnect or resync:N). */
  syncAfterPull: boolean;
  /** Pushes (and own msg:A fills) of an epoch this connection has not delivered from, held until the pull is done. */
  readonly heldDuringPull: Array<() => void>;
}

interface Pending {
  readonly frame: Uint8Array;
  readonly sentAtUs: number;
}

interface SenderStream {
  readonly plan: SenderPlan;
  readonly connection: Connection;
  sent: number;
  /** Refused for good before any msg:A: not expected anywhere. */
  readonly refused: number[];
  clientSeqReused: number;
  /** client_seq -> the position its first msg:A gave. */
  readonly positions: Map<number, { readonly epoch: string; readonly seq: number }>;
  readonly accepted: Array<[number, string, number]>;
  positionChanges: number;
  reSequenced: number;
  /** The device's outbox for this conversation: client_seq order, go-back-N. */
  readonly queue: SendQueue<Pending>;
}

export class LoadWorker {
  private readonly connections: Connection[];
  private readonly streams: SenderStream[];
  private readonly histograms: Record<LatencyName, Histogram>;
  private readonly errors: Record<string, number> = {};
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly groupAckDue = new Set<Connection>();
  private readonly timeline = new TimelineRecorder();
  private readonly framesUp: Record<string, number> = {};
  private readonly framesDown: Record<string, number> = {};
  private counters = {
    connectFailures: 0,
    reconnects: 0,
    accepted: 0,
    acked: 0,
    storedOffline: 0,
    notSent: 0,
    stormDropped: 0,
    stormReconnected: 0,
    stormReconnectFailures: 0,
    drainedClosed: 0,
    drainedReconnected: 0,
    resyncs: 0,
    syncs: 0,
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

  /** The CA of --ca (PEM), read once. */
  private readonly ca: string | undefined;

  constructor(
    private readonly plan: WorkerPlan,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    this.ca = plan.caFile === undefined ? undefined : readFileSync(plan.caFile, 'utf8');
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
      drainedAtUs: 0,
      acks: new AckLimiter(DIRECT_ACK_INTERVAL_MS),
      url: c.url,
      pullStartedMs: 0,
      syncAfterPull: false,
      heldDuringPull: [],
    }));
    const timing = { retransmitMs: plan.retransmitMs, maxRetransmitMs: Math.max(plan.retransmitMs, MAX_RETRANSMIT_MS), ackTimeoutMs: ACK_TIMEOUT_MS };
    this.streams = plan.senders.map((s) => {
      const connection = this.connections[s.connection]!;
      const stream: SenderStream = {
        plan: s,
        connection,
        sent: 0,
        refused: [],
        clientSeqReused: 0,
        positions: new Map(),
        accepted: [],
        positionChanges: 0,
        reSequenced: 0,
        queue: new SendQueue<Pending>(timing),
      };
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
    this.every(100, () => this.retransmit());
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

  /** The drain started: first arrivals from now on are late. */
  draining(): void {
    for (const c of this.connections) c.ledger.draining = true;
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
      timeline: this.timeline.encode(),
      framesUp: { ...this.framesUp },
      framesDown: { ...this.framesDown },
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
    const unacked: number[] = [];
    for (const p of s.queue.unsettled()) (p.accepted ? unacked : unanswered).push(p.clientSeq);
    return {
      from: s.connection.plan.user,
      conversation: s.plan.conversation,
      sent: s.sent,
      refused: s.refused,
      clientSeqReused: s.clientSeqReused,
      unanswered,
      unacked,
      accepted: s.accepted,
      positionChanges: s.positionChanges,
      reSequenced: s.reSequenced,
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
    let outstanding = 0;
    let retransmits = 0;
    for (const s of this.streams) {
      sent += s.sent;
      outstanding += s.queue.size;
      retransmits += s.queue.retransmits;
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
      outstanding,
      retransmits,
      resyncs: this.counters.resyncs,
      syncs: this.counters.syncs,
      errors: { ...this.errors },
      cpuPercent: this.cpu.percent,
      cpuPercentMax: this.cpu.max,
      loopDelayP99Ms: Math.round(this.loopDelay.percentile(99) / 1e4) / 100,
      rssBytes: process.memoryUsage.rss(),
      notSent: this.counters.notSent,
      stormDropped: this.counters.stormDropped,
      stormReconnected: this.counters.stormReconnected,
      stormReconnectFailures: this.counters.stormReconnectFailures,
      drainedClosed: this.counters.drainedClosed,
      drainedReconnected: this.counters.drainedReconnected,
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
    const link = this.openLink(c.plan, c.url, token, {
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

  private openLink(plan: ConnectionPlan, url: string, token: string, events: LoadLinkEvents): LoadLink {
    switch (plan.transport) {
      case 'websocket':
        return new WebSocketLink(`${url}?token=${token}&device=${deviceOf(plan.user)}`, plan.localAddress, events, this.ca);
      case 'long-poll':
        return new LongPollLink(longPollEndpoint(url, this.ca), token, plan.localAddress, events, deviceOf(plan.user));
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
    if (code === CloseCode.DRAINING) {
      // The gateway is going away on purpose: like the SDK, another gateway now, no backoff.
      this.counters.drainedClosed++;
      if (c.drainedAtUs === 0) c.drainedAtUs = monotonicMicros();
      c.attempts = 0;
      if (this.plan.urls.length > 1) this.rotateGateway(c);
      setTimeout(() => {
        this.counters.reconnects++;
        this.open(c);
      }, Math.random() * DRAINED_RECONNECT_JITTER_MS);
      return;
    }
    if (c.stormCutAtUs > 0) {
      // The storm's own cut is not an error; a later attempt that dies before its welcome is a failed reconnect.
      if (!wasWelcomed) this.counters.stormReconnectFailures++;
    } else if (wasWelcomed) this.countError(`close:${code}`);
    // An attempt that never got its welcome (the gateway is gone or refuses): the next one goes to the next gateway.
    if (!wasWelcomed && this.plan.urls.length > 1) this.rotateGateway(c);
    // Reconnect like a client: exponential backoff with full jitter, reset after a welcome.
    const delay = reconnectDelayMs(wasWelcomed ? 0 : c.attempts);
    setTimeout(() => {
      this.counters.reconnects++;
      this.open(c);
    }, delay);
  }

  private rotateGateway(c: Connection): void {
    const urls = this.plan.urls;
    c.url = urls[(urls.indexOf(c.url) + 1) % urls.length]!;
  }

  private endHandshake(c: Connection): void {
    if (!c.handshaking) return;
    c.handshaking = false;
    this.handshaking--;
  }

  /** Writes one frame of kind `packet` (counted per kind: frames per message show retry amplification). */
  private write(c: Connection, packet: string, frame: Uint8Array): void {
    if (!c.link?.send(frame)) return;
    c.lastSentMs = Date.now();
    this.framesUp[packet] = (this.framesUp[packet] ?? 0) + 1;
    this.timeline.frameUp(monotonicMicros());
  }

  private onFrame(c: Connection, data: Uint8Array): void {
    let frame;
    try {
      frame = decodeFrame(data);
    } catch {
      this.countError('decode');
      return;
    }
    const packet = frame.packet ?? 'none';
    this.framesDown[packet] = (this.framesDown[packet] ?? 0) + 1;
    this.timeline.frameDown(monotonicMicros());
    switch (frame.packet) {
      case 'welcome': {
        const w = frame.welcome!;
        if (!c.everWelcomed) recordMicros(this.histograms.connect, monotonicMicros() - c.connectStartedUs);
        if (c.stormCutAtUs > 0) {
          recordMicros(this.histograms.reconnect, monotonicMicros() - c.stormCutAtUs);
          this.counters.stormReconnected++;
          c.stormCutAtUs = 0;
        }
        if (c.drainedAtUs > 0) {
          recordMicros(this.histograms.drained, monotonicMicros() - c.drainedAtUs);
          this.counters.drainedReconnected++;
          c.drainedAtUs = 0;
        }
        const reconnected = c.everWelcomed;
        this.endHandshake(c);
        c.welcomed = true;
        c.everWelcomed = true;
        c.attempts = 0;
        c.heartbeatMs = w.heartbeatIntervalMs || 25_000;
        if (w.deviceId && w.deviceId !== deviceOf(c.plan.user)) this.countError('welcome-device-mismatch');
        this.catchUp(c, reconnected);
        break;
      }
      case 'resyncN':
        // The server lost state (its Redis): catch up exactly as after a welcome.
        this.counters.resyncs++;
        this.catchUp(c, true, false);
        break;
      case 'msgA':
        this.onAccepted(c, frame.msgA!);
        break;
      case 'ackN':
        this.onAckNotify(c, frame.ackN!);
        break;
      case 'msgN': {
        const n = frame.msgN!;
        const conversation = n.conversation ?? '';
        if (this.holdsEpoch(c, conversation, n.position?.epoch ?? '')) c.heldDuringPull.push(() => this.onReceived(c, n));
        else this.onReceived(c, n);
        // 1:1 acks are per message, repeats too (at most once per interval); group acks are cumulative (onReceived).
        if (!isGroupConversation(n.conversation ?? '')) this.ackDirect(c, n.conversation ?? '', n.position);
        break;
      }
      case 'offlineA': {
        const a = frame.offlineA!;
        const messages = a.messages ?? [];
        for (const n of messages) this.onReceived(c, n);
        if (messages.length > 0) this.write(c, 'offlineackR', encodeFrame({ offlineackR: { refs: messages.map((n) => ({ conversation: n.conversation, position: n.position })) } }));
        if (a.hasMore) this.write(c, 'offlineR', encodeFrame({ offlineR: { limit: 0, cursor: a.nextCursor } }));
        else this.pullDone(c);
        break;
      }
      case 'syncA': {
        const a = frame.syncA!;
        const conversation = a.conversation ?? '';
        const messages = a.messages ?? [];
        const first = messages[0];
        if (a.reset) {
          // The page does not follow the position asked from (a new epoch, or past the retention): continue from the page.
          this.countError('sync-reset');
          if (first?.position) for (const m of this.deliveryOf(c, conversation).reset(first.position.epoch ?? '', wireNumber(first.position.seq as Uint64))) this.onMessage(c, m);
        }
        for (const n of messages) {
          this.onReceived(c, n);
          // 1:1 messages first received by sync are acked per message (PROTOCOL.md, "Sync by seq").
          if (!isGroupConversation(conversation)) this.ackDirect(c, conversation, n.position);
        }
        const last = messages[messages.length - 1];
        if (a.hasMore && last) this.write(c, 'syncR', encodeFrame({ syncR: { requestId: `s-${conversation}`, conversation, after: last.position, limit: 0 } }));
        else c.delivery.get(conversation)?.synced();
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
    const nowUs = monotonicMicros();
    this.lastDeliveryUs = nowUs;
    const sentAt = n.payload ? sentAtOf(n.payload) : undefined;
    if (sentAt !== undefined) {
      recordMicros(this.histograms.msgN, nowUs - sentAt);
      this.timeline.delivered(sentAt, nowUs - sentAt);
    }
  }

  /** A 1:1 ack:R for a position, unless this one was acked less than DIRECT_ACK_INTERVAL_MS ago. */
  private ackDirect(c: Connection, conversation: string, position: parley.v1.IPosition | null | undefined): void {
    if (!position) return;
    if (!c.acks.allow(`${conversation}\u0000${position.epoch ?? ''}\u0000${wireNumber(position.seq as Uint64)}`)) return;
    this.write(c, 'ackR', encodeFrame({ ackR: { conversation, position } }));
  }

  /**
   * After a welcome (and after resync:N, "exactly as after a welcome"): pull the inbox,
   * send the outbox again in client_seq order (what is unaccepted; after a new link also
   * what has msg:A but no ack:N yet: that ack:N may have died with the old link, and the
   * server answers with the same position and repeats it; after resync:N not, as the server
   * lost its dedupe and publishes the ack:N it owes again itself), and, when this is not the
   * first link, ack the groups again and sync every conversation beside the pull (a group
   * may keep no inbox entries).
   */
  private catchUp(c: Connection, again: boolean, newLink = true): void {
    c.pullStartedMs = Date.now();
    c.syncAfterPull ||= again;
    this.write(c, 'offlineR', encodeFrame({ offlineR: { limit: 0, cursor: '' } }));
    if (c.stream) {
      c.stream.queue.restart(newLink);
      this.flush(c.stream);
    }
    if (again) this.reackGroups(c);
  }

  /**
   * While the pull after a welcome or resync:N runs, a pushed message (or an own msg:A) of
   * an epoch the connection has not delivered from waits: the pull's messages of the epoch
   * it was in come first (PROTOCOL.md, receiver rule 5 and "resync:N").
   */
  private holdsEpoch(c: Connection, conversation: string, epoch: string): boolean {
    if (c.pullStartedMs === 0) return false;
    const position = c.delivery.get(conversation)?.position;
    return position === undefined || position.epoch !== epoch;
  }

  /** The pull ended: what was held is delivered, then every conversation is synced (after a reconnect or resync:N). */
  private pullDone(c: Connection): void {
    if (c.pullStartedMs === 0) return;
    c.pullStartedMs = 0;
    for (const release of c.heldDuringPull.splice(0)) release();
    if (c.syncAfterPull) {
      c.syncAfterPull = false;
      for (const conversation of c.delivery.keys()) this.sync(c, conversation);
    }
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
    // seq 0: a new epoch with nothing delivered yet, nothing to ack (an ack:R names a message).
    if (position && position.seq > 0 && isGroupConversation(conversation)) this.ackGroupLater(c, conversation, position);
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
        this.write(c, 'ackR', encodeFrame({ ackR: { conversation, position } }));
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
    this.counters.syncs++;
    this.write(c, 'syncR', encodeFrame({ syncR: { requestId: `s-${conversation}`, conversation, after, limit: 0 } }));
  }

  /**
   * A new epoch waiting is synced at once, a gap open past its grace once; then again after a
   * backoff while it stays open (OrderedDelivery.syncDue).
   */
  private syncOpenGaps(): void {
    const now = Date.now();
    for (const c of this.connections) {
      if (!c.welcomed) continue;
      if (c.pullStartedMs > 0 && now - c.pullStartedMs > PULL_HOLD_LIMIT_MS) {
        this.countError('pull-not-done');
        this.pullDone(c);
      }
      if (c.pullStartedMs > 0) continue; // syncs start once the pull is done
      for (const [conversation, delivery] of c.delivery) {
        // A new epoch no sync reached within the bound is entered as it stands (counted: a late old-epoch message may follow).
        const expiredBefore = delivery.epochHoldsExpired;
        const released = delivery.expireWait();
        if (delivery.epochHoldsExpired > expiredBefore) this.countError('epoch-hold-expired');
        for (const m of released) this.onMessage(c, m);
        if (released.length > 0) this.shownUpTo(c, conversation, delivery);
        if (delivery.syncDue()) this.sync(c, conversation);
      }
    }
  }

  /** After a reconnect, ack each group's position once more (PROTOCOL.md, "Group acks are cumulative"). */
  private reackGroups(c: Connection): void {
    for (const [conversation, position] of c.groupAcked) if (!c.groupAcks.has(conversation)) c.groupAcks.set(conversation, position);
    if (c.groupAcks.size > 0) this.groupAckDue.add(c);
  }

  private clientSeqOf(msgId: string | null | undefined): number {
    return Number((msgId ?? '').slice(1));
  }

  private onAccepted(c: Connection, a: parley.v1.IMsgAccepted): void {
    const stream = c.stream;
    if (!stream) return;
    const clientSeq = this.clientSeqOf(a.msgId);
    const epoch = a.position?.epoch ?? '';
    const seq = wireNumber(a.position?.seq as Uint64);
    const known = stream.positions.get(clientSeq);
    if (known === undefined) {
      stream.positions.set(clientSeq, { epoch, seq });
      stream.accepted.push([clientSeq, epoch, seq]);
      this.counters.accepted++;
    } else if (known.epoch !== epoch) {
      stream.reSequenced++; // the server lost its state and sequenced a retransmit anew
    } else if (known.seq !== seq) {
      stream.positionChanges++;
    }
    const entry = stream.queue.accepted(clientSeq);
    if (entry) recordMicros(this.histograms.msgA, monotonicMicros() - entry.message.sentAtUs);
    // No msg:N comes back to the sending connection: its msg:A fills that seq (receiver rule 4).
    this.fillOwn(c, stream.plan.conversation, epoch, seq);
    // client_seq 1's msg:A lets the rest go; progress may also end a retransmit wait.
    this.flush(stream);
  }

  /** One of this connection's own messages has (epoch, seq): not a gap in what it shows. */
  private fillOwn(c: Connection, conversation: string, epoch: string, seq: number): void {
    if (this.holdsEpoch(c, conversation, epoch)) {
      c.heldDuringPull.push(() => this.fillOwn(c, conversation, epoch, seq));
      return;
    }
    const delivery = this.deliveryOf(c, conversation);
    for (const m of delivery.fill(epoch, seq)) this.onMessage(c, m);
    this.shownUpTo(c, conversation, delivery);
  }

  private onAckNotify(c: Connection, n: parley.v1.IAckNotify): void {
    const stream = c.stream;
    // An ack:N is the first sign of its message's seq when it overtook the msg:A, or when the msg:A died with a cut link.
    if (stream && n.position) this.fillOwn(c, n.conversation || stream.plan.conversation, n.position.epoch ?? '', wireNumber(n.position.seq as Uint64));
    if (!stream) return;
    const clientSeq = this.clientSeqOf(n.msgId);
    if (n.status === AckStatus.ACK_STATUS_STORED_OFFLINE) this.counters.storedOffline++;
    const entry = stream.queue.settle(clientSeq);
    if (!entry) return; // a repeat for a message already settled
    if (n.status !== AckStatus.ACK_STATUS_STORED_OFFLINE) {
      recordMicros(this.histograms.ackN, monotonicMicros() - entry.message.sentAtUs);
      this.counters.acked++;
    }
    if (!entry.accepted && n.position && !stream.positions.has(clientSeq)) {
      // The ack:N overtook the msg:A (or the msg:A died with a link): it names the position.
      const position = { epoch: n.position.epoch ?? '', seq: wireNumber(n.position.seq as Uint64) };
      stream.positions.set(clientSeq, position);
      stream.accepted.push([clientSeq, position.epoch, position.seq]);
      this.counters.accepted++;
    }
    this.flush(stream);
  }

  private onError(c: Connection, e: parley.v1.IError): void {
    const code = e.code ?? 0;
    this.countError(errorCodeName(code) ?? `code:${code}`);
    const stream = c.stream;
    if (!stream || !e.msgId || !/^m[0-9]+$/.test(e.msgId)) return;
    const clientSeq = this.clientSeqOf(e.msgId);
    if (e.retryable) {
      const expected = wireNumber(e.expectedClientSeq as Uint64);
      if (code === ErrorCode.OUT_OF_ORDER && stream.refused.includes(expected)) {
        // The server waits for a number that was refused for good (the tester does not renumber): the stream cannot go on.
        this.countError('stream-stuck');
        stream.queue.halt();
        return;
      }
      stream.queue.refused(clientSeq, code === ErrorCode.OUT_OF_ORDER && expected > 0 ? expected : undefined, Date.now());
      this.flush(stream);
      return;
    }
    if (code === ErrorCode.CLIENT_SEQ_REUSED && stream.positions.has(clientSeq)) {
      // Sent again for a missing ack:N after the server lost its state (and its dedupe):
      // the message stays accepted and still waits for its ack:N (PROTOCOL.md, client rule 4).
      this.countError('CLIENT_SEQ_REUSED-after-msg:A');
      return;
    }
    // The tester never loses its counters: the server taking a number twice is a failure.
    if (code === ErrorCode.CLIENT_SEQ_REUSED) stream.clientSeqReused++;
    const entry = stream.queue.settle(clientSeq);
    // Refused for good before any msg:A: not expected anywhere. One that was accepted before stays expected.
    if (entry && !stream.positions.has(clientSeq)) stream.refused.push(clientSeq);
    this.flush(stream);
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
   * Queues the next message of the next stream whose connection came up once (a client
   * keeps its outbox across a reconnect; the welcome sends the queue in order) and sends
   * what its queue allows now. Never-connected senders are skipped.
   */
  private sendNext(): boolean {
    for (let tries = 0; tries < this.streams.length; tries++) {
      const stream = this.streams[this.nextStream]!;
      this.nextStream = (this.nextStream + 1) % this.streams.length;
      if (!stream.connection.everWelcomed) continue;
      const sentAtUs = monotonicMicros();
      stream.sent++;
      stream.queue.push((clientSeq) => ({
        sentAtUs,
        frame: encodeFrame({
          msgR: {
            msgId: `m${clientSeq}`,
            clientSeq,
            payload: makePayload(this.plan.payloadBytes, sentAtUs),
            ...(stream.plan.toUser ? { toUser: stream.plan.toUser } : { conversation: stream.plan.conversation }),
          },
        }),
      }));
      this.timeline.sent(sentAtUs, stream.plan.receivers.length);
      this.flush(stream);
      return true;
    }
    return false;
  }

  /** Writes what the stream's queue allows now (nothing while its link is down: the welcome restarts it). */
  private flush(stream: SenderStream): void {
    if (!stream.connection.welcomed) return;
    for (const entry of stream.queue.due(Date.now())) this.write(stream.connection, 'msgR', entry.message.frame);
  }

  private retransmit(): void {
    for (const stream of this.streams) if (stream.queue.size > 0) this.flush(stream);
  }

  private heartbeat(): void {
    const now = Date.now();
    for (const c of this.connections) {
      if (c.welcomed && now - c.lastSentMs >= c.heartbeatMs / 2) this.write(c, 'ping', encodeFrame({ ping: { nonce: now } }));
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
            this.write(c, 'groupR', encodeFrame({ groupR: { requestId: g.groupId, create: { groupId: g.groupId, members: [...g.members] } } }));
          }),
      ),
    );
  }
}
