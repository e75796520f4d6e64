// The load tester's own WebSocket client against the real gateway (embedded parley on
// uWebSockets.js): upgrade from a chosen source address, binary frames both ways, the
// gateway's close codes (a text frame, draining), a refused upgrade, a refused TCP connect,
// and the client's own close handshake; then small load runs through it and through `ws`.
import { signToken } from '@parley/auth';
import { asUserId, CloseCode, decodeFrame, encodeFrame } from '@parley/protocol';
import { startParleyServer, type ParleyServer } from '@parley/server';
import { waitFor } from '@parley/testkit';
import { EMBEDDED_DEV_SECRET, parseLoadArgs } from '../../src/options';
import { runLoad } from '../../src/run-load';
import { WebSocketClient } from '../../src/websocket/websocket-client';

interface Seen {
  open: boolean;
  frames: ReturnType<typeof decodeFrame>[];
  errors: string[];
  closes: number[];
}

function open(url: string, localAddress?: string): { client: WebSocketClient; seen: Seen } {
  const seen: Seen = { open: false, frames: [], errors: [], closes: [] };
  const client = new WebSocketClient(
    url,
    {
      onOpen: () => (seen.open = true),
      onMessage: (payload, binary) => {
        expect(binary).toBe(true);
        seen.frames.push(decodeFrame(payload));
      },
      onError: (kind) => seen.errors.push(kind),
      onClose: (code) => seen.closes.push(code),
    },
    { handshakeTimeoutMs: 30_000, maxMessageBytes: 1 << 20, ...(localAddress ? { localAddress } : {}) },
  );
  return { client, seen };
}

describe('the load tester WebSocket client against the gateway', () => {
  let server: ParleyServer;
  let base: string;
  beforeAll(async () => {
    server = await startParleyServer({ PARLEY_GATEWAY_PORT: '0', PARLEY_GATEWAY_HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'warn' });
    base = `ws://127.0.0.1:${server.port}/ws`;
  });
  afterAll(async () => {
    await server?.stop();
  });
  const urlFor = (user: string, device = 'd1'): string => `${base}?token=${signToken(EMBEDDED_DEV_SECRET, asUserId(user), 3600)}&device=${device}`;

  it('upgrades from the chosen source address, gets its welcome and a pong for its ping, and ends with a close handshake', async () => {
    const { client, seen } = open(urlFor('wsc-alice'), '127.0.0.9');
    await waitFor(() => seen.frames.some((f) => f.welcome), { timeoutMs: 30_000, what: 'the welcome' });
    expect(seen.open).toBe(true);
    expect(client.state).toBe('open');
    // Several frames in one callback leave in one write; the gateway answers each.
    for (let nonce = 1; nonce <= 3; nonce++) expect(client.send(encodeFrame({ ping: { nonce } }))).toBe(true);
    await waitFor(() => seen.frames.filter((f) => f.pong).length === 3, { timeoutMs: 30_000, what: 'three pongs' });
    expect(seen.frames.filter((f) => f.pong).map((f) => Number(f.pong!.nonce))).toEqual([1, 2, 3]);
    client.close(1000);
    await waitFor(() => seen.closes.length > 0, { timeoutMs: 30_000, what: 'the close' });
    expect(seen.closes).toEqual([1000]);
    expect(seen.errors).toEqual([]);
    expect(client.send(encodeFrame({ ping: { nonce: 4 } }))).toBe(false);
  });

  it("reports the gateway's close code: 1003 for a text frame", async () => {
    const { client, seen } = open(urlFor('wsc-bob'));
    await waitFor(() => seen.open, { timeoutMs: 30_000, what: 'the upgrade' });
    client.send(Buffer.from('not protobuf'), false);
    await waitFor(() => seen.closes.length > 0, { timeoutMs: 30_000, what: 'the close' });
    expect(seen.closes).toEqual([CloseCode.UNSUPPORTED_DATA]);
  });

  it('reports a refused upgrade as http:401 and closes with 1006', async () => {
    const { seen } = open(`${base}?token=not-a-token`);
    await waitFor(() => seen.closes.length > 0, { timeoutMs: 30_000, what: 'the close' });
    expect(seen).toMatchObject({ open: false, errors: ['http:401'], closes: [1006] });
  });

  it('reports a refused TCP connect as socket:ECONNREFUSED and closes with 1006', async () => {
    const { seen } = open('ws://127.0.0.1:1/ws');
    await waitFor(() => seen.closes.length > 0, { timeoutMs: 30_000, what: 'the close' });
    expect(seen).toMatchObject({ open: false, errors: ['socket:ECONNREFUSED'], closes: [1006] });
  });

  it('reports 1006 after its own cut, with no close frame sent', async () => {
    const { client, seen } = open(urlFor('wsc-carol'));
    await waitFor(() => seen.open, { timeoutMs: 30_000, what: 'the upgrade' });
    client.terminate();
    await waitFor(() => seen.closes.length > 0, { timeoutMs: 30_000, what: 'the close' });
    expect(seen.closes).toEqual([1006]);
    await waitFor(() => (server.gateway?.connectionCount ?? 1) === 0, { timeoutMs: 30_000, what: 'the gateway to see the cut' });
  });

  it.each(['builtin', 'ws'])('carries a small load run with the %s client: every message once and in order', async (wsClient) => {
    const options = parseLoadArgs([
      '--url', base, '--ws-client', wsClient, '--connections', '40', '--rate', '200', '--duration', '2', '--workers', '1', '--quiet', '--source-from', wsClient === 'ws' ? '40' : '30',
    ]);
    const result = await runLoad(options);
    expect(result.connect.connected).toBe(40);
    expect(result.throughput.sent).toBeGreaterThan(0);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0, missingAckN: 0 });
    expect(result.passed).toBe(true);
  });
});

describe('the load tester WebSocket client and a draining gateway', () => {
  it('reports 4007 when the gateway drains', async () => {
    const server = await startParleyServer({ PARLEY_GATEWAY_PORT: '0', PARLEY_GATEWAY_HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'warn' });
    try {
      const { seen } = open(`ws://127.0.0.1:${server.port}/ws?token=${signToken(EMBEDDED_DEV_SECRET, asUserId('wsc-dave'), 3600)}&device=d1`);
      await waitFor(() => seen.frames.some((f) => f.welcome), { timeoutMs: 30_000, what: 'the welcome' });
      const draining = server.gateway!.drain();
      await waitFor(() => seen.closes.length > 0, { timeoutMs: 60_000, what: 'the close' });
      expect(seen.closes).toEqual([CloseCode.DRAINING]);
      await draining;
    } finally {
      await server.stop();
    }
  });
});
