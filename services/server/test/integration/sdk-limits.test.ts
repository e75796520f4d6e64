// The client SDK against the real gateway's per-user connection cap (docs/PROTOCOL.md
// "Limits", close code 4006): a client of a third device is refused CONNECTION_LIMIT and
// backs off, and a device connecting again replaces its older copy, whose client reports
// REPLACED and stays down instead of replacing the newer copy in turn.
import { waitFor } from '@parley/testkit';
import type { ConnectionState, LinkProblem } from '@parley/client';
import { RecordingClient, useServer } from './harness';

const MAX_CONNECTIONS_PER_USER = 2;
const backoff = { minDelayMs: 100, maxDelayMs: 1_000 };

function watch(c: RecordingClient): { problems: LinkProblem[]; states: ConnectionState[] } {
  const seen = { problems: [] as LinkProblem[], states: [] as ConnectionState[] };
  c.client.on('linkProblem', (p) => seen.problems.push(p));
  c.client.on('state', (s) => seen.states.push(s));
  return seen;
}

describe('the SDK at the per-user connection cap', () => {
  const env = useServer('sdk-limits', { PARLEY_MAX_CONNECTIONS_PER_USER: String(MAX_CONNECTIONS_PER_USER) });

  it('a third device is refused CONNECTION_LIMIT and backs off; a device connecting again replaces its old copy, which stays down', async () => {
    const phone = await env.client('limits-carol', { deviceId: 'carol-phone', backoff });
    await env.client('limits-carol', { deviceId: 'carol-laptop', backoff });
    const phoneSeen = watch(phone);

    // A third device: refused with the gateway's answer, retried with growing delays, never let in.
    const tablet = new RecordingClient(env.server.port, 'limits-carol', { deviceId: 'carol-tablet', backoff });
    const tabletSeen = watch(tablet);
    const tabletConnect = tablet.connect().then(
      () => 'welcomed',
      (err: unknown) => (err instanceof Error ? err.name : String(err)),
    );
    try {
      await waitFor(() => tabletSeen.problems.length >= 3, { timeoutMs: 30_000, what: 'three refusals of the third device' });
      const refusals = tabletSeen.problems.slice(0, 3);
      for (const p of refusals) expect(p).toMatchObject({ kind: 'connection-limit', code: 2006, httpStatus: 429 });
      // Full-jitter backoff: each wait within its doubling ceiling (100, 200, 400 ms).
      refusals.forEach((p, i) => expect(p.retryInMs).toBeLessThanOrEqual(backoff.minDelayMs * 2 ** i));
      expect(tablet.client.state).not.toBe('connected');

      // The phone connects again from a second copy (same device id): it takes over the phone's place.
      const phoneAgain = await env.client('limits-carol', { deviceId: 'carol-phone', backoff });
      expect(phoneAgain.client.state).toBe('connected');
      await waitFor(() => phoneSeen.problems.length >= 1, { timeoutMs: 30_000, what: 'the old copy told it was replaced' });
      expect(phoneSeen.problems).toEqual([expect.objectContaining({ kind: 'replaced', code: 4006 })]);
      expect(phoneSeen.problems[0]!.retryInMs).toBeUndefined();

      // While the tablet is refused three more times (seconds of backoff), the old phone copy stays down
      // and the new one stays up: they do not replace each other.
      const seenBefore = tabletSeen.problems.length;
      await waitFor(() => tabletSeen.problems.length >= seenBefore + 3, { timeoutMs: 30_000, what: 'three more refusals of the third device' });
      expect(phoneSeen.states).toEqual(['disconnected']);
      expect(phone.client.state).toBe('disconnected');
      expect(phoneAgain.client.state).toBe('connected');
    } finally {
      await tablet.close();
    }
    expect(await tabletConnect).toBe('ClientClosedError');
  }, 120_000);
});
