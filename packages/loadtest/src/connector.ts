// How one worker's connections come and go: the ramped first connects, a link per attempt
// (WebSocket or long-poll, bound to the connection's source address, with a fresh token),
// the welcome's bookkeeping, reconnects after a close (backoff with full jitter; after a
// draining gateway's 4007 another gateway at once; after an attempt that never got its
// welcome the next gateway), and the reconnect storms that cut links on purpose.
import { readFileSync } from 'node:fs';
import { signToken } from '@parley/auth';
import { asUserId, assertNever, CloseCode } from '@parley/protocol';
import { monotonicMicros, recordMicros } from './latency';
import { DEFAULT_HEARTBEAT_MS, deviceOf, linkIsSilent, type Connection } from './load-connection';
import type { LoadLink, LoadLinkEvents } from './load-link';
import { LongPollLink, longPollEndpoint } from './load-link.long-poll';
import { WebSocketLink } from './load-link.websocket';
import { RawWebSocketLink } from './load-link.websocket-raw';
import type { ConnectionPlan, WorkerPlan } from './plan';
import { DRAINED_RECONNECT_JITTER_MS, pickStormVictims, reconnectDelayMs } from './storm';
import type { WorkerTally } from './worker-tally';

/** Handshakes in flight at once per worker. */
const MAX_CONNECTING = 500;
const TOKEN_TTL_SECONDS = 24 * 3600;

export class Connector {
  /** Connections between `open` and their welcome (or their close). */
  private handshaking = 0;
  private closing = false;
  /** The CA of --ca (PEM), read once. */
  private readonly ca: string | undefined;

  constructor(
    private readonly plan: WorkerPlan,
    private readonly connections: readonly Connection[],
    private readonly tally: WorkerTally,
    private readonly onFrame: (c: Connection, frame: Uint8Array) => void,
  ) {
    this.ca = plan.caFile === undefined ? undefined : readFileSync(plan.caFile, 'utf8');
  }

  /** Opens every connection, at most `rampPerSec` a second and MAX_CONNECTING handshakes at once; resolves when each got its welcome or gave up, or after `timeoutMs`. */
  async connectAll(timeoutMs: number): Promise<void> {
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

  /**
   * A welcome came: the connect (first welcome), storm and drain recoveries are timed, the
   * handshake ends and the attempts reset. True when the connection was welcomed before (a reconnect).
   */
  welcomed(c: Connection, heartbeatIntervalMs: number, deviceId: string): boolean {
    const { counters, histograms } = this.tally;
    if (!c.everWelcomed) recordMicros(histograms.connect, monotonicMicros() - c.connectStartedUs);
    if (c.stormCutAtUs > 0) {
      recordMicros(histograms.reconnect, monotonicMicros() - c.stormCutAtUs);
      counters.stormReconnected++;
      c.stormCutAtUs = 0;
    }
    if (c.drainedAtUs > 0) {
      recordMicros(histograms.drained, monotonicMicros() - c.drainedAtUs);
      counters.drainedReconnected++;
      c.drainedAtUs = 0;
    }
    const reconnected = c.everWelcomed;
    this.endHandshake(c);
    c.welcomed = true;
    c.everWelcomed = true;
    c.attempts = 0;
    c.heartbeatMs = heartbeatIntervalMs || DEFAULT_HEARTBEAT_MS;
    if (deviceId && deviceId !== deviceOf(c.plan.user)) this.tally.countError('welcome-device-mismatch');
    return reconnected;
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
      this.tally.counters.stormDropped++;
      this.tally.stormDroppedBy[c.plan.transport]++;
      c.link!.cut();
    }
  }

  /**
   * PROTOCOL.md "Heartbeat": a link that brought no frame at all within one interval after a
   * ping is dead (a frozen or unreachable gateway): it is cut and the connection reconnects,
   * to the next gateway when there are several. True when it cut the link.
   */
  cutIfSilent(c: Connection, nowMs: number): boolean {
    if (!c.link || !linkIsSilent(c, nowMs)) return false;
    this.tally.countError('heartbeat-timeout');
    c.silentCut = true;
    c.link.cut();
    return true;
  }

  /** Closes every link, telling the server; resolves when all were told. */
  closeAll(): Promise<unknown> {
    return Promise.all(this.connections.map((c) => c.link?.close()));
  }

  /** The run is ending: links that close from now on are not reopened. */
  stopReconnecting(): void {
    this.closing = true;
  }

  private open(c: Connection): void {
    if (this.closing) return;
    c.attempts++;
    c.connectStartedUs = monotonicMicros();
    const token = signToken(this.plan.secret, asUserId(c.plan.user), TOKEN_TTL_SECONDS);
    c.pingSentMs = 0;
    c.lastPingMs = Date.now();
    c.lastReceivedMs = Date.now();
    const link = this.openLink(c.plan, c.url, token, {
      onFrame: (frame) => {
        // Any frame is a sign of life, not only the pong (PROTOCOL.md "Heartbeat").
        c.lastReceivedMs = this.tally.arrival.millis();
        c.pingSentMs = 0;
        this.onFrame(c, frame);
      },
      onError: (kind) => {
        this.tally.countError(kind);
        if (!c.everWelcomed) this.tally.counters.connectFailures++;
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
        if (this.plan.wsClient === 'builtin') return new RawWebSocketLink(`${url}?token=${token}&device=${deviceOf(plan.user)}`, plan.localAddress, events, this.ca);
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
    const { counters } = this.tally;
    if (code === CloseCode.DRAINING) {
      // The gateway is going away on purpose: like the SDK, another gateway now, no backoff.
      counters.drainedClosed++;
      if (c.drainedAtUs === 0) c.drainedAtUs = monotonicMicros();
      c.attempts = 0;
      if (this.plan.urls.length > 1) this.rotateGateway(c);
      setTimeout(() => {
        counters.reconnects++;
        this.open(c);
      }, Math.random() * DRAINED_RECONNECT_JITTER_MS);
      return;
    }
    const silent = c.silentCut;
    c.silentCut = false;
    if (c.stormCutAtUs > 0) {
      // The storm's own cut is not an error; a later attempt that dies before its welcome is a failed reconnect.
      if (!wasWelcomed) counters.stormReconnectFailures++;
    } else if (wasWelcomed && !silent) this.tally.countError(`close:${code}`);
    // An attempt that never got its welcome (the gateway is gone or refuses), or a link that
    // went silent: the next one goes to the next gateway.
    if ((!wasWelcomed || silent) && this.plan.urls.length > 1) this.rotateGateway(c);
    // Reconnect like a client: exponential backoff with full jitter, reset after a welcome.
    const delay = reconnectDelayMs(wasWelcomed ? 0 : c.attempts);
    setTimeout(() => {
      counters.reconnects++;
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
}
