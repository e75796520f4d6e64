// uint64 fields (seqs, client_seq, timestamps) decoded as numbers without an object per
// value. protobufjs reads every 64-bit varint into a new LongBits and converts it
// (LongBits#toNumber(true) when, as in parley, no Long library is configured); this is its
// readLongVarint with the two halves in locals: the same bytes read, the same number, the same
// errors on a truncated or overlong varint (uint64-reader.test.ts compares them). Installed by
// the generated code (scripts/generate.js) as Reader#uint64.
import type { Reader } from 'protobufjs/minimal';

const indexOutOfRange = (reader: Reader, writeLength?: number): RangeError =>
  new RangeError(`index out of range: ${reader.pos} + ${writeLength || 1} > ${reader.len}`);

export function readUint64(this: Reader): number {
  const buf = this.buf;
  let lo = 0;
  let hi = 0;
  let i = 0;
  if (this.len - this.pos > 4) {
    // 1st..4th byte
    for (; i < 4; ++i) {
      lo = (lo | ((buf[this.pos]! & 127) << (i * 7))) >>> 0;
      if (buf[this.pos++]! < 128) return lo;
    }
    // 5th
    lo = (lo | ((buf[this.pos]! & 127) << 28)) >>> 0;
    hi = (hi | ((buf[this.pos]! & 127) >> 4)) >>> 0;
    if (buf[this.pos++]! < 128) return lo + hi * 4294967296;
    i = 0;
  } else {
    for (; i < 3; ++i) {
      if (this.pos >= this.len) throw indexOutOfRange(this);
      lo = (lo | ((buf[this.pos]! & 127) << (i * 7))) >>> 0;
      if (buf[this.pos++]! < 128) return lo;
    }
    // 4th, as protobufjs reads it here (its continuation bit not looked at)
    lo = (lo | ((buf[this.pos++]! & 127) << (i * 7))) >>> 0;
    return lo;
  }
  if (this.len - this.pos > 4) {
    // 6th..10th
    for (; i < 5; ++i) {
      hi = (hi | ((buf[this.pos]! & 127) << (i * 7 + 3))) >>> 0;
      if (buf[this.pos++]! < 128) return lo + hi * 4294967296;
    }
  } else {
    for (; i < 5; ++i) {
      if (this.pos >= this.len) throw indexOutOfRange(this);
      hi = (hi | ((buf[this.pos]! & 127) << (i * 7 + 3))) >>> 0;
      if (buf[this.pos++]! < 128) return lo + hi * 4294967296;
    }
  }
  throw Error('invalid varint encoding');
}
