// Every bus record and downlink item the server API writes, encoded in one place: a request
// to the sequencer (the ClientPacket a gateway would publish for a client's msg:R or group:R,
// with its Origin) and the control item that closes a user's connections on a gateway.
import { CloseCode, encodeClientPacket, parley, type ConnectionId, type DeviceId, type DownlinkBatch, type FrameInit, type GatewayId, type UserId } from '@parley/protocol';

/** Where a request comes from: this API process (as a gateway), a connection of its own per request, the user it speaks for. */
export interface RequestOrigin {
  readonly apiId: GatewayId;
  readonly connection: ConnectionId;
  readonly user: UserId;
  readonly device: DeviceId;
  readonly receivedAtMs: number;
}

/** The send-topic record of a request: `frame` (a msg:R or group:R) with its origin. */
export const requestRecord = (origin: RequestOrigin, frame: FrameInit): Uint8Array =>
  encodeClientPacket({
    origin: { gatewayId: origin.apiId, connectionId: origin.connection, userId: origin.user, receivedAtMs: origin.receivedAtMs, deviceId: origin.device },
    frame,
  });

/** A downlink batch asking a gateway to close every connection of `user` with 4008 REVOKED. */
export const revokedBatch = (user: UserId): DownlinkBatch =>
  parley.v1.DownlinkBatch.create({ items: [parley.v1.DownlinkItem.create({ userId: user, closeCode: CloseCode.REVOKED, closeReason: 'revoked by the application' })] });
