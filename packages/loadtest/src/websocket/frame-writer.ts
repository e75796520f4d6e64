// RFC 6455 frames as a client writes them: each masked with a fresh key, copied (masked) at
// once into the socket's batch, and every frame one socket queued during one callback of the
// event loop leaves in one write when it returns (process.nextTick), not a write per frame.
import { randomFillSync } from 'node:crypto';

/** Masking keys come from this much random data at a time (RFC 6455 §5.3: unpredictable keys). */
const KEY_POOL_BYTES = 8192;
const keyPool = Buffer.allocUnsafe(KEY_POOL_BYTES);
let keyAt = KEY_POOL_BYTES;

/** The smallest batch buffer allocated; a batch grows by doubling. */
const MIN_BATCH_BYTES = 1024;

/** Bytes of a client frame's header for a payload of `length` bytes (with its 4-byte mask). */
export function clientHeaderBytes(length: number): number {
  return (length < 126 ? 2 : length < 0x10000 ? 4 : 10) + 4;
}

/**
 * Writes one masked client frame (FIN set) into `out` at `at`; returns the position after it.
 * `key`: the 4 mask bytes at `keyAt` of `keys`.
 */
export function writeClientFrame(out: Uint8Array, at: number, opcode: number, payload: Uint8Array, keys: Uint8Array, keyAt: number): number {
  const length = payload.length;
  out[at++] = 0x80 | opcode;
  if (length < 126) out[at++] = 0x80 | length;
  else if (length < 0x10000) {
    out[at++] = 0x80 | 126;
    out[at++] = length >>> 8;
    out[at++] = length & 0xff;
  } else {
    out[at++] = 0x80 | 127;
    const high = Math.floor(length / 0x100000000);
    out[at++] = 0;
    out[at++] = 0;
    out[at++] = (high >>> 8) & 0xff;
    out[at++] = high & 0xff;
    out[at++] = (length >>> 24) & 0xff;
    out[at++] = (length >>> 16) & 0xff;
    out[at++] = (length >>> 8) & 0xff;
    out[at++] = length & 0xff;
  }
  const k0 = keys[keyAt]!;
  const k1 = keys[keyAt + 1]!;
  const k2 = keys[keyAt + 2]!;
  const k3 = keys[keyAt + 3]!;
  out[at++] = k0;
  out[at++] = k1;
  out[at++] = k2;
  out[at++] = k3;
  let i = 0;
  for (const end = length - 3; i < end; i += 4) {
    out[at + i] = payload[i]! ^ k0;
    out[at + i + 1] = payload[i + 1]! ^ k1;
    out[at + i + 2] = payload[i + 2]! ^ k2;
    out[at + i + 3] = payload[i + 3]! ^ k3;
  }
  for (; i < length; i++) out[at + i] = payload[i]! ^ keys[keyAt + (i & 3)]!;
  return at + length;
}

/** Where a batch goes: the socket's write. */
export type BatchSink = (bytes: Buffer) => void;

/** Writers holding frames not yet written, flushed together when the current callback returns. */
const pending: FrameWriter[] = [];
let flushScheduled = false;

function flushPending(): void {
  flushScheduled = false;
  // A flush may queue frames again (a write error closing a socket): those wait for the next tick.
  const writers = pending.splice(0, pending.length);
  for (const writer of writers) writer.flush();
}

export class FrameWriter {
  private batch: Buffer | undefined;
  private used = 0;
  private queued = false;

  constructor(private readonly sink: BatchSink) {}

  /** Queues one frame (FIN set, masked); it is written with the others of this callback. */
  frame(opcode: number, payload: Uint8Array): void {
    const need = clientHeaderBytes(payload.length) + payload.length;
    this.reserve(need);
    if (keyAt + 4 > KEY_POOL_BYTES) {
      randomFillSync(keyPool);
      keyAt = 0;
    }
    this.used = writeClientFrame(this.batch!, this.used, opcode, payload, keyPool, keyAt);
    keyAt += 4;
    if (!this.queued) {
      this.queued = true;
      pending.push(this);
      if (!flushScheduled) {
        flushScheduled = true;
        process.nextTick(flushPending);
      }
    }
  }

  /** Writes the queued frames now, in one write. */
  flush(): void {
    this.queued = false;
    const batch = this.batch;
    if (batch === undefined || this.used === 0) return;
    const bytes = batch.subarray(0, this.used);
    this.batch = undefined;
    this.used = 0;
    this.sink(bytes);
  }

  /** Forgets the queued frames (the socket is gone). */
  discard(): void {
    this.batch = undefined;
    this.used = 0;
  }

  private reserve(need: number): void {
    const batch = this.batch;
    if (batch !== undefined && this.used + need <= batch.length) return;
    const grown = Buffer.allocUnsafe(Math.max(MIN_BATCH_BYTES, (batch?.length ?? 0) * 2, this.used + need));
    if (batch !== undefined) batch.copy(grown, 0, 0, this.used);
    this.batch = grown;
  }
}
