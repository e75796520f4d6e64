import { CloseCode, ErrorCode } from '@parley/protocol';
import { ConnectionStoppedError } from '../../src/errors';
import type { LinkProblem } from '../../src/link-problems';
import { toHttpRefusal } from '../../src/transport';
import { connected, harness, track, type Harness } from '../support/client-harness';
import { settle } from '../support/fake-server';

// backoff in the harness: min 100, max 1000, random 0.999999 (each delay = its ceiling).
function problems(h: Harness): LinkProblem[] {
  const seen: LinkProblem[] = [];
  h.client.on('linkProblem', (p) => seen.push(p));
  return seen;
}

describe('ParleyClient and the gateway limits', () => {
  it('reads status, Retry-After seconds and the JSON code of a refusal', () => {
    expect(toHttpRefusal(429, '7', '{"code":2007,"message":"slow down"}')).toEqual({ status: 429, code: 2007, retryAfterMs: 7_000 });
    expect(toHttpRefusal(429, null, '{"code":2006}')).toEqual({ status: 429, code: 2006 });
    expect(toHttpRefusal(503, 'Wed, 21 Oct 2026 07:28:00 GMT', 'not json')).toEqual({ status: 503 });
  });

  it('CONNECT_RATE_LIMITED: waits at least Retry-After, plus jitter, then connects', async () => {
    const h = harness();
    const seen = problems(h);
    h.server.refuseNext = [{ status: 429, code: ErrorCode.CONNECT_RATE_LIMITED, retryAfterMs: 5_000 }];
    const welcome = track(h.client.connect());
    await settle();
    expect(seen).toEqual([
      { kind: 'connect-rate-limited', code: 2007, httpStatus: 429, retryInMs: 5_100, reason: 'HTTP 429' },
    ]);
    expect(h.states).toEqual(['connecting', 'disconnected']);
    await h.advance(5_099);
    expect(h.server.connections).toHaveLength(1);
    await h.advance(1);
    expect(h.server.connections).toHaveLength(2);
    expect(welcome.settled).toBe(true);
    expect(h.client.state).toBe('connected');
  });

  it("CONNECT_RATE_LIMITED: the browser's online event does not cut the Retry-After wait short (it does an ordinary backoff)", async () => {
    const listeners: Array<() => void> = [];
    const host = globalThis as unknown as Record<string, unknown>;
    const saved = { addEventListener: host.addEventListener, removeEventListener: host.removeEventListener, navigator: host.navigator };
    Object.assign(host, {
      addEventListener: (_type: string, listener: () => void) => listeners.push(listener),
      removeEventListener: () => undefined,
    });
    Object.defineProperty(host, 'navigator', { value: { onLine: true }, configurable: true, writable: true });
    try {
      const h = harness();
      h.server.refuseNext = [{ status: 429, code: ErrorCode.CONNECT_RATE_LIMITED, retryAfterMs: 5_000 }];
      void h.client.connect();
      await h.advance(1_000);
      for (const listener of listeners) listener();
      await settle();
      expect(h.server.connections).toHaveLength(1);
      await h.advance(4_100);
      expect(h.client.state).toBe('connected');

      h.server.current.drop(1006, 'network lost');
      await settle();
      for (const listener of listeners) listener();
      await settle();
      expect(h.server.connections).toHaveLength(3); // an ordinary failure: reconnects at once
    } finally {
      Object.defineProperty(host, 'navigator', { value: saved.navigator, configurable: true, writable: true });
      Object.assign(host, { addEventListener: saved.addEventListener, removeEventListener: saved.removeEventListener });
    }
  });

  it('CONNECT_RATE_LIMITED with no readable Retry-After: waits the longest backoff', async () => {
    const h = harness();
    const seen = problems(h);
    h.server.refuseNext = [{ status: 429 }];
    void h.client.connect();
    await settle();
    expect(seen[0]).toMatchObject({ kind: 'connect-rate-limited', retryInMs: 1_100 });
  });

  it('CONNECTION_LIMIT: backs off exponentially up to the cap and reports every refusal', async () => {
    const h = harness();
    const seen = problems(h);
    const limit = { status: 429, code: ErrorCode.CONNECTION_LIMIT };
    h.server.refuseNext = [limit, limit, limit, limit, limit, limit];
    const welcome = track(h.client.connect());
    for (let i = 0; i < 6; i++) await h.advance(h.clock.pendingDelays()[0] ?? 0);
    expect(seen.map((p) => [p.kind, p.code, p.retryInMs])).toEqual([
      ['connection-limit', 2006, 100],
      ['connection-limit', 2006, 200],
      ['connection-limit', 2006, 400],
      ['connection-limit', 2006, 800],
      ['connection-limit', 2006, 1_000],
      ['connection-limit', 2006, 1_000],
    ]);
    expect(welcome.settled).toBe(true); // the seventh attempt was let in
    expect(h.server.connections).toHaveLength(7);
  });

  it('REPLACED: does not reconnect, rejects a waiting connect() and connects again when asked', async () => {
    const h = harness();
    const seen = problems(h);
    await connected(h);
    h.server.current.drop(CloseCode.REPLACED, 'replaced by a newer connection of this device');
    await h.advance(60_000);
    expect(h.server.connections).toHaveLength(1);
    expect(seen).toEqual([{ kind: 'replaced', code: 4006, reason: 'replaced by a newer connection of this device' }]);
    expect(h.states).toEqual(['connecting', 'connected', 'disconnected']);
    expect(h.clock.pendingDelays()).toEqual([]);

    await h.client.connect();
    expect(h.server.connections).toHaveLength(2);
    expect(h.client.state).toBe('connected');
  });

  it('REPLACED before the welcome: the connect() waiting is rejected with ConnectionStoppedError', async () => {
    const h = harness();
    h.server.autoWelcome = false;
    const welcome = track(h.client.connect());
    await settle();
    h.server.current.drop(CloseCode.REPLACED, 'replaced');
    await settle();
    expect(welcome.error).toBeInstanceOf(ConnectionStoppedError);
    expect((welcome.error as ConnectionStoppedError).problem).toBe('replaced');
  });

  it('FLOOD: reconnects only after the longest backoff plus jitter', async () => {
    const h = harness();
    const seen = problems(h);
    await connected(h);
    h.server.current.drop(CloseCode.FLOOD, 'flood');
    await settle();
    expect(seen).toEqual([{ kind: 'flood', code: 4005, reason: 'flood', retryInMs: 1_100 }]);
    await h.advance(1_099);
    expect(h.server.connections).toHaveLength(1);
    await h.advance(1);
    expect(h.server.connections).toHaveLength(2);
    expect(h.client.state).toBe('connected');
  });

  it.each([
    [CloseCode.MESSAGE_TOO_BIG, 'frame too large'],
    [CloseCode.UNSUPPORTED_DATA, 'text frame'],
  ])('close %i: reported as a client bug, reconnects with the usual growing backoff', async (code, reason) => {
    const h = harness();
    const seen = problems(h);
    await connected(h);
    h.server.autoWelcome = false; // the reconnects fail with the same close before a welcome
    h.server.current.drop(code, reason);
    await settle();
    for (let i = 0; i < 2; i++) {
      await h.advance(h.clock.pendingDelays()[0]!);
      h.server.current.drop(code, reason);
      await settle();
    }
    expect(seen.map((p) => [p.kind, p.code, p.retryInMs])).toEqual([
      ['client-bug', code, 100],
      ['client-bug', code, 200],
      ['client-bug', code, 400],
    ]);
  });

  it('a refused token: one more attempt with a fresh token from getToken, then stops with an error', async () => {
    let issued = 0;
    const h = harness({ token: undefined, getToken: async () => `t${++issued}` });
    const seen = problems(h);
    h.server.refuseNext = [
      { status: 401, code: ErrorCode.TOKEN_EXPIRED },
      { status: 431, code: ErrorCode.TOKEN_TOO_LARGE },
    ];
    const welcome = track(h.client.connect());
    await h.advance(60_000);
    expect(issued).toBe(2);
    expect(h.server.connections.map((c) => new URL(c.url).searchParams.get('token'))).toEqual(['t1', 't2']);
    expect(seen.map((p) => [p.kind, p.code, p.httpStatus, p.retryInMs])).toEqual([
      ['token-rejected', 2003, 401, 0],
      ['token-rejected', 2008, 431, undefined],
    ]);
    expect(welcome.error).toBeInstanceOf(ConnectionStoppedError);
    expect((welcome.error as ConnectionStoppedError).problem).toBe('token-rejected');
    expect(h.client.state).toBe('disconnected');

    await h.client.connect(); // the application got a new token source: connect() starts over
    expect(issued).toBe(3);
    expect(h.client.state).toBe('connected');
  });

  it('a token refused once then accepted: the next refusal again gets its fresh-token attempt', async () => {
    let issued = 0;
    const h = harness({ token: undefined, getToken: async () => `t${++issued}` });
    const seen = problems(h);
    h.server.refuseNext = [{ status: 401, code: ErrorCode.TOKEN_EXPIRED }];
    const welcome = track(h.client.connect());
    await h.advance(0);
    expect(welcome.settled).toBe(true);
    h.server.current.drop(CloseCode.GOING_AWAY, 'restart');
    h.server.refuseNext = [{ status: 401, code: ErrorCode.TOKEN_EXPIRED }];
    await h.advance(60_000);
    expect(seen.map((p) => p.retryInMs)).toEqual([0, 0]);
    expect(h.client.state).toBe('connected');
  });
});
