// Reads the fields a receiver needs from a wire Frame carrying a msg:N straight from its
// bytes, without building protobufjs objects or strings: a fan-out run receives millions of
// them, and a full decode into objects (and the strings of every field) cost the load tester
// more than the server spent sending them. Only what it reads with certainty is reported:
// anything else (another packet, a field of the wrong wire type, a value past 2^49, a group,
// truncated bytes) returns false, and the caller decodes the frame in full as before. Where
// it returns true it agrees with protobufjs' decoder (proto/parley/v1/wire.proto: unknown
// fields skipped, the last occurrence of a field wins, an embedded Position replaced whole).
// No I/O, no allocation.

/** Byte ranges [start, end) into the scanned buffer, and the numbers, of one msg:N. */
export interface MsgNotifyFields {
  conversationStart: number;
  conversationEnd: number;
  /** Whether a `position` field was present (absent: a malformed msg:N). */
  hasPosition: boolean;
  epochStart: number;
  epochEnd: number;
  seq: number;
  msgIdStart: number;
  msgIdEnd: number;
  fromStart: number;
  fromEnd: number;
  payloadStart: number;
  payloadEnd: number;
  clientSeq: number;
}

export const newMsgNotifyFields = (): MsgNotifyFields => ({
  conversationStart: 0,
  conversationEnd: 0,
  hasPosition: false,
  epochStart: 0,
  epochEnd: 0,
  seq: 0,
  msgIdStart: 0,
  msgIdEnd: 0,
  fromStart: 0,
  fromEnd: 0,
  payloadStart: 0,
  payloadEnd: 0,
  clientSeq: 0,
});

const FRAME_MSG_N = 3;
/** Frame's oneof `packet` uses field numbers 1..24 (wire.proto); a higher one is unknown and skipped. */
const FRAME_LAST_PACKET_FIELD = 24;
const LEN = 2;
const VARINT = 0;
/** Varints up to 7 bytes (below 2^49) are read exactly here; longer ones are left to protobufjs. */
const MAX_VARINT_BYTES = 7;

/** Where the scanner stands: the position after the last read, or -1 when it gave up. */
let at = 0;
/** The value of the last varint read. */
let value = 0;

/** Reads a varint at `pos` into `value`; the next position, or -1. */
function varint(buf: Uint8Array, pos: number, end: number): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (pos >= end) return -1;
    const byte = buf[pos++]!;
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      value = result;
      return pos;
    }
    scale *= 128;
  }
  return -1;
}

/** Skips one field of `wireType` whose tag ended at `pos`; the next position, or -1 (groups and bad wire types). */
function skip(buf: Uint8Array, pos: number, end: number, wireType: number): number {
  switch (wireType) {
    case VARINT: {
      // Any length up to 10 bytes: the value is not used.
      for (let i = 0; i < 10; i++) {
        if (pos >= end) return -1;
        if (buf[pos++]! < 0x80) return pos;
      }
      return -1;
    }
    case 1:
      return pos + 8 <= end ? pos + 8 : -1;
    case LEN: {
      const next = varint(buf, pos, end);
      if (next < 0 || next + value > end) return -1;
      return next + value;
    }
    case 5:
      return pos + 4 <= end ? pos + 4 : -1;
    default:
      return -1;
  }
}

/** Reads a length-delimited field's length at `pos`: sets `at` to its start and returns its end, or -1. */
function lengthDelimited(buf: Uint8Array, pos: number, end: number): number {
  const next = varint(buf, pos, end);
  if (next < 0 || next + value > end) return -1;
  at = next;
  return next + value;
}

function scanPosition(buf: Uint8Array, pos: number, end: number, out: MsgNotifyFields): boolean {
  // A Position field replaces the one before it whole (protobufjs decodes a new one).
  out.epochStart = out.epochEnd = 0;
  out.seq = 0;
  while (pos < end) {
    pos = varint(buf, pos, end);
    if (pos < 0) return false;
    const field = Math.floor(value / 8);
    const wireType = value & 7;
    if (field === 1) {
      if (wireType !== LEN) return false;
      const fieldEnd = lengthDelimited(buf, pos, end);
      if (fieldEnd < 0) return false;
      out.epochStart = at;
      out.epochEnd = pos = fieldEnd;
    } else if (field === 2) {
      if (wireType !== VARINT) return false;
      pos = varint(buf, pos, end);
      if (pos < 0) return false;
      out.seq = value;
    } else {
      if (field === 0) return false;
      pos = skip(buf, pos, end, wireType);
      if (pos < 0) return false;
    }
  }
  return pos === end;
}

function scanNotify(buf: Uint8Array, pos: number, end: number, out: MsgNotifyFields): boolean {
  out.conversationStart = out.conversationEnd = 0;
  out.hasPosition = false;
  out.epochStart = out.epochEnd = 0;
  out.seq = 0;
  out.msgIdStart = out.msgIdEnd = 0;
  out.fromStart = out.fromEnd = 0;
  out.payloadStart = out.payloadEnd = 0;
  out.clientSeq = 0;
  while (pos < end) {
    pos = varint(buf, pos, end);
    if (pos < 0) return false;
    const field = Math.floor(value / 8);
    const wireType = value & 7;
    switch (field) {
      case 1:
      case 2:
      case 3:
      case 4:
      case 5: {
        if (wireType !== LEN) return false;
        const fieldEnd = lengthDelimited(buf, pos, end);
        if (fieldEnd < 0) return false;
        if (field === 1) {
          out.conversationStart = at;
          out.conversationEnd = fieldEnd;
        } else if (field === 2) {
          out.hasPosition = true;
          if (!scanPosition(buf, at, fieldEnd, out)) return false;
        } else if (field === 3) {
          out.msgIdStart = at;
          out.msgIdEnd = fieldEnd;
        } else if (field === 4) {
          out.fromStart = at;
          out.fromEnd = fieldEnd;
        } else {
          out.payloadStart = at;
          out.payloadEnd = fieldEnd;
        }
        pos = fieldEnd;
        break;
      }
      case 6:
      case 7: {
        if (wireType !== VARINT) return false;
        if (field === 6) {
          pos = skip(buf, pos, end, VARINT);
        } else {
          pos = varint(buf, pos, end);
          out.clientSeq = value;
        }
        if (pos < 0) return false;
        break;
      }
      case 0:
        return false;
      default:
        pos = skip(buf, pos, end, wireType);
        if (pos < 0) return false;
    }
  }
  return pos === end;
}

/**
 * True when `buf` is a Frame whose packet is a msg:N (and nothing else of the oneof) that
 * this scanner read; `out` then holds its fields. False: decode the frame in full.
 */
export function scanMsgNotify(buf: Uint8Array, out: MsgNotifyFields): boolean {
  const end = buf.length;
  let pos = 0;
  let notifyStart = -1;
  let notifyEnd = -1;
  while (pos < end) {
    pos = varint(buf, pos, end);
    if (pos < 0) return false;
    const field = Math.floor(value / 8);
    const wireType = value & 7;
    if (field === FRAME_MSG_N) {
      // A second msg:N in one frame is left to protobufjs (it would keep the last).
      if (wireType !== LEN || notifyStart >= 0) return false;
      const fieldEnd = lengthDelimited(buf, pos, end);
      if (fieldEnd < 0) return false;
      notifyStart = at;
      notifyEnd = pos = fieldEnd;
    } else if (field === 0 || field <= FRAME_LAST_PACKET_FIELD) {
      return false; // another packet (or an invalid tag): decoded in full
    } else {
      pos = skip(buf, pos, end, wireType);
      if (pos < 0) return false;
    }
  }
  return notifyStart >= 0 && scanNotify(buf, notifyStart, notifyEnd, out);
}

/**
 * The client_seq a load-tester msg id `m<digits>` names, read from bytes [start, end); -1
 * when the id is not of that form (or too long to be exact).
 */
export function clientSeqOfIdBytes(buf: Uint8Array, start: number, end: number): number {
  const digits = end - start - 1;
  if (digits < 1 || digits > 15 || buf[start] !== 0x6d /* m */) return -1;
  let n = 0;
  for (let i = start + 1; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Whether bytes [start, end) of `buf` are exactly `bytes`. */
export function bytesEqual(buf: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  const length = end - start;
  if (length !== bytes.length) return false;
  for (let i = 0; i < length; i++) if (buf[start + i] !== bytes[i]) return false;
  return true;
}

const float64 = new Float64Array(1);
const float64Bytes = new Uint8Array(float64.buffer);

/** The little-endian IEEE 754 double at `offset` of `buf` (which holds 8 bytes from there). */
export function float64LEAt(buf: Uint8Array, offset: number): number {
  for (let i = 0; i < 8; i++) float64Bytes[i] = buf[offset + i]!;
  return float64[0]!;
}
