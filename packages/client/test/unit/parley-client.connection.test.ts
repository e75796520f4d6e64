import { CloseCode } from '@parley/protocol';
import { InvalidOptionError } from '../../src/errors';
import { ParleyClient } from '../../src/parley-client';
import { settle } from '../support/fake-server';
import { connected, harness } from '../support/client-harness';

describe('ParleyClient connection lifecycle', () => {
  it('connects with the token as a query parameter and reports the welcome', async () => {
    const h = harness({ token: 'a b+c' });
    const welcomes: unknown[] = [];
    h.client.on('welcome', (w) => welcomes.push(w));
    const welcome = await h.client.connect();
    expect(h.server.current.url).toBe(`ws://gateway.test/ws?token=a%20b%2Bc&device=${h.client.deviceId}`);
    expect(welcome).toMatchObject({ userId: 'alice', heartbeatIntervalMs: 10_000, maxOfflinePage: 100 });
    expect(welcomes).toEqual([welcome]);
    expect(h.states).toEqual(['connecting', 'connected']);
    expect(h.client.state).toBe('connected');
  });

  it('asks getToken for a fresh token on every attempt', async () => {
    let issued = 0;
    const h = harness({ token: undefined, getToken: async () => `t${++issued}` });
    await connected(h);
    h.server.current.drop(CloseCode.GOING_AWAY, 'restart');
    await h.advance(1_000);
    const device = h.client.deviceId;
    expect(h.server.connections.map((c) => c.url)).toEqual([`ws://gateway.test/ws?token=t1&device=${device}`, `ws://gateway.test/ws?token=t2&device=${device}`]);
    expect(h.client.state).toBe('connected');
  });

  it('pings every heartbeat interval and stays connected while pongs come back', async () => {
    const h = harness();
    await connected(h);
    await h.advance(100_000);
    expect(h.server.current.frames('ping').map((p) => p.nonce)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(h.server.connections).toHaveLength(1);
  });

  it('closes a link whose pong does not come within an interval and reconnects', async () => {
    const h = harness();
    h.server.answerPings = false;
    await connected(h);
    await h.advance(10_000); // ping
    expect(h.server.connections).toHaveLength(1);
    await h.advance(10_000); // no frame since: dead
    expect(h.server.connections[0]!.closedBy).toEqual({ code: CloseCode.HEARTBEAT_TIMEOUT, reason: 'no frame since the last ping' });
    expect(h.states).toEqual(['connecting', 'connected', 'disconnected']);
    h.server.answerPings = true;
    await h.advance(100); // backoff ceiling of the first retry
    expect(h.server.connections).toHaveLength(2);
    expect(h.states).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
  });

  it('reconnects with full-jitter backoff, growing to the cap and starting over after a welcome', async () => {
    const randoms = [0.999_999, 0.5, 0.999_999, 0.25, 0.999_999, 0.999_999];
    const h = harness({ backoff: { minDelayMs: 100, maxDelayMs: 1_000, random: () => randoms.shift() ?? 0.999_999 } });
    h.server.acceptConnections = false;
    void h.client.connect();
    await settle();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const delay = h.clock.pendingDelays()[0]!;
      delays.push(delay);
      await h.advance(delay);
    }
    // Ceilings 100, 200, 400, 800, 1000, 1000; the random source picks within them.
    expect(delays).toEqual([100, 100, 400, 200, 1_000, 1_000]);
    expect(h.server.connections).toHaveLength(7);
    h.server.acceptConnections = true;
    await h.advance(h.clock.pendingDelays()[0]!);
    expect(h.client.state).toBe('connected');
    h.server.current.drop(1006);
    await settle();
    expect(h.clock.pendingDelays()).toContain(100); // back to the base ceiling (random 0.999999)
    expect(h.client.stats.reconnects).toBe(8);
  });

  it('gives up on an attempt that gets no welcome within connectTimeoutMs', async () => {
    const h = harness({ connectTimeoutMs: 5_000 });
    h.server.autoWelcome = false;
    void h.client.connect();
    await h.advance(5_000);
    expect(h.server.connections[0]!.closedBy?.reason).toBe('no welcome in time');
    expect(h.client.state).toBe('disconnected');
    h.server.autoWelcome = true;
    await h.advance(100);
    expect(h.client.state).toBe('connected');
  });

  it('counts frames that do not decode, or that only clients send, and carries on', async () => {
    const h = harness();
    await connected(h);
    h.server.current.pushBytes(new Uint8Array([0xff, 0xff, 0xff]));
    h.server.current.push({ ping: { nonce: 1 } });
    h.server.current.push({ msgN: { conversation: 'd:alice:bob', msgId: 'no-position' } });
    await settle();
    expect(h.client.stats.malformedFrames).toBe(3);
    expect(h.server.current.frames('ackR')).toHaveLength(0);
    expect(h.client.state).toBe('connected');
  });

  it('refuses bad options at construction', () => {
    const base = { url: 'ws://x/ws', token: 't', transportFactory: () => { throw new Error('unused'); } };
    expect(() => new ParleyClient({ ...base, url: 'http://x' })).toThrow(InvalidOptionError);
    expect(() => new ParleyClient({ ...base, token: undefined })).toThrow(/token/);
    expect(() => new ParleyClient({ ...base, getToken: () => 't' })).toThrow(/exactly one/);
    expect(() => new ParleyClient({ ...base, ackTimeoutMs: 0 })).toThrow(/ackTimeoutMs/);
    expect(() => new ParleyClient({ ...base, backoff: { minDelayMs: 10, maxDelayMs: 5 } })).toThrow(/backoff.maxDelayMs/);
    expect(() => new ParleyClient({ url: 'ws://x/ws', token: 't' })).toThrow(/transportFactory/);
  });
});
