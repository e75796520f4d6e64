// What the gateway does with a client connection, whatever carries it (ClientLink):
// admission (connect-gate.ts), presence registration before `welcome`, each client frame
// (size and type, rate limit and flood, decision, strikes, uplink), downlink writes, and
// the close.
import {
  asConnectionId,
  asUserId,
  CloseCode,
  ConnectionId,
  DeviceId,
  DownlinkBatch,
  encodeClientPacket,
  encodeDeliveryCommand,
  encodeFrame,
  ErrorCode,
  errorCodeName,
  FrameInit,
  isRetryable,
  UserId,
} from '@parley/protocol';
import type { SharedMetrics } from '@parley/observability';
import { isRevoked, type TokenRevocations } from '@parley/ports';
import type { Topics } from '@parley/runtime';
import type { Admission } from './admission';
import type { ClientLink, Transport } from './client-link';
import { decideClientFrame, isProtocolViolation } from './client-frame';
import { ConnectionState } from './connection';
import { newConnectionId } from './connection-id';
import type { ConnectionRegistry } from './connection-registry';
import type { GatewayMetrics } from './gateway-metrics';
import type { GatewayOptions } from './gateway-options';
import type { PresenceKeeper } from './presence-keeper';
import { FloodPolicy, judgeFrame } from './rate-limiter';
import { ConnectAttempt, ConnectGate } from './connect-gate';
import type { Uplink } from './uplink';
import type { ConnectionEvents } from './connection-events';
import { admitTyping, TypingRelay } from './typing-relay';

/** Refused frames in a row before the connection is closed. */
const MAX_STRIKES = 10;
const SERVER_VERSION = '0.1.0';

export interface ConnectionHandlerParts {
  readonly connections: ConnectionRegistry;
  readonly presence: PresenceKeeper;
  readonly uplink: Uplink;
  readonly typing: TypingRelay;
  /** Read once per connection, before welcome: a token issued before the user's revocation is closed 4008. */
  readonly revocations: TokenRevocations;
  readonly topics: Topics;
  readonly metrics: GatewayMetrics;
  readonly shared: SharedMetrics;
  /** False while the gateway is starting or stopping: new connections are refused. */
  readonly isAccepting: () => boolean;
  /** user.connected/disconnected for the webhooks; absent = not published (PARLEY_APP_EVENTS=false). */
  readonly connectionEvents?: ConnectionEvents | undefined;
}

export class ConnectionHandler {
  private readonly floodPolicy: FloodPolicy;
  private readonly gate: ConnectGate;

  constructor(
    private readonly options: GatewayOptions,
    private readonly parts: ConnectionHandlerParts,
  ) {
    const rate = options.rateLimitFramesPerSec;
    this.floodPolicy = { ratePerSec: rate, burst: 2 * rate, floodCloseMs: options.floodCloseMs };
    this.gate = new ConnectGate(options, parts);
  }

  /** Whether a new connection may open (connect-gate.ts); a refusal is written by the transport. */
  admit(attempt: ConnectAttempt, transport: Transport): Admission {
    return this.gate.admit(attempt, transport);
  }

  /**
   * State of a connection just admitted, with a fresh random connection id, which is also its
   * device when the client named none (a WebSocket link is its own state: websocket-link.ts).
   */
  newState(user: UserId, device?: DeviceId): ConnectionState {
    return new ConnectionState(user, newConnectionId(), this.options.clock.now(), this.options.rateLimitFramesPerSec, device);
  }

  opened(link: ClientLink): void {
    const state = link.state;
    this.parts.connections.add(link);
    this.parts.metrics.connections.inc({ transport: link.transport });
    // welcome is sent only once presence is registered: from then on every message for
    // this user is either pushed here or already in the inbox the client pulls next. The
    // revocation read goes out with it (one GET), so it adds no round trip before welcome.
    Promise.all([this.parts.presence.register(state), this.parts.revocations.revokedBefore(state.user)]).then(
      ([, revokedBefore]) => {
        if (state.closed) return;
        if (isRevoked(state.issuedAtSec, revokedBefore)) {
          this.parts.metrics.limitHits.inc({ reason: 'revoked' });
          link.close(CloseCode.REVOKED, 'token revoked: get a new token');
          return;
        }
        state.welcomed = true;
        this.parts.connectionEvents?.connected(state);
        this.send(link, {
          welcome: {
            userId: state.user,
            connectionId: state.connectionId,
            deviceId: state.device,
            heartbeatIntervalMs: this.options.heartbeatIntervalMs,
            maxFrameBytes: this.options.maxFrameBytes,
            maxPayloadBytes: this.options.maxPayloadBytes,
            maxOfflinePage: this.options.maxOfflinePage,
            serverVersion: SERVER_VERSION,
          },
        });
      },
      (err: unknown) => {
        this.options.logger.error({ err, user: state.user }, 'presence registration or revocation read failed; closing connection');
        link.close(CloseCode.GOING_AWAY, 'presence unavailable');
      },
    );
  }

  /**
   * One WebSocket message. The WebSocket layer reads frames up to 2 x max_frame_bytes
   * (gateway.ts), so a frame over max_frame_bytes is refused here with a close frame (1009)
   * the client can read; every frame is binary protobuf, so a text message is refused (1003).
   */
  receivedMessage(link: ClientLink, bytes: Uint8Array, isBinary: boolean): void {
    if (link.state.closed) return;
    if (!isBinary) {
      this.parts.metrics.limitHits.inc({ reason: 'text_frame' });
      link.close(CloseCode.UNSUPPORTED_DATA, 'frames are binary protobuf');
      return;
    }
    if (bytes.byteLength > this.options.maxFrameBytes) {
      this.parts.metrics.limitHits.inc({ reason: 'frame_too_large' });
      link.close(CloseCode.MESSAGE_TOO_BIG, `frame over ${this.options.maxFrameBytes} bytes`);
      return;
    }
    this.received(link, bytes);
  }

  /** One frame from the client. `bytes` may be a view valid only during this call: what is kept is copied or encoded now. */
  received(link: ClientLink, bytes: Uint8Array): void {
    const state = link.state;
    if (state.closed) return;
    const now = this.options.clock.now();
    const verdict = judgeFrame(state, now, this.floodPolicy);
    if (verdict !== 'accept') {
      this.refuseLimited(link, bytes, verdict);
      return;
    }
    const decision = decideClientFrame(bytes, state.user, this.options);
    switch (decision.action) {
      case 'pong':
        this.parts.shared.packets.inc({ type: 'ping', direction: 'in' });
        this.send(link, { pong: { nonce: decision.nonce, serverTimeMs: now } });
        return;
      case 'typing':
        this.parts.shared.packets.inc({ type: 'typing:R', direction: 'in' });
        state.strikes = 0;
        if (!admitTyping(state, now, this.options.typingMinIntervalMs)) {
          this.parts.metrics.limitHits.inc({ reason: 'typing' });
          return;
        }
        this.parts.typing.relay(state.user, decision.conversation).then(
          (outcome) => {
            if (outcome === ErrorCode.NOT_A_MEMBER) this.refuseFrame(link, ErrorCode.NOT_A_MEMBER, `not a member of ${decision.conversation}`, '');
          },
          (err: unknown) => this.options.logger.warn({ err, user: state.user, conversation: decision.conversation }, 'typing indicator not relayed'),
        );
        return;
      case 'refuse':
        if (isProtocolViolation(decision.code)) state.strikes += 1;
        this.refuseFrame(link, decision.code, decision.message, decision.msgId);
        if (state.strikes >= MAX_STRIKES) link.close(CloseCode.PROTOCOL_VIOLATION, 'too many invalid frames');
        return;
      case 'forward': {
        state.strikes = 0;
        this.parts.shared.packets.inc({ type: decision.packet, direction: 'in' });
        const packet = {
          origin: {
            gatewayId: this.options.gatewayId,
            connectionId: state.connectionId,
            userId: state.user,
            receivedAtMs: now,
            deviceId: state.device,
          },
          frame: decision.frame,
        };
        // Encoded now: the frame's bytes fields are views into the caller's buffer.
        const value = decision.topic === 'send' ? encodeClientPacket(packet) : encodeDeliveryCommand({ client: packet });
        const msgId = decision.frame.msgR?.msgId ?? '';
        const topic = decision.topic === 'send' ? this.parts.topics.send : this.parts.topics.deliver;
        this.parts.uplink.publish(topic, {
          record: { key: decision.key, value },
          onFailure: (err) => {
            this.options.logger.warn({ err, user: state.user, msgId }, 'bus publish failed');
            this.refuseFrame(link, ErrorCode.UNAVAILABLE, 'temporarily unavailable; retry', msgId);
          },
        });
        return;
      }
    }
  }

  /** The transport reports the link closed (once per link). */
  closed(link: ClientLink, code: number): void {
    const state = link.state;
    state.closed = true;
    this.parts.connections.remove(link);
    this.parts.metrics.connections.dec({ transport: link.transport });
    this.parts.metrics.closes.inc({ code: String(code), transport: link.transport });
    this.parts.presence.unregister(state);
    if (state.welcomed) this.parts.connectionEvents?.disconnected(state);
  }

  /** Writes a downlink batch: all frames for one link in one send (one cork, or one poll batch). */
  writeDownlink(batch: DownlinkBatch): void {
    const { connections, metrics } = this.parts;
    metrics.downlinkBatches.inc();
    const byLink = new Map<ClientLink, Uint8Array[]>();
    for (const item of batch.items) {
      if (item.closeCode && item.userId) {
        this.closeConnections(asUserId(item.userId), asConnectionId(item.connectionId ?? ''), item.closeCode, item.closeReason || 'closed by the server');
        continue;
      }
      if (!item.frame || !item.userId) continue;
      const except = item.exceptConnectionId ?? '';
      const target = asConnectionId(item.connectionId ?? '') as ConnectionId | '';
      const users = item.moreUserIds && item.moreUserIds.length > 0 ? [item.userId, ...item.moreUserIds] : [item.userId];
      for (const user of users) {
        const links = connections.find(asUserId(user), target);
        if (links.length === 0) metrics.droppedWrites.inc({ reason: 'not_connected' });
        for (const link of links) {
          if (except && link.state.connectionId === except) continue;
          let frames = byLink.get(link);
          if (!frames) byLink.set(link, (frames = []));
          frames.push(item.frame as Uint8Array);
        }
      }
    }
    for (const [link, frames] of byLink) {
      if (link.state.closed) continue;
      if (!link.state.welcomed) {
        // welcome comes first; what is dropped here is in the inbox the client pulls after it, or is re-sent.
        metrics.droppedWrites.inc({ reason: 'before_welcome' }, frames.length);
        continue;
      }
      if (link.bufferedBytes() > this.options.maxBackpressureBytes) {
        // A reader this slow would miss frames: close it; it resumes from its inbox.
        metrics.droppedWrites.inc({ reason: 'backpressure' }, frames.length);
        link.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
        continue;
      }
      link.send(frames);
    }
  }

  /** A control item: closes the user's connections here (only the named one when set), e.g. 4008 REVOKED. */
  private closeConnections(user: UserId, connection: ConnectionId | '', code: number, reason: string): void {
    for (const link of this.parts.connections.find(user, connection)) link.close(code, reason);
  }

  /** Closes every connection (the gateway is stopping). */
  closeAll(code: number, reason: string): void {
    for (const link of this.parts.connections.all()) link.close(code, reason);
  }

  /**
   * A frame over the rate limit: counted, and at most one RATE_LIMITED error per second
   * (rate-limiter.ts) written, naming the frame when it is a msg:R (decoded only then,
   * bounded by max_frame_bytes). Its successors are not held here: the sequencer refuses
   * them OUT_OF_ORDER until it comes again (it owns the sender's order).
   */
  private refuseLimited(link: ClientLink, bytes: Uint8Array, verdict: 'tell' | 'silent' | 'close'): void {
    const { metrics } = this.parts;
    metrics.limitHits.inc({ reason: 'rate_limited' });
    if (verdict === 'close') {
      metrics.limitHits.inc({ reason: 'flood' });
      link.close(CloseCode.FLOOD, 'flood: over the frame rate limit for too long');
      return;
    }
    if (verdict === 'silent') return;
    const decision = decideClientFrame(bytes, link.state.user, this.options);
    const msgId = decision.action === 'forward' ? (decision.frame.msgR?.msgId ?? '') : '';
    this.refuseFrame(link, ErrorCode.RATE_LIMITED, 'too many frames; slow down (later frames may be refused without an error)', msgId);
  }

  private refuseFrame(link: ClientLink, code: number, message: string, msgId: string): void {
    const name = errorCodeName(code) ?? String(code);
    this.parts.shared.errors.inc({ code: name, service: 'gateway' });
    this.send(link, { error: { code, message, retryable: isRetryable(code as never), msgId } });
  }

  private send(link: ClientLink, frame: FrameInit): void {
    if (link.state.closed) return;
    link.send([encodeFrame(frame)]);
  }
}
