// The protobuf wire primitives of the hand-written encoders (direct-encoders.ts,
// connection-frames.ts): each writes at a position of a buffer exactly what protobufjs'
// BufferWriter writes for the same value (its varints, its LongBits for 64-bit numbers, its
// string path), with no writer, operation object per field or LongBits per 64-bit field.
import { util } from 'protobufjs/minimal';

/** Whether this runtime has Node's Buffer (protobufjs writes through its BufferWriter then). */
export const hasNodeBuffer: boolean = typeof util.Buffer === 'function';

/** A field's value is written when it is set on the message itself (as protobufjs' generated encode checks). */
const ownProperty = Object.prototype.hasOwnProperty;
export const isSet = (message: object, key: string, value: unknown): boolean => value != null && ownProperty.call(message, key);

/** Bytes of a uint32 varint (protobufjs' Writer#uint32: the value taken as unsigned 32-bit). */
export function varint32Size(value: number): number {
  value >>>= 0;
  return value < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : value < 268435456 ? 4 : 5;
}

export function writeVarint32(buffer: Uint8Array, at: number, value: number): number {
  value >>>= 0;
  while (value > 127) {
    buffer[at++] = (value & 127) | 128;
    value >>>= 7;
  }
  buffer[at++] = value;
  return at;
}

// The low and high 32 bits of the last 64-bit value split (no object per value).
let low = 0;
let high = 0;

/** Splits a uint64 field's value as LongBits.from does (a number as LongBits.fromNumber; anything else through LongBits). */
function split64(value: unknown): void {
  if (typeof value !== 'number') {
    const bits = util.LongBits.from(value as number);
    low = bits.lo >>> 0;
    high = bits.hi >>> 0;
    return;
  }
  const negative = value < 0;
  const magnitude = negative ? -value : value;
  low = magnitude >>> 0;
  high = ((magnitude - low) / 4294967296) >>> 0;
  if (negative) {
    high = ~high >>> 0;
    low = ~low >>> 0;
    if (++low > 4294967295) {
      low = 0;
      if (++high > 4294967295) high = 0;
    }
  }
}

/** Writes a uint64 varint as protobufjs' writeVarint64 does; returns the end. */
export function writeVarint64(buffer: Uint8Array, at: number, value: unknown): number {
  split64(value);
  let lo = low;
  let hi = high;
  while (hi) {
    buffer[at++] = (lo & 127) | 128;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  while (lo > 127) {
    buffer[at++] = (lo & 127) | 128;
    lo >>>= 7;
  }
  buffer[at++] = lo;
  return at;
}

/** An int32 field (enums): a negative value is written as a 10-byte uint64, as protobufjs does. */
export const writeInt32 = (buffer: Uint8Array, at: number, value: number): number =>
  value < 0 ? writeVarint64(buffer, at, value) : writeVarint32(buffer, at, value);

/**
 * UTF-8 bytes of a string field's value (what BufferWriter#string measures with
 * Buffer.byteLength): a short ASCII string, which ids are, counted here without a native call.
 */
export function stringBytes(value: string): number {
  if (typeof value !== 'string' || value.length > 64) return Buffer.byteLength(value);
  const length = value.length;
  for (let i = 0; i < length; i += 1) if (value.charCodeAt(i) > 127) return Buffer.byteLength(value);
  return length;
}

/** Writes a string field's length and characters as BufferWriter does (its own UTF-8 writer for short strings). */
export function writeString(buffer: Buffer, at: number, value: string, length: number): number {
  at = writeVarint32(buffer, at, length);
  if (length === 0) return at;
  if (value.length < 40) util.utf8.write(value, buffer, at);
  else buffer.write(value, at, length, 'utf8');
  return at + length;
}

/** A bytes field's value as BufferWriter takes it: a string is base64. */
export const bytesValue = (value: Uint8Array | string): Uint8Array => (typeof value === 'string' ? Buffer.from(value, 'base64') : value);
