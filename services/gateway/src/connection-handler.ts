// What the gateway does with a client connection, whatever carries it (ClientLink):
// admission (connect-gate.ts), presence registration before `welcome`, each client frame
// (size and type, rate limit and flood, the decoded record of inbound-frame.ts, strikes,
// uplink), and the close. Downlink frames are written by downlink-writer.ts.
import { CloseCode, DeviceId, ErrorCode, errorCodeName, ErrorCodeValue, GatewayId, UserId } from '@parley/protocol';
import { tallyOf, type KeyedCells, type Logger, type SharedMetrics } from '@parley/observability';
import { isRevoked, type Clock, type TokenRevocations } from '@parley/ports';
import type { Topics } from '@parley/runtime';
import type { Admission } from './admission';
import type { ClientLink, Transport } from './client-link';
import { decodeInboundFrame, isProtocolViolation } from './inbound-frame';
import { errorFrame, forwardedRecordValue, pongFrame, WelcomeFrames } from './outbound-frame';
import { ConnectionState } from './connection';
import { newConnectionId } from './connection-id';
import type { ConnectionRegistry } from './connection-registry';
import type { GatewayMetrics } from './gateway-metrics';
import type { AdmissionSettings, ClientLimits, HeartbeatSettings } from './gateway-options';
import type { PresenceKeeper } from './presence-keeper';
import { FloodPolicy, judgeFrame } from './rate-limiter';
import { ConnectAttempt, ConnectGate } from './connect-gate';
import type { Uplink } from './uplink';
import type { ConnectionEvents } from './connection-events';
import { admitTyping, TypingRelay } from './typing-relay';
import { WelcomeGate } from './welcome-gate';

/** Refused frames in a row before the connection is closed. */
const MAX_STRIKES = 10;

/** What the connection handler reads of the gateway's options. */
export interface ConnectionSettings {
  readonly gatewayId: GatewayId;
  readonly admission: AdmissionSettings;
  readonly limits: ClientLimits;
  readonly heartbeat: Pick<HeartbeatSettings, 'intervalMs'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

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
  private readonly limits: ClientLimits;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly welcomes: WelcomeFrames;
  private readonly welcomeGate: WelcomeGate;
  /** `parley_packets_total{direction="in"}`, counted as numbers (tally.ts): one frame's count is an addition, not a hash of its labels. */
  private readonly packetsIn: KeyedCells;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly parts: ConnectionHandlerParts,
  ) {
    const { limits, clock } = settings;
    this.limits = limits;
    this.clock = clock;
    this.logger = settings.logger;
    const rate = limits.rateLimitFramesPerSec;
    this.floodPolicy = { ratePerSec: rate, burst: 2 * rate, floodCloseMs: limits.floodCloseMs };
    this.welcomes = new WelcomeFrames({ heartbeatIntervalMs: settings.heartbeat.intervalMs, maxFrameBytes: limits.maxFrameBytes, maxPayloadBytes: limits.maxPayloadBytes, maxOfflinePage: limits.maxOfflinePage });
    this.gate = new ConnectGate(settings.admission, clock, parts);
    this.packetsIn = tallyOf(parts.shared.packets).keyedBy((type) => ({ type, direction: 'in' }));
    this.welcomeGate = new WelcomeGate({
      presence: parts.presence,
      revocations: parts.revocations,
      ready: (link, revokedBefore) => this.ready(link, revokedBefore),
      failed: (links, err) => this.unavailable(links, err),
    });
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
    return new ConnectionState(user, newConnectionId(), device);
  }

  opened(link: ClientLink): void {
    this.parts.connections.add(link);
    this.parts.metrics.connections.inc({ transport: link.transport });
    // welcome is sent only once presence is registered: from then on every message for
    // this user is either pushed here or already in the inbox the client pulls next. The
    // revocation read goes out with it (one GET), so it adds no round trip before welcome.
    this.welcomeGate.opened(link);
  }

  /** Presence registered and the user's revocation time read (welcome-gate.ts): welcome, or close if the token is revoked. */
  private ready(link: ClientLink, revokedBefore: number): void {
    const state = link.state;
    if (state.closed) return;
    if (isRevoked(state.issuedAtSec, revokedBefore)) {
      this.parts.metrics.limitHits.inc({ reason: 'revoked' });
      link.close(CloseCode.REVOKED, 'token revoked: get a new token');
      return;
    }
    state.welcomed = true;
    this.parts.connectionEvents?.connected(state);
    this.send(link, this.welcomes.frameFor(state));
  }

  private unavailable(links: readonly ClientLink[], err: unknown): void {
    this.logger.error({ err, connections: links.length, user: links[0]?.state.user }, 'presence registration or revocation read failed; closing connections');
    for (const link of links) link.close(CloseCode.GOING_AWAY, 'presence unavailable');
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
    if (bytes.byteLength > this.limits.maxFrameBytes) {
      this.parts.metrics.limitHits.inc({ reason: 'frame_too_large' });
      link.close(CloseCode.MESSAGE_TOO_BIG, `frame over ${this.limits.maxFrameBytes} bytes`);
      return;
    }
    this.received(link, bytes);
  }

  /** One frame from the client. `bytes` may be a view valid only during this call: what is kept is copied or encoded now. */
  received(link: ClientLink, bytes: Uint8Array): void {
    const state = link.state;
    if (state.closed) return;
    const now = this.clock.now();
    const verdict = judgeFrame(state, now, this.floodPolicy);
    if (verdict !== 'accept') {
      this.refuseLimited(link, bytes, verdict);
      return;
    }
    const decision = decodeInboundFrame(bytes, state.user, this.limits);
    switch (decision.action) {
      case 'pong':
        this.packetsIn.get('ping').inc();
        this.send(link, pongFrame(decision.nonce, now));
        return;
      case 'typing':
        this.packetsIn.get('typing:R').inc();
        state.strikes = 0;
        if (!admitTyping(state, now, this.limits.typingMinIntervalMs)) {
          this.parts.metrics.limitHits.inc({ reason: 'typing' });
          return;
        }
        this.parts.typing.relay(state.user, decision.conversation).then(
          (outcome) => {
            if (outcome === ErrorCode.NOT_A_MEMBER) this.refuseFrame(link, ErrorCode.NOT_A_MEMBER, `not a member of ${decision.conversation}`, '');
          },
          (err: unknown) => this.logger.warn({ err, user: state.user, conversation: decision.conversation }, 'typing indicator not relayed'),
        );
        return;
      case 'refuse':
        if (isProtocolViolation(decision.code)) state.strikes += 1;
        this.refuseFrame(link, decision.code, decision.message, decision.msgId);
        if (state.strikes >= MAX_STRIKES) link.close(CloseCode.PROTOCOL_VIOLATION, 'too many invalid frames');
        return;
      case 'forward': {
        state.strikes = 0;
        this.packetsIn.get(decision.packet).inc();
        // Encoded now: the frame's bytes fields are views into the caller's buffer.
        const value = forwardedRecordValue(decision, this.settings.gatewayId, state, now);
        const msgId = decision.msgId;
        const topic = decision.topic === 'send' ? this.parts.topics.send : this.parts.topics.deliver;
        this.parts.uplink.publish(topic, {
          record: { key: decision.key, value },
          onFailure: (err) => {
            this.logger.warn({ err, user: state.user, msgId }, 'bus publish failed');
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
    // Both transports close a reader too slow for PARLEY_MAX_BACKPRESSURE_BYTES with this code: counted once, here.
    if (code === CloseCode.SLOW_CONSUMER) this.parts.metrics.limitHits.inc({ reason: 'slow_consumer' });
    this.parts.presence.unregister(state);
    if (state.welcomed) this.parts.connectionEvents?.disconnected(state);
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
    const decision = decodeInboundFrame(bytes, link.state.user, this.limits);
    const msgId = decision.action === 'forward' ? decision.msgId : undefined;
    this.refuseFrame(link, ErrorCode.RATE_LIMITED, 'too many frames; slow down (later frames may be refused without an error)', msgId);
  }

  /** Answers a refused frame with its error, naming its msg_id or request_id (undefined or '' = none). */
  private refuseFrame(link: ClientLink, code: ErrorCodeValue, message: string, msgId: string | undefined): void {
    const name = errorCodeName(code) ?? String(code);
    this.parts.shared.errors.inc({ code: name, service: 'gateway' });
    this.send(link, errorFrame(code, message, msgId));
  }

  private send(link: ClientLink, frame: Uint8Array): void {
    if (link.state.closed) return;
    link.send([frame]);
  }
}
