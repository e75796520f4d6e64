// Message payloads: the send time (monotonic, microseconds) in the first 8 bytes, so a
// receiver in another worker process measures send -> msg:N on the same clock.
export const MIN_PAYLOAD_BYTES = 8;

export function makePayload(bytes: number, sentAtMicros: number): Buffer {
  const payload = Buffer.alloc(Math.max(MIN_PAYLOAD_BYTES, bytes), 0x61);
  payload.writeDoubleLE(sentAtMicros, 0);
  return payload;
}

/** The send time, or undefined when the payload is not one of ours. */
export function sentAtOf(payload: Uint8Array): number | undefined {
  if (payload.byteLength < MIN_PAYLOAD_BYTES) return undefined;
  const value = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).readDoubleLE(0);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
