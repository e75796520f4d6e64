// One load-generating process: opens its share of connections (ramped, bound to its source
// addresses, each over a WebSocket or long-poll link, each a stable simulated device), speaks
// the wire protocol with raw frames and its own model of the client rules (not the SDK's), and
// records what it saw. This file composes the parts and routes each inbound packet:
// Connector (links, reconnects, storms), Senders (client_seq per device and conversation,
// go-back-N retransmits, msg:A / ack:N / refusals), Receiver (ordered delivery into the
// verdict's ledger, 1:1 and group acks, the pull and syncs after a welcome or resync:N).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { toAccepted, toAckReceipt, toOfflinePage, toReceivedMessage, toServerError, toSyncPage } from '@parley/client/wire';
import { decodeFrame, encodeFrame } from '@parley/protocol';
import { Connector } from './connector';
import { CpuMeter, cpuSecondsSince } from './cpu-meter';
import { GROUP_ACK_INTERVAL_MS, GroupAcks } from './group-acks';
import { monotonicMicros } from './latency';
import { newConnection, type Connection } from './load-connection';
import type { WorkerPlan } from './plan';
import { Receiver } from './receiver';
import { Senders } from './senders';
import { emptyReceiptCounters, ReceiptCounters } from './verdict';
import type { WorkerMessage, WorkerResult, WorkerStats } from './worker-protocol';
import { workerStats } from './worker-stats';
import { WorkerTally } from './worker-tally';

/** At the end of a run, how long closing the links (long-poll sessions: /lp/close) may take, in milliseconds. */
const LINK_CLOSE_WAIT_MS = 2000;

export class LoadWorker {
  private readonly connections: Connection[];
  private readonly tally = new WorkerTally();
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private readonly cpu = new CpuMeter(monotonicMicros);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly groupAcks: GroupAcks<Connection>;
  private readonly connector: Connector;
  private readonly senders: Senders;
  private readonly receiver: Receiver;
  /** process.cpuUsage() at `go` (undefined before). */
  private cpuAtGo: NodeJS.CpuUsage | undefined;

  constructor(
    private readonly plan: WorkerPlan,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    this.connections = plan.connections.map((c, index) => newConnection(c, index));
    const write = (c: Connection, packet: string, frame: Uint8Array): void => this.write(c, packet, frame);
    this.groupAcks = new GroupAcks<Connection>((c, conversation, position) => write(c, 'ackR', encodeFrame({ ackR: { conversation, position } })));
    this.receiver = new Receiver(this.tally, write, this.groupAcks);
    this.senders = new Senders(plan, this.connections, this.tally, write, (c, conversation, epoch, seq) => this.receiver.fillOwn(c, conversation, epoch, seq));
    this.connector = new Connector(plan, this.connections, this.tally, (c, frame) => this.onFrame(c, frame));
    this.loopDelay.enable();
  }

  /** Connects everyone (ramped), creates this worker's groups, then reports `ready`. */
  async prepare(connectTimeoutMs: number): Promise<void> {
    this.every(1000, () => this.post({ type: 'progress', stats: this.stats() }));
    this.every(1000, () => this.heartbeat());
    this.every(100, () => this.senders.retransmit());
    this.every(GROUP_ACK_INTERVAL_MS, () => this.groupAcks.flush());
    this.every(250, () => this.receiver.syncOpenGaps(this.connections));
    await this.connector.connectAll(connectTimeoutMs);
    await this.createGroups(connectTimeoutMs);
    this.post({ type: 'ready', stats: this.stats() });
  }

  go(): void {
    this.cpuAtGo = process.cpuUsage();
    this.senders.start();
    this.every(5, () => this.senders.sendDue());
  }

  stopSending(): void {
    this.senders.stop();
  }

  /** The drain started: first arrivals from now on are late. */
  draining(): void {
    for (const c of this.connections) c.ledger.draining = true;
    this.post({ type: 'draining', stats: this.stats() });
  }

  /** A reconnect storm: cuts `percent`% of the connections that are up (Connector.storm). */
  storm(percent: number): void {
    this.connector.storm(percent);
  }

  /** Stops everything, closes every link (telling the server, for at most LINK_CLOSE_WAIT_MS) and returns what this worker saw. */
  async finish(): Promise<WorkerResult> {
    this.stopSending();
    this.connector.stopReconnecting();
    for (const t of this.timers) clearInterval(t);
    const result: WorkerResult = {
      stats: this.stats(),
      histograms: this.tally.encodedHistograms(),
      senders: this.senders.reports(),
      receipts: this.connections.flatMap((c) => c.ledger.reports()),
      neverConnected: this.connections.filter((c) => !c.everWelcomed).map((c) => c.plan.user),
      counters: this.connections.reduce<ReceiptCounters>((total, c) => {
        for (const key of Object.keys(total) as Array<keyof ReceiptCounters>) total[key] += c.ledger.counters[key];
        return total;
      }, emptyReceiptCounters()),
      samples: this.connections.flatMap((c) => c.ledger.samples).slice(0, 20),
      timeline: this.tally.timeline.encode(),
      framesUp: { ...this.tally.framesUp },
      framesDown: { ...this.tally.framesDown },
      sendStartedAtUs: this.senders.startedUs,
      sendStoppedAtUs: this.senders.stoppedUs || monotonicMicros(),
      lastDeliveryAtUs: this.tally.lastDeliveryUs,
      cpuSecondsSinceGo: this.cpuAtGo === undefined ? 0 : cpuSecondsSince(this.cpuAtGo),
    };
    this.loopDelay.disable();
    const closed = this.connector.closeAll();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, LINK_CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    return result;
  }

  stats(): WorkerStats {
    this.cpu.sample();
    return workerStats(this.plan.workerIndex, this.connections, this.senders.streams, this.tally, {
      cpuPercent: this.cpu.percent,
      cpuPercentMax: this.cpu.max,
      loopDelayP99Ms: Math.round(this.loopDelay.percentile(99) / 1e4) / 100,
      rssBytes: process.memoryUsage.rss(),
    });
  }

  private every(ms: number, fn: () => void): void {
    this.timers.push(setInterval(fn, ms));
  }

  /** Writes one frame of kind `packet` (counted per kind: frames per message show retry amplification). */
  private write(c: Connection, packet: string, frame: Uint8Array): void {
    if (!c.link?.send(frame)) return;
    c.lastSentMs = Date.now();
    this.tally.frameUp(packet);
  }

  /** One inbound frame: decoded, each packet checked (a malformed one is counted, not used) and handed to the part that owns it. */
  private onFrame(c: Connection, data: Uint8Array): void {
    // Most frames of a group fan-out: a msg:N that simply comes next, taken from its bytes.
    if (this.receiver.tryPushedBytes(c, data)) {
      this.tally.frameDown('msgN');
      return;
    }
    let frame;
    try {
      frame = decodeFrame(data);
    } catch {
      this.tally.countError('decode');
      return;
    }
    this.tally.frameDown(frame.packet ?? 'none');
    switch (frame.packet) {
      case 'welcome': {
        const w = frame.welcome!;
        const reconnected = this.connector.welcomed(c, w.heartbeatIntervalMs ?? 0, w.deviceId ?? '');
        this.catchUp(c, reconnected);
        break;
      }
      case 'resyncN':
        // The server lost state (its Redis): catch up exactly as after a welcome.
        this.tally.counters.resyncs++;
        this.catchUp(c, true, false);
        break;
      case 'msgA': {
        const accepted = toAccepted(frame.msgA!);
        if (accepted) this.senders.onAccepted(c, accepted);
        else this.tally.countError('malformed:msgA');
        break;
      }
      case 'ackN': {
        const receipt = toAckReceipt(frame.ackN!);
        if (receipt) this.senders.onAckNotify(c, receipt);
        else this.tally.countError('malformed:ackN');
        break;
      }
      case 'msgN': {
        const message = toReceivedMessage(frame.msgN!);
        if (message) this.receiver.onPushed(c, message);
        else this.tally.countError('malformed:msgN');
        break;
      }
      case 'offlineA': {
        const page = toOfflinePage(frame.offlineA!);
        if (page.malformed > 0) this.tally.countError('malformed:offlineA');
        this.receiver.onOfflinePage(c, page);
        break;
      }
      case 'syncA': {
        const page = toSyncPage(frame.syncA!);
        if (!page || page.malformed > 0) this.tally.countError('malformed:syncA');
        if (page) this.receiver.onSyncPage(c, page);
        break;
      }
      case 'groupA':
        c.groupCreated?.();
        break;
      case 'error':
        this.senders.onError(c, toServerError(frame.error!));
        break;
      case 'ackA':
      case 'pong':
        break;
      default:
        this.tally.countError(`unexpected:${frame.packet}`);
    }
  }

  /**
   * After a welcome (and after resync:N, "exactly as after a welcome"): pull the inbox,
   * send the outbox again in client_seq order (what is unaccepted; after a new link also
   * what has msg:A but no ack:N yet: that ack:N may have died with the old link, and the
   * server answers with the same position and repeats it; after resync:N not, as the server
   * lost its dedupe and publishes the ack:N it owes again itself), and, when this is not the
   * first link, ack the groups again and sync every conversation once the pull is done.
   */
  private catchUp(c: Connection, again: boolean, newLink = true): void {
    this.receiver.startPull(c, again);
    this.senders.restart(c, newLink);
    if (again) this.groupAcks.again(c);
  }

  /**
   * PROTOCOL.md "Heartbeat": a ping every interval on every link, busy or not (the gateway
   * answers it at once, whatever Kafka and Redis are doing, so a busy link whose messages wait
   * on a broker outage still shows life); a link silent for an interval after a ping is cut
   * (Connector.cutIfSilent).
   */
  private heartbeat(): void {
    const now = Date.now();
    for (const c of this.connections) {
      if (!c.welcomed || this.connector.cutIfSilent(c, now)) continue;
      if (now - c.lastPingMs >= c.heartbeatMs) {
        this.write(c, 'ping', encodeFrame({ ping: { nonce: now } }));
        c.lastPingMs = now;
        if (c.pingSentMs === 0) c.pingSentMs = now;
      }
    }
  }

  private async createGroups(timeoutMs: number): Promise<void> {
    await Promise.all(
      this.plan.groups.map(
        (g) =>
          new Promise<void>((resolve) => {
            const c = this.connections[g.connection]!;
            const timer = setTimeout(() => {
              this.tally.countError('group-create-timeout');
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
