// One signed callback: POST of the event's JSON with the timestamp, event id and HMAC
// signature headers (webhook-signature.ts), bounded by a timeout. Success is a 2xx answer.
import type { Clock } from '@parley/ports';
import { webhookBody, type WebhookEvent } from './webhook-events';
import { EVENT_ID_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature';

export type SendOutcome = { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly reason: string; readonly seconds?: number };

export async function sendWebhook(url: string, secret: string, event: WebhookEvent, timeoutMs: number, clock: Clock): Promise<SendOutcome> {
  const body = webhookBody(event);
  const timestamp = Math.floor(clock.now() / 1000);
  const started = process.hrtime.bigint();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        [EVENT_ID_HEADER]: event.id,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return res.ok ? { ok: true, seconds } : { ok: false, reason: `HTTP ${res.status}`, seconds };
  } catch (err) {
    return { ok: false, reason: failureReason(err, timeoutMs) };
  }
}

/** A refused connection, a reset or a timeout, in a few words (undici hides the cause). */
function failureReason(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
