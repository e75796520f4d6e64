// Encode/decode of wire frames and bus envelopes. Nothing else in parley builds bytes.
import { parley } from './gen/parley';
import { MalformedFrameError } from './errors';
import type { Frame, FrameInit, PacketKind } from './packet';

const v1 = parley.v1;

export function encodeFrame(frame: FrameInit): Uint8Array {
  return v1.Frame.encode(frame).finish();
}

/** Decodes a client's bytes; throws MalformedFrameError (never anything else) on bad input. */
export function decodeFrame(bytes: Uint8Array): Frame & { packet: PacketKind } {
  let frame: Frame;
  try {
    frame = v1.Frame.decode(bytes);
  } catch (err) {
    throw new MalformedFrameError((err as Error).message);
  }
  if (!frame.packet) throw new MalformedFrameError('no packet set');
  return frame as Frame & { packet: PacketKind };
}

export type ClientPacket = parley.v1.ClientPacket;
export type DeliveryCommand = parley.v1.DeliveryCommand;
export type DownlinkBatch = parley.v1.DownlinkBatch;
export type StoredMessage = parley.v1.StoredMessage;

export const encodeClientPacket = (p: parley.v1.IClientPacket): Uint8Array => v1.ClientPacket.encode(p).finish();
export const decodeClientPacket = (b: Uint8Array): ClientPacket => v1.ClientPacket.decode(b);
export const encodeDeliveryCommand = (c: parley.v1.IDeliveryCommand): Uint8Array => v1.DeliveryCommand.encode(c).finish();
export const decodeDeliveryCommand = (b: Uint8Array): DeliveryCommand => v1.DeliveryCommand.decode(b);
/** An application event (webhooks) as the deliver-topic record that carries it. */
export const encodeAppEvent = (e: parley.v1.IAppEvent): Uint8Array => v1.DeliveryCommand.encode({ appEvent: e }).finish();
export const encodeDownlinkBatch = (d: parley.v1.IDownlinkBatch): Uint8Array => v1.DownlinkBatch.encode(d).finish();
export const decodeDownlinkBatch = (b: Uint8Array): DownlinkBatch => v1.DownlinkBatch.decode(b);
export const encodeStoredMessage = (m: parley.v1.IStoredMessage): Uint8Array => v1.StoredMessage.encode(m).finish();
export const decodeStoredMessage = (b: Uint8Array): StoredMessage => v1.StoredMessage.decode(b);
export type GroupSnapshot = parley.v1.GroupSnapshot;
export const encodeGroupSnapshot = (s: parley.v1.IGroupSnapshot): Uint8Array => v1.GroupSnapshot.encode(s).finish();
export const decodeGroupSnapshot = (b: Uint8Array): GroupSnapshot => v1.GroupSnapshot.decode(b);
