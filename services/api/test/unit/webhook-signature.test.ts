// The webhook signature a receiver checks: HMAC-SHA256 over timestamp and body, refused when
// the body, the timestamp or the secret differ, or the timestamp is too old (a replay).
import { signWebhook, verifyWebhook } from '../../src/webhook-signature';

const SECRET = 'unit-test-webhook-secret';

describe('webhook signatures', () => {
  const body = '{"id":"d:a:b/e/1","type":"message.stored"}';
  const signature = signWebhook(SECRET, 1_800_000_000, body);

  it('verifies what was signed, within the tolerance', () => {
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(SECRET, signature, 1_800_000_000, body, 1_800_000_100)).toBe(true);
  });

  it('refuses another body, timestamp or secret, and an old timestamp', () => {
    expect(verifyWebhook(SECRET, signature, 1_800_000_000, body.replace('1', '2'), 1_800_000_000)).toBe(false);
    expect(verifyWebhook(SECRET, signature, 1_800_000_001, body, 1_800_000_000)).toBe(false);
    expect(verifyWebhook('another-secret-entirely', signature, 1_800_000_000, body, 1_800_000_000)).toBe(false);
    expect(verifyWebhook(SECRET, signature, 1_800_000_000, body, 1_800_000_301)).toBe(false);
  });
});
