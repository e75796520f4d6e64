// Signing of webhook callbacks: HMAC-SHA256 over `<timestamp>.<body>` with the shared secret,
// so a receiver can tell parley's callbacks from forgeries and refuse old ones (replays).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'parley-signature';
export const TIMESTAMP_HEADER = 'parley-timestamp';
export const EVENT_ID_HEADER = 'parley-event-id';

/** `v1=<hex>`: the HMAC-SHA256 of `<timestampSec>.<body>` under `secret`. */
export function signWebhook(secret: string, timestampSec: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

/**
 * What a receiver checks (docs/SERVER-API.md): the signature over the timestamp and the raw
 * body, and a timestamp within `toleranceSec` of its clock.
 */
export function verifyWebhook(secret: string, signature: string, timestampSec: number, body: string, nowSec: number, toleranceSec = 300): boolean {
  if (!Number.isSafeInteger(timestampSec) || Math.abs(nowSec - timestampSec) > toleranceSec) return false;
  const expected = Buffer.from(signWebhook(secret, timestampSec, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
