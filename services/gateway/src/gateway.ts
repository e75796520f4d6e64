// The gateway: a stateless edge on uWebSockets.js. It wires the WebSocket route and the
// HTTP long-polling routes to one ConnectionHandler (admission, heartbeat limits, client
// frames to the bus, downlink frames to the right connections), subscribes to this
// gateway's downlink, keeps its presence entries true (also after the store lost its
// data: store-loss-recovery.ts), and serves the admin routes.
import type * as uws from 'uWebSockets.js';
import type { DownlinkSubscription, TimerHandle } from '@parley/ports';
import { sharedMetrics } from '@parley/observability';
import { CloseCode } from '@parley/protocol';
import { topicNames } from '@parley/runtime';
import { ConnectionDrain } from './connection-drain';
import { ConnectionHandler } from './connection-handler';
import { DownlinkWriter } from './downlink-writer';
import { ConnectionRegistry } from './connection-registry';
import { gatewayMetrics, GatewayMetrics } from './gateway-metrics';
import type { GatewayOptions } from './gateway-options';
import { remoteAddress, writeRefusal } from './http-answers';
import { LongPollRoutes } from './long-poll-routes';
import { loadNativeUws } from './native-uws';
import { GatewayListener } from './gateway-listener';
import { PresenceKeeper } from './presence-keeper';
import { ConnectionEvents } from './connection-events';
import { StoreLossRecovery } from './store-loss-recovery';
import { DEFAULT_UPLINK_HOLD, Uplink } from './uplink';
import { TypingRelay } from './typing-relay';
import { newConnectionId } from './connection-id';
import { SocketData, WebSocketLink } from './websocket-link';
import type { ClientLink } from './client-link';
import { queryParam } from './http-query';

/**
 * The WebSocket layer reads frames up to this many times max_frame_bytes, so that the
 * handler can refuse one over max_frame_bytes with a close frame (1009). uWS drops a frame
 * over its own limit as soon as its header arrives, without a close frame (the client sees
 * 1006); it buffers one under it until the frame is complete, so this factor is also what a
 * connection can make the gateway hold for one frame (measured: 2 x 64 KB -> 119 KB per
 * connection; a 1 MiB margin held 1.07 MB per connection, too much to give every socket).
 */
export const FRAME_READ_FACTOR = 2;

/** Longest a stopping gateway waits for its uplink to reach the bus, in ms. */
export const UPLINK_FLUSH_WAIT_MS = 5_000;

/** Wait before re-registering again when the store refused a re-registration after a loss, in ms. */
const REREGISTER_RETRY_MS = 500;

export class Gateway {
  private readonly uws = loadNativeUws();
  private readonly connections = new ConnectionRegistry();
  private readonly presence: PresenceKeeper;
  private readonly metrics: GatewayMetrics;
  private readonly handler: ConnectionHandler;
  private readonly downlinkWriter: DownlinkWriter;
  private readonly longPoll: LongPollRoutes;
  private readonly recovery: StoreLossRecovery;
  private removeLossListener: (() => void) | undefined;
  private listener: GatewayListener | undefined;
  private downlinkSubscription: DownlinkSubscription | undefined;
  private readonly uplink: Uplink;
  private accepting = false;
  /** Set at the start of a drain: /readyz fails from then on. */
  private drainer: ConnectionDrain<ClientLink> | undefined;
  private draining: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.metrics = gatewayMetrics(options.registry);
    this.presence = new PresenceKeeper(
      options.infrastructure.presence,
      options.gatewayId,
      options.heartbeat.presenceTtlMs,
      options.clock,
      options.logger,
      () => this.connections.entries(),
    );
    this.uplink = new Uplink(options.infrastructure.bus, undefined, { clock: options.clock, ...DEFAULT_UPLINK_HOLD });
    const { gatewayId, admission, limits, heartbeat, longPoll, clock, logger } = options;
    this.handler = new ConnectionHandler({ gatewayId, admission, limits, heartbeat, clock, logger }, {
      connections: this.connections,
      presence: this.presence,
      uplink: this.uplink,
      typing: new TypingRelay(options.infrastructure),
      revocations: options.infrastructure.revocations,
      topics: topicNames(options.topicPrefix),
      metrics: this.metrics,
      shared: sharedMetrics(options.registry),
      isAccepting: () => this.accepting,
      connectionEvents:
        options.appEvents !== true
          ? undefined
          : new ConnectionEvents({
              uplink: this.uplink,
              topic: topicNames(options.topicPrefix).deliver,
              gatewayId: options.gatewayId,
              clock: options.clock,
              logger: options.logger,
              dropped: this.metrics.appEventsDropped,
            }),
    });
    this.downlinkWriter = new DownlinkWriter(this.connections, this.metrics, limits.maxBackpressureBytes);
    this.longPoll = new LongPollRoutes({ longPoll, limits, heartbeat, admission, clock }, this.handler, this.metrics);
    this.recovery = new StoreLossRecovery({
      presence: this.presence,
      links: () => this.connections.all(),
      clock: options.clock,
      logger: options.logger,
      packets: sharedMetrics(options.registry).packets,
      retryDelayMs: REREGISTER_RETRY_MS,
    });
  }

  get port(): number {
    return this.listener?.port ?? 0;
  }

  /** Whether this gateway serves wss:// and https:// (TLS settings given). */
  get secure(): boolean {
    return this.options.listen.tls !== undefined;
  }

  /** Reads the TLS certificate files again now (a renewed valid pair is served to new connections). */
  async checkCertificate(): Promise<void> {
    await this.listener?.checkCertificate();
  }

  /** Open connections, WebSocket and long-poll. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Clears stale presence, subscribes to this gateway's downlink, listens, then watches the store for a loss of its data. */
  async start(): Promise<void> {
    await this.presence.clearStale();
    this.downlinkSubscription = await this.options.infrastructure.downlink.subscribe(this.options.gatewayId, (batch) =>
      this.downlinkWriter.write(batch),
    );
    const { listen, clock, logger, registry } = this.options;
    this.listener = new GatewayListener(
      this.uws,
      { host: listen.host, port: listen.port, tls: listen.tls, clock, logger, registry },
      (app) => this.route(app),
    );
    try {
      await this.listener.listen();
    } catch (error) {
      // Nothing of a gateway that could not listen (a taken port, an unusable certificate) stays subscribed.
      await this.downlinkSubscription.close();
      this.downlinkSubscription = undefined;
      throw error;
    }
    this.presence.startRefreshing();
    const watch = this.options.infrastructure.storeWatch;
    this.removeLossListener = watch.onLoss(() => void this.recovery.recover());
    await watch.start();
    this.accepting = true;
    this.options.logger.info({ gatewayId: this.options.gatewayId, port: this.port, tls: this.secure }, this.secure ? 'gateway listening (TLS: wss:// and https://)' : 'gateway listening (no TLS: ws:// and http://)');
  }

  /**
   * The graceful stop (SIGTERM): /readyz fails at once; after the drain delay no new
   * connection is admitted and the open ones are closed with 4007 DRAINING in even slices
   * over the drain window (connection-drain.ts); then stop(): the uplink flushed, the
   * downlink and presence entries gone. Settles when the gateway is stopped.
   */
  drain(): Promise<void> {
    this.draining ??= (async () => {
      const { clock, logger, drain } = this.options;
      logger.info({ gatewayId: this.options.gatewayId, connections: this.connections.size, delayMs: drain.delayMs, windowMs: drain.windowMs }, 'gateway draining: /readyz fails, connections close with 4007 after the delay');
      this.drainer = new ConnectionDrain<ClientLink>({
        clock,
        timing: drain,
        open: () => this.connections.all(),
        stopAdmitting: () => {
          this.accepting = false;
        },
        close: (link) => link.close(CloseCode.DRAINING, 'gateway draining: reconnect to another gateway now'),
      });
      await this.drainer.start();
      await this.stop();
    })();
    return this.draining;
  }

  /**
   * Stops now: admits nothing more, closes what is still open (4007 DRAINING during a drain,
   * 1001 GOING_AWAY otherwise), waits until the frames already received are on the bus,
   * then leaves the downlink, removes this gateway's presence entries and stops listening.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.accepting = false;
      this.removeLossListener?.();
      this.recovery.stop();
      if (this.drainer) this.drainer.now();
      else this.handler.closeAll(CloseCode.GOING_AWAY, 'gateway shutting down');
      await this.flushUplink();
      await this.downlinkSubscription?.close();
      await this.presence.stop();
      this.listener?.close();
      this.options.logger.info({ gatewayId: this.options.gatewayId }, 'gateway stopped');
    })();
    return this.stopping;
  }

  /**
   * Waits until the frames already received are on the bus, at most UPLINK_FLUSH_WAIT_MS: a
   * slow bus must not keep the presence entries (removed next) past the grace period. What
   * is not flushed by then is retransmitted by its clients (no msg:A reached them).
   */
  private async flushUplink(): Promise<void> {
    const { clock, logger } = this.options;
    let timer: TimerHandle | undefined;
    const waited = new Promise<'late'>((resolve) => (timer = clock.setTimeout(() => resolve('late'), UPLINK_FLUSH_WAIT_MS)));
    const outcome = await Promise.race([this.uplink.flushed().then(() => 'flushed' as const), waited]);
    if (timer) clock.clearTimeout(timer);
    if (outcome === 'late') logger.warn({ queued: this.uplink.depth, waitedMs: UPLINK_FLUSH_WAIT_MS }, 'uplink not flushed in time; its clients retransmit what was not published');
  }

  /** Every route of the gateway on `app` (one app, or one per certificate with TLS: gateway-listener.ts). */
  private route(app: uws.TemplatedApp): void {
    this.routeWebSocket(app);
    this.longPoll.register(app);
    this.routeAdmin(app);
    this.options.extraRoutes?.(app);
    app.any('/*', (res) => {
      res.writeStatus('404 Not Found').end('not found');
    });
  }

  private routeWebSocket(app: uws.TemplatedApp): void {
    const { limits, heartbeat } = this.options;
    // uWS closes a connection that received nothing for idleTimeout seconds (minimum 8):
    // clients ping every heartbeat interval, so two missed pings end the connection.
    const idleTimeoutSec = Math.max(8, Math.ceil((2 * heartbeat.intervalMs) / 1000));
    app.ws<SocketData>('/ws', {
      compression: this.uws.DISABLED,
      maxPayloadLength: FRAME_READ_FACTOR * limits.maxFrameBytes,
      idleTimeout: idleTimeoutSec,
      sendPingsAutomatically: false,
      maxBackpressure: limits.maxBackpressureBytes,
      closeOnBackpressureLimit: 1 as unknown as number,
      upgrade: (res, req, context) => this.upgrade(res, req, context),
      open: (ws) => {
        const link = ws.getUserData().link;
        link.opened(ws);
        this.handler.opened(link);
      },
      // The ArrayBuffer is only valid during this call: the handler copies what it keeps.
      // A Buffer view of uWS' ArrayBuffer (no copy): protobufjs decodes a Buffer about twice as fast as a plain Uint8Array.
      message: (ws, message, isBinary) => this.handler.receivedMessage(ws.getUserData().link, Buffer.from(message), isBinary),
      close: (ws, code) => this.handler.closed(ws.getUserData().link, code),
    });
  }

  private upgrade(res: uws.HttpResponse, req: uws.HttpRequest, context: uws.us_socket_context_t): void {
    // Everything is read from `req` synchronously: it is invalid after this function returns.
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    const admission = this.handler.admit(
      {
        origin: req.getHeader('origin'),
        token: queryParam(req, 'token'),
        device: req.getQuery('device'),
        address: remoteAddress(res),
      },
      'websocket',
    );
    if (!admission.admitted) return writeRefusal(res, admission);
    const link = new WebSocketLink(admission.user, newConnectionId(), admission.device);
    link.issuedAtSec = admission.issuedAtSec;
    const data: SocketData = { link };
    res.upgrade(data, key, protocol, extensions, context);
  }

  private routeAdmin(app: uws.TemplatedApp): void {
    app.get('/healthz', (res) => {
      const healthy = this.options.isHealthy?.() ?? true;
      res.writeStatus(healthy ? '200 OK' : '503 Service Unavailable').writeHeader('content-type', 'text/plain').end(healthy ? 'ok' : 'unhealthy');
    });
    app.get('/readyz', (res) => {
      const ready = this.accepting && !this.drainer && (this.options.isReady?.() ?? true);
      res.writeStatus(ready ? '200 OK' : '503 Service Unavailable').end(ready ? 'ready' : 'not ready');
    });
    app.get('/metrics', (res) => {
      let aborted = false;
      res.onAborted(() => {
        aborted = true;
      });
      this.options.registry.metrics().then(
        (body) => {
          if (aborted) return;
          res.cork(() => {
            res.writeHeader('content-type', this.options.registry.contentType).end(body);
          });
        },
        () => {
          if (aborted) return;
          res.cork(() => {
            res.writeStatus('500 Internal Server Error').end();
          });
        },
      );
    });
  }
}
