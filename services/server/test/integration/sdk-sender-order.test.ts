// The client SDK's send lanes against the real gateway and sequencer (docs/PROTOCOL.md
// "Devices and client_seq"): a burst far over the gateway's rate limit (RATE_LIMITED
// refusals, then OUT_OF_ORDER for what was in flight behind them), with the link cut in the
// middle, still reaches the receiver exactly once and in the order send() was called, all
// numbered 1, 2, 3, ... by the sender's one device, and every send resolves.
import { waitFor } from '@parley/testkit';
import { CuttableLinks, expectExactlyOnceInOrder, payload, useServer } from './harness';

/** The gateway's rate limit here: a burst of twice this many frames, then this many per second. */
const RATE_LIMIT = 50;

describe('the SDK keeps the sender order through refusals and reconnects', () => {
  const env = useServer('sdk-order', { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: String(RATE_LIMIT) });

  it('a burst of 300 messages over the rate limit, with a cut link, arrives once each in send() order', async () => {
    const n = 300;
    const bob = await env.client('sdk-bob');
    const links = new CuttableLinks();
    const errors: number[] = [];
    const alice = await env.client('sdk-alice', { transportFactory: links.factory, deviceId: 'alice-laptop' });
    alice.client.on('error', (e) => errors.push(e.code));
    const texts = Array.from({ length: n }, (_, i) => `m${i + 1}`);
    const sends = texts.map((text) => alice.client.send('sdk-bob', payload(text)));
    await waitFor(() => bob.messages.length >= n / 3, { timeoutMs: 60_000, what: 'a third delivered' });
    links.cut();
    const receipts = await Promise.all(sends);
    expect(receipts.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    await waitFor(() => bob.messages.length >= n, { timeoutMs: 60_000, what: 'all delivered' });
    expectExactlyOnceInOrder(bob.texts(), texts);
    expect(bob.messages.map((m) => m.clientSeq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(alice.client.deviceId).toBe('alice-laptop');
    expect(errors.length).toBeGreaterThan(0); // the limit was hit: the go-back-N path ran
    expect(errors.filter((code) => code !== 4001 && code !== 4010)).toEqual([]);
  }, 180_000);
});
