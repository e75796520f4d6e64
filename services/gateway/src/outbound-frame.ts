// Every frame and bus record the gateway encodes itself: welcome, pong, error and resync:N
// for its clients, and the bus record that carries a forwarded client frame with its origin
// (the frames services send are written as they come: downlink-item.ts).
import { encodeClientPacket, encodeDeliveryCommand, encodeFrame, encodePongFrame, ErrorCodeValue, isRetryable, WelcomeEncoder, type GatewayId } from '@parley/protocol';
import type { ConnectionState } from './connection';
import type { ForwardedFrame } from './inbound-frame';

export const SERVER_VERSION = '0.1.0';

/** What welcome tells a client about this gateway's limits. */
export interface WelcomeSettings {
  readonly heartbeatIntervalMs: number;
  readonly maxFrameBytes: number;
  readonly maxPayloadBytes: number;
  readonly maxOfflinePage: number;
}

/**
 * Encodes each connection's welcome: the gateway's limits and version are encoded once, a
 * connection's frame is its ids around them (WelcomeEncoder: no per-field objects for a frame
 * every connection gets, which a reconnect storm sends by the thousand).
 */
export class WelcomeFrames {
  private readonly encoder: WelcomeEncoder;

  constructor(settings: WelcomeSettings) {
    this.encoder = new WelcomeEncoder({
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      maxFrameBytes: settings.maxFrameBytes,
      maxPayloadBytes: settings.maxPayloadBytes,
      maxOfflinePage: settings.maxOfflinePage,
      serverVersion: SERVER_VERSION,
    });
  }

  frameFor(state: ConnectionState): Uint8Array {
    return this.encoder.encode({ userId: state.user, connectionId: state.connectionId, deviceId: state.device });
  }
}

/** Hand-encoded (encodePongFrame): every idle connection's heartbeat is answered with one. */
export const pongFrame = (nonce: number, serverTimeMs: number): Uint8Array => encodePongFrame(nonce, serverTimeMs);

/** An error naming the refused request by its msg_id or request_id (undefined or '' = none: the same bytes). */
export const errorFrame = (code: ErrorCodeValue, message: string, msgId: string | undefined): Uint8Array =>
  encodeFrame({ error: { code, message, retryable: isRetryable(code), ...(msgId ? { msgId } : {}) } });

export const resyncFrame = (reason: string): Uint8Array => encodeFrame({ resyncN: { reason } });

/**
 * The bus record of a forwarded client frame, stamped with who sent it through which
 * gateway: a ClientPacket on the send topic, a DeliveryCommand on the deliver topic. Encoded
 * at once: the frame's bytes fields are views into the caller's buffer.
 */
export function forwardedRecordValue(forwarded: ForwardedFrame, gatewayId: GatewayId, state: ConnectionState, receivedAtMs: number): Uint8Array {
  const packet = {
    origin: {
      gatewayId,
      connectionId: state.connectionId,
      userId: state.user,
      receivedAtMs,
      deviceId: state.device,
    },
    frame: forwarded.frame,
  };
  return forwarded.topic === 'send' ? encodeClientPacket(packet) : encodeDeliveryCommand({ client: packet });
}
