// The gateway: a stateless WebSocket edge. It authenticates the upgrade, keeps the
// heartbeat, forwards client packets to the bus, writes downlink frames to the right
// connections (corked), and keeps this gateway's presence entries true.
import { randomBytes } from 'node:crypto';
import type * as uws from 'uWebSockets.js';
import {
  asConnectionId,
  asUserId,
  CloseCode,
  ConnectionId,
  DownlinkBatch,
  encodeClientPacket,
  encodeDeliveryCommand,
  encodeFrame,
  ErrorCode,
  errorCodeName,
  FrameInit,
  GatewayId,
  isRetryable,
  ParleyError,
  UserId,
} from '@parley/protocol';
import { verifyToken } from '@parley/auth';
import type { Clock, DownlinkSubscription } from '@parley/ports';
import { Logger, Registry, sharedMetrics, SharedMetrics } from '@parley/observability';
import { Infrastructure, topicNames, Topics } from '@parley/runtime';
import { decideClientFrame, isProtocolViolation } from './client-frame';
import type { ConnectionState } from './connection';
import { ConnectionRegistry } from './connection-registry';
import { gatewayMetrics, GatewayMetrics } from './gateway-metrics';
import { loadNativeUws } from './native-uws';
import { PresenceKeeper } from './presence-keeper';
import { takeToken } from './rate-limiter';
import { Uplink } from './uplink';

export interface GatewayOptions {
  readonly gatewayId: GatewayId;
  readonly host: string;
  readonly port: number;
  readonly jwtSecret: string;
  readonly allowedOrigins: readonly string[];
  readonly heartbeatIntervalMs: number;
  readonly maxFrameBytes: number;
  readonly maxPayloadBytes: number;
  readonly maxBackpressureBytes: number;
  readonly presenceTtlMs: number;
  readonly rateLimitFramesPerSec: number;
  readonly maxOfflinePage: number;
  readonly maxGroupMembers: number;
  readonly topicPrefix: string;
  readonly infrastructure: Infrastructure;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Readiness of the other parts of this process (embedded mode), ANDed with the gateway's own. */
  readonly isReady?: () => boolean;
  /** Adds more HTTP routes (the embedded mode's /dev/token and demo page). */
  readonly extraRoutes?: (app: uws.TemplatedApp) => void;
}

type Socket = uws.WebSocket<ConnectionState>;

/** Refused frames in a row before the connection is closed. */
const MAX_STRIKES = 10;
/** Rate-limited frames in a row before the connection is closed. */
const MAX_FLOOD_STRIKES = 50;
const SERVER_VERSION = '0.1.0';

export class Gateway {
  private readonly uws = loadNativeUws();
  private readonly connections = new ConnectionRegistry<Socket>();
  private readonly topics: Topics;
  private readonly uplink: Uplink;
  private readonly presence: PresenceKeeper;
  private readonly metrics: GatewayMetrics;
  private readonly shared: SharedMetrics;
  private listenSocket: uws.us_listen_socket | undefined;
  private downlinkSubscription: DownlinkSubscription | undefined;
  private boundPort = 0;
  private accepting = false;

  constructor(private readonly options: GatewayOptions) {
    this.topics = topicNames(options.topicPrefix);
    this.uplink = new Uplink(options.infrastructure.bus);
    this.metrics = gatewayMetrics(options.registry);
    this.shared = sharedMetrics(options.registry);
    this.presence = new PresenceKeeper(
      options.infrastructure.presence,
      options.gatewayId,
      options.presenceTtlMs,
      options.clock,
      options.logger,
      () => this.connections.entries(),
    );
  }

  get port(): number {
    return this.boundPort;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Clears stale presence, subscribes to this gateway's downlink, then listens. */
  async start(): Promise<void> {
    await this.presence.clearStale();
    this.downlinkSubscription = await this.options.infrastructure.downlink.subscribe(this.options.gatewayId, (batch) =>
      this.writeDownlink(batch),
    );
    const app = this.uws.App();
    this.routeWebSocket(app);
    this.routeAdmin(app);
    this.options.extraRoutes?.(app);
    app.any('/*', (res) => {
      res.writeStatus('404 Not Found').end('not found');
    });
    await new Promise<void>((resolve, reject) => {
      app.listen(this.options.host, this.options.port, (token) => {
        if (!token) return reject(new Error(`gateway could not listen on ${this.options.host}:${this.options.port}`));
        this.listenSocket = token;
        this.boundPort = this.uws.us_socket_local_port(token);
        resolve();
      });
    });
    this.presence.startRefreshing();
    this.accepting = true;
    this.options.logger.info({ gatewayId: this.options.gatewayId, port: this.boundPort }, 'gateway listening');
  }

  /** Stops accepting, closes every connection (GOING_AWAY) and removes this gateway's presence. */
  async stop(): Promise<void> {
    this.accepting = false;
    if (this.listenSocket) this.uws.us_listen_socket_close(this.listenSocket);
    this.listenSocket = undefined;
    for (const { user, connectionId } of [...this.connections.entries()]) {
      for (const socket of this.connections.find(user, connectionId)) socket.end(CloseCode.GOING_AWAY, 'gateway shutting down');
    }
    await this.downlinkSubscription?.close();
    await this.presence.stop();
  }

  private routeWebSocket(app: uws.TemplatedApp): void {
    const o = this.options;
    // uWS closes a connection that received nothing for idleTimeout seconds (minimum 8):
    // clients ping every heartbeat interval, so two missed pings end the connection.
    const idleTimeoutSec = Math.max(8, Math.ceil((2 * o.heartbeatIntervalMs) / 1000));
    app.ws<ConnectionState>('/ws', {
      compression: this.uws.DISABLED,
      maxPayloadLength: o.maxFrameBytes,
      idleTimeout: idleTimeoutSec,
      sendPingsAutomatically: false,
      maxBackpressure: o.maxBackpressureBytes,
      closeOnBackpressureLimit: 1 as unknown as number,
      upgrade: (res, req, context) => this.upgrade(res, req, context),
      open: (ws) => this.onOpen(ws),
      message: (ws, message) => this.onMessage(ws, message),
      close: (ws, code) => this.onClose(ws, code),
    });
  }

  private upgrade(res: uws.HttpResponse, req: uws.HttpRequest, context: uws.us_socket_context_t): void {
    // Everything is read from `req` synchronously: it is invalid after this function returns.
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    const origin = req.getHeader('origin');
    const token = req.getQuery('token') ?? '';
    const refuse = (status: string, code: number, message: string) => {
      this.metrics.rejectedUpgrades.inc({ reason: errorCodeName(code) ?? String(code) });
      this.shared.errors.inc({ code: errorCodeName(code) ?? String(code), service: 'gateway' });
      res.writeStatus(status).writeHeader('content-type', 'application/json').end(JSON.stringify({ code, message }));
    };
    if (!this.accepting) return refuse('503 Service Unavailable', ErrorCode.UNAVAILABLE, 'gateway not ready');
    if (origin && !this.originAllowed(origin)) return refuse('403 Forbidden', ErrorCode.ORIGIN_FORBIDDEN, 'origin not allowed');
    if (!token) return refuse('401 Unauthorized', ErrorCode.TOKEN_MISSING, 'token query parameter missing');
    let user: UserId;
    try {
      user = verifyToken(this.options.jwtSecret, token, this.options.clock.now()).sub;
    } catch (err) {
      const code = err instanceof ParleyError ? err.code : ErrorCode.TOKEN_INVALID;
      return refuse('401 Unauthorized', code, err instanceof Error ? err.message : 'invalid token');
    }
    const state: ConnectionState = {
      user,
      connectionId: asConnectionId(randomBytes(9).toString('base64url')),
      strikes: 0,
      floodStrikes: 0,
      closed: false,
      tokens: 2 * this.options.rateLimitFramesPerSec,
      refilledAt: this.options.clock.now(),
    };
    res.upgrade(state, key, protocol, extensions, context);
  }

  private originAllowed(origin: string): boolean {
    const allowed = this.options.allowedOrigins;
    return allowed.includes('*') || allowed.includes(origin);
  }

  private onOpen(ws: Socket): void {
    const state = ws.getUserData();
    this.connections.add(state.user, state.connectionId, ws);
    this.metrics.connections.inc();
    // welcome is sent only once presence is registered: from then on every message for
    // this user is either pushed here or already in the inbox the client pulls next.
    this.presence.register(state.user, state.connectionId).then(
      () => {
        if (state.closed) return;
        this.send(ws, {
          welcome: {
            userId: state.user,
            connectionId: state.connectionId,
            heartbeatIntervalMs: this.options.heartbeatIntervalMs,
            maxFrameBytes: this.options.maxFrameBytes,
            maxPayloadBytes: this.options.maxPayloadBytes,
            maxOfflinePage: this.options.maxOfflinePage,
            serverVersion: SERVER_VERSION,
          },
        });
      },
      (err: unknown) => {
        this.options.logger.error({ err, user: state.user }, 'presence registration failed; closing connection');
        if (!state.closed) ws.end(CloseCode.GOING_AWAY, 'presence unavailable');
      },
    );
  }

  private onMessage(ws: Socket, message: ArrayBuffer): void {
    const state = ws.getUserData();
    const now = this.options.clock.now();
    if (!takeToken(state, now, this.options.rateLimitFramesPerSec, 2 * this.options.rateLimitFramesPerSec)) {
      state.floodStrikes += 1;
      this.refuseFrame(ws, ErrorCode.RATE_LIMITED, 'too many frames; slow down', '');
      if (state.floodStrikes >= MAX_FLOOD_STRIKES) this.closeWith(ws, CloseCode.FLOOD, 'flood');
      return;
    }
    state.floodStrikes = 0;
    // The ArrayBuffer is only valid during this call: decode copies what it keeps.
    const decision = decideClientFrame(new Uint8Array(message), state.user, this.options);
    switch (decision.action) {
      case 'pong':
        this.shared.packets.inc({ type: 'ping', direction: 'in' });
        this.send(ws, { pong: { nonce: decision.nonce, serverTimeMs: now } });
        return;
      case 'refuse':
        if (isProtocolViolation(decision.code)) state.strikes += 1;
        this.refuseFrame(ws, decision.code, decision.message, decision.msgId);
        if (state.strikes >= MAX_STRIKES) this.closeWith(ws, CloseCode.PROTOCOL_VIOLATION, 'too many invalid frames');
        return;
      case 'forward': {
        state.strikes = 0;
        this.shared.packets.inc({ type: decision.packet, direction: 'in' });
        const packet = {
          origin: { gatewayId: this.options.gatewayId, connectionId: state.connectionId, userId: state.user, receivedAtMs: now },
          frame: decision.frame,
        };
        // Encoded now: the frame's bytes fields are views into uWS's buffer, valid only during this call.
        const value = decision.topic === 'send' ? encodeClientPacket(packet) : encodeDeliveryCommand({ client: packet });
        const msgId = decision.frame.msgR?.msgId ?? '';
        const topic = decision.topic === 'send' ? this.topics.send : this.topics.deliver;
        this.uplink.publish(topic, {
          record: { key: decision.key, value },
          onFailure: (err) => {
            this.options.logger.warn({ err, user: state.user, msgId }, 'bus publish failed');
            if (!state.closed) this.refuseFrame(ws, ErrorCode.UNAVAILABLE, 'temporarily unavailable; retry', msgId);
          },
        });
        return;
      }
    }
  }

  private onClose(ws: Socket, code: number): void {
    const state = ws.getUserData();
    state.closed = true;
    this.connections.remove(state.user, state.connectionId);
    this.metrics.connections.dec();
    this.metrics.closes.inc({ code: String(code) });
    this.presence.unregister(state.user, state.connectionId).catch((err: unknown) => {
      this.options.logger.warn({ err, user: state.user }, 'presence removal failed; the entry expires with its TTL');
    });
  }

  private refuseFrame(ws: Socket, code: number, message: string, msgId: string): void {
    const name = errorCodeName(code) ?? String(code);
    this.shared.errors.inc({ code: name, service: 'gateway' });
    this.send(ws, { error: { code, message, retryable: isRetryable(code as never), msgId } });
  }

  private closeWith(ws: Socket, code: number, reason: string): void {
    const state = ws.getUserData();
    if (state.closed) return;
    ws.end(code, reason);
  }

  private send(ws: Socket, frame: FrameInit): void {
    const state = ws.getUserData();
    if (state.closed) return;
    ws.cork(() => {
      ws.send(encodeFrame(frame), true);
    });
  }

  /** Writes a downlink batch; frames for one connection are written under one cork. */
  private writeDownlink(batch: DownlinkBatch): void {
    this.metrics.downlinkBatches.inc();
    const bySocket = new Map<Socket, Uint8Array[]>();
    for (const item of batch.items) {
      if (!item.frame || !item.userId) continue;
      const except = item.exceptConnectionId ?? '';
      const target = asConnectionId(item.connectionId ?? '') as ConnectionId | '';
      const users = item.moreUserIds && item.moreUserIds.length > 0 ? [item.userId, ...item.moreUserIds] : [item.userId];
      for (const user of users) {
        const sockets = this.connections.find(asUserId(user), target);
        if (sockets.length === 0) this.metrics.droppedWrites.inc({ reason: 'not_connected' });
        for (const socket of sockets) {
          if (except && socket.getUserData().connectionId === except) continue;
          let frames = bySocket.get(socket);
          if (!frames) bySocket.set(socket, (frames = []));
          frames.push(item.frame as Uint8Array);
        }
      }
    }
    for (const [socket, frames] of bySocket) {
      const state = socket.getUserData();
      if (state.closed) continue;
      if (socket.getBufferedAmount() > this.options.maxBackpressureBytes) {
        // A reader this slow would miss frames: close it; it resumes from its inbox.
        this.metrics.droppedWrites.inc({ reason: 'backpressure' }, frames.length);
        this.closeWith(socket, CloseCode.SLOW_CONSUMER, 'slow consumer');
        continue;
      }
      socket.cork(() => {
        for (const frame of frames) socket.send(frame, true);
      });
    }
  }

  private routeAdmin(app: uws.TemplatedApp): void {
    app.get('/healthz', (res) => {
      res.writeHeader('content-type', 'text/plain').end('ok');
    });
    app.get('/readyz', (res) => {
      const ready = this.accepting && (this.options.isReady?.() ?? true);
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
