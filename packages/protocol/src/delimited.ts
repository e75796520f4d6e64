// Length-delimited frames, the body format of the HTTP fallback (docs/PROTOCOL.md, "HTTP
// fallback"): each frame is its byte length as a protobuf varint32 followed by its bytes,
// exactly what protobufjs's `encodeDelimited` writes, so one body carries any number of frames.
import { MalformedFrameError } from './errors';

/** Content type of a body of length-delimited frames. */
export const FRAMES_CONTENT_TYPE = 'application/x-parley-frames';

/** Bytes a varint32 takes: 1 below 2^7, ... 5 from 2^28. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** Bytes `frame` takes in a body: its length prefix and itself. */
export const delimitedSize = (frame: Uint8Array): number => varintSize(frame.byteLength) + frame.byteLength;

/**
 * How many of the first `frames` go in one body of at most `maxBodyBytes`, length prefixes
 * included: as many as fit in order, and always at least one (a single larger frame goes
 * alone; the receiver's limit then decides). 0 only when there are no frames.
 */
export function framesForBody(frames: readonly Uint8Array[], maxBodyBytes: number): number {
  let size = 0;
  let count = 0;
  while (count < frames.length) {
    const next = delimitedSize(frames[count]!);
    if (count > 0 && size + next > maxBodyBytes) break;
    size += next;
    count += 1;
  }
  return count;
}

/** Concatenates `frames`, each preceded by its length. */
export function encodeDelimited(frames: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const frame of frames) total += delimitedSize(frame);
  const out = new Uint8Array(total);
  let at = 0;
  for (const frame of frames) {
    let length = frame.byteLength;
    while (length >= 0x80) {
      out[at++] = (length & 0x7f) | 0x80;
      length >>>= 7;
    }
    out[at++] = length;
    out.set(frame, at);
    at += frame.byteLength;
  }
  return out;
}

/**
 * Splits a body into its frames (views into `body`, not copies). All or nothing: throws
 * MalformedFrameError when a length is not a varint32 or runs past the end of the body.
 */
export function decodeDelimited(body: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < body.byteLength) {
    let length = 0;
    let shift = 0;
    for (;;) {
      if (at >= body.byteLength) throw new MalformedFrameError(`length prefix cut off at byte ${at}`);
      if (shift === 28 && body[at]! > 0x0f) throw new MalformedFrameError(`length prefix over 32 bits at byte ${at}`);
      const byte = body[at++]!;
      length += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
      shift += 7;
    }
    if (length > body.byteLength - at) throw new MalformedFrameError(`frame of ${length} bytes runs past the end of the body (${body.byteLength - at} left)`);
    frames.push(body.subarray(at, at + length));
    at += length;
  }
  return frames;
}
