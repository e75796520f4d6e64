// Encode/decode of wire frames and bus envelopes. Nothing else in parley builds bytes.
import { Writer } from 'protobufjs/minimal';
import { parley } from './gen/parley';
import { MalformedFrameError } from './errors';
import type { Frame, FrameInit, PacketKind } from './packet';
import {
  encodeClientPacketDirect,
  encodeDeliveryCommandDirect,
  encodeDownlinkBatchDirect,
  encodeFrameDirect,
  encodeStoredMessageDirect,
} from './direct-encoders';
import { hasNodeBuffer } from './wire-writer';

const v1 = parley.v1;

/** How Frame.encode writes each packet: its field's tag (field number, length-delimited) and message type. */
interface PacketEncoding {
  readonly tag: number;
  readonly type: { encode(message: never, writer: Writer): Writer };
}

const tagOf = (field: number): number => (field << 3) | 2;

/** The Frame's oneof, as in wire.proto (each field number checked against Frame.encode by codec.test.ts). */
const PACKET_ENCODINGS: Readonly<Record<PacketKind, PacketEncoding>> = {
  msgR: { tag: tagOf(1), type: v1.MsgRequest },
  msgA: { tag: tagOf(2), type: v1.MsgAccepted },
  msgN: { tag: tagOf(3), type: v1.MsgNotify },
  ackR: { tag: tagOf(4), type: v1.AckRequest },
  ackA: { tag: tagOf(5), type: v1.AckAccepted },
  ackN: { tag: tagOf(6), type: v1.AckNotify },
  offlineR: { tag: tagOf(7), type: v1.OfflineRequest },
  offlineA: { tag: tagOf(8), type: v1.OfflineAnswer },
  offlineackR: { tag: tagOf(9), type: v1.OfflineAckRequest },
  ping: { tag: tagOf(10), type: v1.Ping },
  pong: { tag: tagOf(11), type: v1.Pong },
  welcome: { tag: tagOf(12), type: v1.Welcome },
  error: { tag: tagOf(13), type: v1.Error },
  groupR: { tag: tagOf(14), type: v1.GroupRequest },
  groupA: { tag: tagOf(15), type: v1.GroupAnswer },
  syncR: { tag: tagOf(16), type: v1.SyncRequest },
  syncA: { tag: tagOf(17), type: v1.SyncAnswer },
  conversationsR: { tag: tagOf(18), type: v1.ConversationsRequest },
  conversationsA: { tag: tagOf(19), type: v1.ConversationsAnswer },
  resyncN: { tag: tagOf(20), type: v1.Resync },
  readR: { tag: tagOf(21), type: v1.ReadRequest },
  readN: { tag: tagOf(22), type: v1.ReadNotify },
  typingR: { tag: tagOf(23), type: v1.TypingRequest },
  typingN: { tag: tagOf(24), type: v1.TypingNotify },
};

const ENCODING_BY_PACKET: ReadonlyMap<string, PacketEncoding> = new Map(Object.entries(PACKET_ENCODINGS));

/**
 * The frame's bytes, as Frame.encode writes them. A 1:1 message's packets (msg:R/A/N,
 * ack:R/A/N) are written by hand (direct-encoders.ts). Any other frame that carries one packet:
 * that packet's field is written directly (Frame.encode tests each of the 24 fields of every
 * frame it gets); anything else (no packet, or several) goes through Frame.encode.
 */
export function encodeFrame(frame: FrameInit): Uint8Array {
  if (hasNodeBuffer) {
    const direct = encodeFrameDirect(frame);
    if (direct) return direct;
  }
  let only: PacketKind | undefined;
  for (const key in frame) {
    if (frame[key as keyof FrameInit] == null || !Object.prototype.hasOwnProperty.call(frame, key)) continue;
    if (only !== undefined) return v1.Frame.encode(frame).finish();
    only = key as PacketKind;
  }
  const encoding = only === undefined ? undefined : ENCODING_BY_PACKET.get(only);
  if (!encoding) return v1.Frame.encode(frame).finish();
  const writer = Writer.create();
  encoding.type.encode(frame[only!] as never, writer.uint32(encoding.tag).fork()).ldelim();
  return writer.finish();
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

// The bus records of every message are written by hand where Node's Buffer is (direct-encoders.ts:
// the same bytes), those of other shapes (an app event, a frame of another packet) by protobufjs.
export const encodeClientPacket = (p: parley.v1.IClientPacket): Uint8Array =>
  (hasNodeBuffer ? encodeClientPacketDirect(p) : undefined) ?? v1.ClientPacket.encode(p).finish();
export const decodeClientPacket = (b: Uint8Array): ClientPacket => v1.ClientPacket.decode(b);
export const encodeDeliveryCommand = (c: parley.v1.IDeliveryCommand): Uint8Array =>
  (hasNodeBuffer ? encodeDeliveryCommandDirect(c) : undefined) ?? v1.DeliveryCommand.encode(c).finish();
export const decodeDeliveryCommand = (b: Uint8Array): DeliveryCommand => v1.DeliveryCommand.decode(b);
/** An application event (webhooks) as the deliver-topic record that carries it. */
export const encodeAppEvent = (e: parley.v1.IAppEvent): Uint8Array => v1.DeliveryCommand.encode({ appEvent: e }).finish();
export const encodeDownlinkBatch = (d: parley.v1.IDownlinkBatch): Uint8Array =>
  hasNodeBuffer ? encodeDownlinkBatchDirect(d) : v1.DownlinkBatch.encode(d).finish();
export const decodeDownlinkBatch = (b: Uint8Array): DownlinkBatch => v1.DownlinkBatch.decode(b);
export const encodeStoredMessage = (m: parley.v1.IStoredMessage): Uint8Array =>
  hasNodeBuffer ? encodeStoredMessageDirect(m) : v1.StoredMessage.encode(m).finish();
export const decodeStoredMessage = (b: Uint8Array): StoredMessage => v1.StoredMessage.decode(b);
export type GroupSnapshot = parley.v1.GroupSnapshot;
export const encodeGroupSnapshot = (s: parley.v1.IGroupSnapshot): Uint8Array => v1.GroupSnapshot.encode(s).finish();
export const decodeGroupSnapshot = (b: Uint8Array): GroupSnapshot => v1.GroupSnapshot.decode(b);
