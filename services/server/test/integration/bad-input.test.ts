// A frame claiming another sender, a malformed frame, an oversized frame,
// a bad token and a foreign Origin each get the documented error or close code, are
// counted in a metric, and the process keeps serving others.
import { ErrorCode, CloseCode } from '@parley/protocol';
import { waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { RawConnection, realEnv, refusedUpgrade, startServer, wsUrl } from './harness';

describe('bad input on real Kafka and Redis', () => {
  let server: ParleyServer;

  beforeAll(async () => {
    server = await startServer(realEnv('badinput', { PARLEY_MAX_FRAME_BYTES: '4096', PARLEY_MAX_PAYLOAD_BYTES: '1024', PARLEY_ALLOWED_ORIGINS: 'https://chat.example' }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const metric = async (name: string, label: string): Promise<number> => {
    const text = await server.registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith(name) && l.includes(label));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('refuses a bad token, a missing token and a foreign Origin at the upgrade', async () => {
    const port = server.port;
    const badToken = await refusedUpgrade(wsUrl(port, 'alice', 'some-other-secret-0123456789'));
    expect(badToken.status).toBe(401);
    expect(JSON.parse(badToken.body).code).toBe(ErrorCode.TOKEN_INVALID);
    const missing = await refusedUpgrade(`ws://127.0.0.1:${port}/ws`);
    expect(JSON.parse(missing.body).code).toBe(ErrorCode.TOKEN_MISSING);
    const foreign = await refusedUpgrade(wsUrl(port, 'alice'), { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).code).toBe(ErrorCode.ORIGIN_FORBIDDEN);
    expect(await metric('parley_gateway_rejected_upgrades_total', 'TOKEN_INVALID')).toBeGreaterThanOrEqual(1);
    expect(await metric('parley_gateway_rejected_upgrades_total', 'ORIGIN_FORBIDDEN')).toBeGreaterThanOrEqual(1);
  });

  it('answers a frame claiming another sender with SENDER_MISMATCH and stores nothing', async () => {
    const mallory = await RawConnection.open(wsUrl(server.port, 'mallory'), { Origin: 'https://chat.example' });
    mallory.send({ msgR: { msgId: 'forged1', toUser: 'bob', fromUser: 'alice', payload: Buffer.from('hi') } });
    const error = await mallory.next('error');
    expect(error.error).toMatchObject({ code: ErrorCode.SENDER_MISMATCH, msgId: 'forged1', retryable: false });
    expect(mallory.frames.some((f) => f.packet === 'msgA')).toBe(false);
    expect(await metric('parley_errors_total', 'SENDER_MISMATCH')).toBeGreaterThanOrEqual(1);
    mallory.close();
  });

  it('answers a malformed frame with MALFORMED_FRAME, and closes after repeated violations', async () => {
    const client = await RawConnection.open(wsUrl(server.port, 'carol'));
    client.sendBytes(Buffer.from([0xff, 0xff, 0xff, 0x01]));
    expect((await client.next('error')).error?.code).toBe(ErrorCode.MALFORMED_FRAME);
    for (let i = 0; i < 9; i++) client.sendBytes(Buffer.from([0x0a, 0x7f]));
    expect(await client.closed()).toBe(CloseCode.PROTOCOL_VIOLATION);
    expect(await metric('parley_errors_total', 'MALFORMED_FRAME')).toBeGreaterThanOrEqual(10);
  });

  it('refuses an oversized payload with PAYLOAD_TOO_LARGE and closes on an oversized frame', async () => {
    const client = await RawConnection.open(wsUrl(server.port, 'dave'));
    client.send({ msgR: { msgId: 'big1', toUser: 'erin', payload: new Uint8Array(2048) } });
    expect((await client.next('error')).error).toMatchObject({ code: ErrorCode.PAYLOAD_TOO_LARGE, msgId: 'big1' });
    client.sendBytes(new Uint8Array(8192));
    expect(await client.closed()).toBe(CloseCode.MESSAGE_TOO_BIG);
  });

  it('answers a burst over the rate limit with one RATE_LIMITED, and keeps the connection', async () => {
    const burster = await RawConnection.open(wsUrl(server.port, 'burster'));
    for (let i = 0; i < 1000; i++) burster.send({ ping: { nonce: i } });
    expect((await burster.next('error')).error).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryable: true });
    // The burst (2 s worth: 400 frames) is answered; the rest is refused, told once.
    await waitFor(() => burster.frames.filter((f) => f.packet === 'pong').length >= 400, { timeoutMs: 10_000, what: 'the burst answered' });
    expect(burster.frames.filter((f) => f.packet === 'error')).toHaveLength(1);
    expect(await metric('parley_errors_total', 'RATE_LIMITED')).toBeGreaterThanOrEqual(1);
    burster.send({ ping: { nonce: 5000 } });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a quiet second: a token again, and the period over the limit ends
    burster.send({ ping: { nonce: 5001 } });
    await burster.next('pong', (f) => Number(f.pong?.nonce) === 5001);
    expect(burster.closeCode).toBeUndefined();
    burster.close();
  });

  it('keeps serving others: a 1:1 exchange works after all of the above', async () => {
    const alice = await RawConnection.open(wsUrl(server.port, 'alice'));
    const bob = await RawConnection.open(wsUrl(server.port, 'bob'));
    alice.send({ msgR: { msgId: 'after-bad-input', toUser: 'bob', payload: Buffer.from('still here') } });
    const accepted = await alice.next('msgA', (f) => f.msgA?.msgId === 'after-bad-input', 30_000);
    const pushed = await bob.next('msgN', (f) => f.msgN?.msgId === 'after-bad-input', 30_000);
    expect(pushed.msgN?.position).toEqual(accepted.msgA?.position);
    expect(Buffer.from(pushed.msgN!.payload!).toString()).toBe('still here');
    bob.send({ ackR: { conversation: pushed.msgN!.conversation, position: pushed.msgN!.position } });
    await bob.next('ackA');
    const ackN = await alice.next('ackN', (f) => f.ackN?.msgId === 'after-bad-input');
    expect(ackN.ackN?.status).toBe(1);
    alice.close();
    bob.close();
  });
});
