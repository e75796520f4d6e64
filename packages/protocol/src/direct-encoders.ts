// Encoders written by hand for the frames and bus records every message passes through (a
// 1:1 message: msg:R, msg:A, msg:N, ack:R, ack:A, ack:N frames; the ClientPacket and
// DeliveryCommand records that carry them; the StoredMessage; the downlink batch). protobufjs'
// writer makes an operation object per field, a fork per sub-message and a LongBits per 64-bit
// field: ~15 % of what a message allocated. These write the fields, in one pass, into a slab
// of 8 KB that this module hands short records out of as Node's pool does for
// BufferWriter#finish (a record a caller keeps pins its slab as it pinned Node's pool; a long
// one gets a buffer of its own). A sub-message's length is written in front of it once it is
// known: one byte reserved, the body moved on in the rare case that it needs more. Each writes byte for byte what the generated `encode`
// writes (the same fields, the same order, a field written when set on the message itself,
// whether to its default or not); direct-encoders.test.ts compares them field by field. Only
// where protobufjs writes through its BufferWriter (Node): a browser's client goes through
// protobufjs.
import type { parley } from './gen/parley';
import { bytesValue, isSet, stringBytes, varint32Size, writeInt32, writeString, writeVarint32, writeVarint64 } from './wire-writer';

type IPosition = parley.v1.IPosition;
type IOrigin = parley.v1.IOrigin;
type IFrame = parley.v1.IFrame;

// Tags of length-delimited (2) and varint (0) fields 1..9: (field << 3) | wire type.
const LEN = [0, 10, 18, 26, 34, 42, 50, 58, 66, 74] as const;
const VARINT = [0, 8, 16, 24, 32, 40, 48, 56, 64, 72] as const;

// ---- the slab records are written into, and the position written to (encoding is synchronous: one at a time) ----

/** Slab size: as Node's buffer pool (what Buffer.allocUnsafe, and so BufferWriter#finish, hands out short buffers from). */
const SLAB_BYTES = 8192;
/** A longer record gets a buffer of its own (as Buffer.allocUnsafe gives one above half its pool). */
const OWN_BUFFER_BYTES = 4096;

let slab: Buffer | undefined;
/** Where the record being written starts in `slab`, and where its next byte goes. */
let base = 0;
let at = 0;
/** Where the next record starts (8-byte aligned, as Node's pool). */
let free = 0;

function begin(): void {
  if (slab === undefined || slab.length - free < 256) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    free = 0;
  }
  base = at = free;
}

/** Room for `bytes` more at `at`: a record that outgrows the slab moves to a new one. Positions kept across it are relative to `base`. */
function room(bytes: number): Buffer {
  const current = slab!;
  if (at + bytes <= current.length) return current;
  const written = at - base;
  const moved = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, 2 * (written + bytes)));
  current.copy(moved, 0, base, at);
  slab = moved;
  base = 0;
  at = written;
  free = 0;
  return moved;
}

/** The record written since `begin`: a view of the slab, or for a long one a buffer of its own. */
function finish(): Buffer {
  const length = at - base;
  if (length > OWN_BUFFER_BYTES) {
    const own = Buffer.allocUnsafe(length);
    slab!.copy(own, 0, base, at);
    free = base;
    return own;
  }
  const record = slab!.subarray(base, at);
  free = (at + 7) & ~7;
  return record;
}

/** A sub-message's tag, then one byte for its length; returns where its body starts (relative to the record). */
function openMessage(tag: number): number {
  const buffer = room(2);
  buffer[at++] = tag;
  at += 1;
  return at - base;
}

/** Writes the length of the body started at `start` in front of it (moving the body on when it takes more than one byte). */
function closeMessage(start: number): void {
  const length = at - base - start;
  if (length < 128) {
    slab![base + start - 1] = length;
    return;
  }
  const more = varint32Size(length) - 1;
  const buffer = room(more);
  const from = base + start;
  buffer.copyWithin(from + more, from, at);
  writeVarint32(buffer, from - 1, length);
  at += more;
}

// ---- fields ----

function putString(tag: number, message: object, key: string, value: string | null | undefined): void {
  if (!isSet(message, key, value)) return;
  const length = stringBytes(value!);
  const buffer = room(6 + length);
  buffer[at] = tag;
  at = writeString(buffer, at + 1, value!, length);
}

function putStrings(tag: number, values: readonly string[] | null | undefined): void {
  if (values == null || !values.length) return;
  for (let i = 0; i < values.length; i += 1) {
    const length = stringBytes(values[i]!);
    const buffer = room(6 + length);
    buffer[at] = tag;
    at = writeString(buffer, at + 1, values[i]!, length);
  }
}

function putUint64(tag: number, message: object, key: string, value: unknown): void {
  if (!isSet(message, key, value)) return;
  const buffer = room(11);
  buffer[at] = tag;
  at = writeVarint64(buffer, at + 1, value);
}

function putBytes(tag: number, message: object, key: string, value: Uint8Array | string | null | undefined): void {
  if (!isSet(message, key, value)) return;
  const bytes = bytesValue(value!);
  const length = bytes.length >>> 0;
  const buffer = room(6 + length);
  buffer[at] = tag;
  at = writeVarint32(buffer, at + 1, length);
  if (length === 0) return;
  buffer.set(bytes, at);
  at += length;
}

function putPosition(tag: number, message: object, p: IPosition | null | undefined): void {
  if (!isSet(message, 'position', p)) return;
  const start = openMessage(tag);
  putString(LEN[1], p!, 'epoch', p!.epoch);
  putUint64(VARINT[2], p!, 'seq', p!.seq);
  closeMessage(start);
}

function putOrigin(tag: number, message: object, o: IOrigin | null | undefined): void {
  if (!isSet(message, 'origin', o)) return;
  const start = openMessage(tag);
  putString(LEN[1], o!, 'gatewayId', o!.gatewayId);
  putString(LEN[2], o!, 'connectionId', o!.connectionId);
  putString(LEN[3], o!, 'userId', o!.userId);
  putUint64(VARINT[4], o!, 'receivedAtMs', o!.receivedAtMs);
  putString(LEN[5], o!, 'deviceId', o!.deviceId);
  closeMessage(start);
}

// ---- the packets of a 1:1 message ----

function writeMsgRequest(m: parley.v1.IMsgRequest): void {
  putString(LEN[1], m, 'msgId', m.msgId);
  putString(LEN[2], m, 'toUser', m.toUser);
  putBytes(LEN[3], m, 'payload', m.payload);
  putUint64(VARINT[4], m, 'clientSeq', m.clientSeq);
  putString(LEN[5], m, 'fromUser', m.fromUser);
  putString(LEN[6], m, 'conversation', m.conversation);
}

function writeMsgAccepted(m: parley.v1.IMsgAccepted): void {
  putString(LEN[1], m, 'msgId', m.msgId);
  putString(LEN[2], m, 'conversation', m.conversation);
  putPosition(LEN[3], m, m.position);
  putUint64(VARINT[4], m, 'serverTimeMs', m.serverTimeMs);
}

function writeMsgNotify(m: parley.v1.IMsgNotify): void {
  putString(LEN[1], m, 'conversation', m.conversation);
  putPosition(LEN[2], m, m.position);
  putString(LEN[3], m, 'msgId', m.msgId);
  putString(LEN[4], m, 'fromUser', m.fromUser);
  putBytes(LEN[5], m, 'payload', m.payload);
  putUint64(VARINT[6], m, 'serverTimeMs', m.serverTimeMs);
  putUint64(VARINT[7], m, 'clientSeq', m.clientSeq);
}

/** AckRequest and AckAccepted: conversation (1), position (2). */
function writeAck(m: parley.v1.IAckRequest): void {
  putString(LEN[1], m, 'conversation', m.conversation);
  putPosition(LEN[2], m, m.position);
}

function writeAckNotify(m: parley.v1.IAckNotify): void {
  putString(LEN[1], m, 'conversation', m.conversation);
  putPosition(LEN[2], m, m.position);
  putString(LEN[3], m, 'msgId', m.msgId);
  putString(LEN[4], m, 'toUser', m.toUser);
  if (!isSet(m, 'status', m.status)) return;
  const buffer = room(11);
  buffer[at] = VARINT[5];
  at = writeInt32(buffer, at + 1, m.status!);
}

/** The packets written here, with their Frame field (wire.proto); any other goes through Frame.encode. */
const PACKET_WRITERS: ReadonlyMap<string, { readonly tag: number; readonly write: (packet: never) => void }> = new Map([
  ['msgR', { tag: LEN[1], write: writeMsgRequest }],
  ['msgA', { tag: LEN[2], write: writeMsgAccepted }],
  ['msgN', { tag: LEN[3], write: writeMsgNotify }],
  ['ackR', { tag: LEN[4], write: writeAck }],
  ['ackA', { tag: LEN[5], write: writeAck }],
  ['ackN', { tag: LEN[6], write: writeAckNotify }],
]);

/**
 * The frame's one packet when it is one written here (undefined: no packet, several, or
 * another kind). Own fields only: a decoded frame's unset packets are its prototype's nulls.
 */
function directPacket(frame: IFrame): string | undefined {
  let only: string | undefined;
  for (const key in frame) {
    if (frame[key as keyof IFrame] == null || !Object.prototype.hasOwnProperty.call(frame, key)) continue;
    if (only !== undefined) return undefined;
    only = key;
  }
  return only !== undefined && PACKET_WRITERS.has(only) ? only : undefined;
}

/** A frame's fields: its one packet, of `kind`. */
function writeFrame(frame: IFrame, kind: string): void {
  const writer = PACKET_WRITERS.get(kind)!;
  const start = openMessage(writer.tag);
  writer.write(frame[kind as keyof IFrame] as never);
  closeMessage(start);
}

/** A frame carrying one msg:R/A/N or ack:R/A/N, or undefined for any other frame. */
export function encodeFrameDirect(frame: IFrame): Buffer | undefined {
  const kind = directPacket(frame);
  if (kind === undefined) return undefined;
  begin();
  writeFrame(frame, kind);
  return finish();
}

// ---- ClientPacket, StoredMessage, Sequenced, DeliveryCommand ----

type IClientPacket = parley.v1.IClientPacket;
type IStoredMessage = parley.v1.IStoredMessage;

/** The ClientPacket's frame's packet kind; null when it has no frame; undefined when the frame is not one written here. */
const clientFrameKind = (p: IClientPacket): string | null | undefined => (isSet(p, 'frame', p.frame) ? directPacket(p.frame!) : null);

function writeClientPacket(p: IClientPacket, kind: string | null): void {
  putOrigin(LEN[1], p, p.origin);
  if (kind === null) return;
  const start = openMessage(LEN[2]);
  writeFrame(p.frame!, kind);
  closeMessage(start);
}

/** A ClientPacket whose frame is written here (or which has none); undefined for any other. */
export function encodeClientPacketDirect(p: IClientPacket): Buffer | undefined {
  const kind = clientFrameKind(p);
  if (kind === undefined) return undefined;
  begin();
  writeClientPacket(p, kind);
  return finish();
}

function writeStoredMessage(m: IStoredMessage): void {
  putString(LEN[1], m, 'conversation', m.conversation);
  putPosition(LEN[2], m, m.position);
  putString(LEN[3], m, 'msgId', m.msgId);
  putString(LEN[4], m, 'fromUser', m.fromUser);
  putStrings(LEN[5], m.toUsers);
  putBytes(LEN[6], m, 'payload', m.payload);
  putUint64(VARINT[7], m, 'serverTimeMs', m.serverTimeMs);
  putUint64(VARINT[8], m, 'clientSeq', m.clientSeq);
  putUint64(VARINT[9], m, 'receivedAtMs', m.receivedAtMs);
}

export function encodeStoredMessageDirect(m: IStoredMessage): Buffer {
  begin();
  writeStoredMessage(m);
  return finish();
}

function writeSequenced(s: parley.v1.ISequenced): void {
  if (isSet(s, 'message', s.message)) {
    const start = openMessage(LEN[1]);
    writeStoredMessage(s.message!);
    closeMessage(start);
  }
  if (isSet(s, 'duplicate', s.duplicate)) {
    const buffer = room(2);
    buffer[at++] = VARINT[2];
    buffer[at++] = s.duplicate ? 1 : 0;
  }
  putOrigin(LEN[3], s, s.origin);
}

/** A DeliveryCommand carrying a Sequenced or a ClientPacket written here; undefined for any other (an AppEvent). */
export function encodeDeliveryCommandDirect(c: parley.v1.IDeliveryCommand): Buffer | undefined {
  if (isSet(c, 'appEvent', c.appEvent)) return undefined;
  const client = isSet(c, 'client', c.client) ? c.client! : undefined;
  const kind = client ? clientFrameKind(client) : null;
  if (kind === undefined) return undefined;
  begin();
  if (isSet(c, 'sequenced', c.sequenced)) {
    const start = openMessage(LEN[1]);
    writeSequenced(c.sequenced!);
    closeMessage(start);
  }
  if (client) {
    const start = openMessage(LEN[2]);
    writeClientPacket(client, kind);
    closeMessage(start);
  }
  return finish();
}

// ---- DownlinkBatch ----

function writeDownlinkItem(i: parley.v1.IDownlinkItem): void {
  putString(LEN[1], i, 'userId', i.userId);
  putString(LEN[2], i, 'connectionId', i.connectionId);
  putBytes(LEN[3], i, 'frame', i.frame);
  putStrings(LEN[4], i.moreUserIds);
  putString(LEN[5], i, 'exceptConnectionId', i.exceptConnectionId);
  if (isSet(i, 'closeCode', i.closeCode)) {
    const buffer = room(6);
    buffer[at] = VARINT[6];
    at = writeVarint32(buffer, at + 1, i.closeCode!);
  }
  putString(LEN[7], i, 'closeReason', i.closeReason);
}

export function encodeDownlinkBatchDirect(b: parley.v1.IDownlinkBatch): Buffer {
  begin();
  if (b.items != null) {
    for (let i = 0; i < b.items.length; i += 1) {
      const start = openMessage(LEN[1]);
      writeDownlinkItem(b.items[i]!);
      closeMessage(start);
    }
  }
  return finish();
}
