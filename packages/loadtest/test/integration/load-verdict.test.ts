// A small real load run against parley started in this process (embedded mode): the load
// tester's worker processes connect a few hundred users (over WebSocket, and a share over
// HTTP long-poll; to one gateway or two sharing one in-memory infrastructure), send for a
// few seconds, and the verdict must be clean. A server that never delivers must fail it.
import { startParleyServer, ParleyServer } from '@parley/server';
import { waitFor } from '@parley/testkit';
import { parseLoadArgs } from '../../src/options';
import { LoadResult, runLoad } from '../../src/run-load';

const serverEnv = (extra: Record<string, string> = {}) => ({
  PARLEY_GATEWAY_PORT: '0',
  PARLEY_GATEWAY_HOST: '127.0.0.1',
  PARLEY_LOG_LEVEL: 'warn',
  PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '10000',
  ...extra,
});

describe('load run against embedded parley', () => {
  let server: ParleyServer | undefined;
  let secondGateway: ParleyServer | undefined;
  afterEach(async () => {
    await secondGateway?.stop();
    await server?.stop();
    server = secondGateway = undefined;
  });

  /** Long-poll connections were used, and everything meant for them reached them. */
  const expectLongPollCarried = (result: LoadResult): void => {
    const longPoll = result.transports['long-poll'];
    expect(longPoll.connected).toBe(longPoll.connections);
    expect(longPoll.sent).toBeGreaterThan(0);
    expect(longPoll.expectedDeliveries).toBeGreaterThan(0);
    expect(longPoll.delivered).toBe(longPoll.expectedDeliveries);
  };

  it('delivers every message of 300 connections in pairs exactly once and in order', async () => {
    server = await startParleyServer(serverEnv());
    const options = parseLoadArgs(['--url', `ws://127.0.0.1:${server.port}/ws`, '--connections', '300', '--rate', '600', '--duration', '3', '--workers', '2', '--quiet']);
    const result = await runLoad(options);
    expect(result.connect.connected).toBe(300);
    expect(result.throughput.sent).toBeGreaterThanOrEqual(0.95 * 600 * 3);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
    expect(result.verdict.detail.expectedDeliveries).toBe(result.throughput.sent);
    expect(result.latency.msgN.count).toBe(result.throughput.sent);
    expect(result.latency.ackN.count).toBe(result.throughput.sent);
    expect(result.verdict).toMatchObject({ missingAckN: 0, sharedPositions: 0, clientSeqReused: 0 });
    // Each message costs its msg:R and the receiver's ack:R up, its msg:A, msg:N and ack:N down (pings and the pull on top).
    expect(result.frames.up.msgR).toBe(result.throughput.sent);
    expect(result.frames.upPerMessage).toBeGreaterThanOrEqual(2);
    expect(result.frames.downPerMessage).toBeGreaterThanOrEqual(3);
    expect(result.passed).toBe(true);
  });

  it('delivers every group message to every other member exactly once and in order', async () => {
    server = await startParleyServer(serverEnv());
    const options = parseLoadArgs([
      '--url', `ws://127.0.0.1:${server.port}/ws`, '--connections', '200', '--scenario', 'groups',
      '--group-size', '50', '--group-senders', '3', '--rate', '100', '--duration', '3', '--workers', '2', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
    expect(result.verdict.detail.expectedDeliveries).toBe(result.throughput.sent * 49);
    expect(result.passed).toBe(true);
  });

  it('loses, duplicates and reorders nothing while reconnect storms cut 30% of 300 connections every second', async () => {
    server = await startParleyServer(serverEnv());
    const options = parseLoadArgs([
      '--url', `ws://127.0.0.1:${server.port}/ws`, '--connections', '300', '--rate', '600', '--duration', '4',
      '--storm-percent', '30', '--storm-every', '1', '--workers', '2', '--drain-extend-ms', '60000', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.storm).toBeDefined();
    expect(result.storm!.storms).toBe(3);
    expect(result.storm!.dropped).toBeGreaterThan(0);
    expect(result.storm!.reconnected).toBe(result.storm!.dropped);
    expect(result.storm!.timeToReconnect.count).toBe(result.storm!.dropped);
    expect(result.connect.connected).toBe(300);
    expect(result.throughput.sent).toBeGreaterThanOrEqual(0.95 * 600 * 4);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
    expect(result.verdict.detail.expectedDeliveries).toBe(result.throughput.sent);
    expect(result.drain.timedOut).toBe(false);
    expect(result.passed).toBe(true);
  });

  it('delivers every message exactly once and in order when a quarter of 300 connections long-poll', async () => {
    server = await startParleyServer(serverEnv());
    const options = parseLoadArgs([
      '--url', `ws://127.0.0.1:${server.port}/ws`, '--connections', '300', '--rate', '600', '--duration', '3', '--long-poll', '0.25', '--workers', '2', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.connect.connected).toBe(300);
    // Each worker's exact share: round(0.25 × 150) = 38.
    expect(result.transports['long-poll'].connections).toBe(76);
    expectLongPollCarried(result);
    expect(result.throughput.sent).toBeGreaterThanOrEqual(0.95 * 600 * 3);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
    expect(result.verdict.detail.expectedDeliveries).toBe(result.throughput.sent);
    expect(result.latency.msgN.count).toBe(result.throughput.sent);
    expect(result.latency.ackN.count).toBe(result.throughput.sent);
    expect(result.passed).toBe(true);
    // The end of the run closes the long-poll sessions (/lp/close) rather than leaving them to their 50 s idle limit.
    await waitFor(() => server!.gateway!.connectionCount === 0, { timeoutMs: 5_000, what: 'every connection and session closed after the run' });
  });

  it('loses, duplicates and reorders nothing while reconnect storms cut long-poll and WebSocket connections alike', async () => {
    // A cut long-poll session lingers on the server until its idle limit (2 × heartbeat):
    // a short heartbeat keeps what waits on such a session (an ack:N) within the drain.
    server = await startParleyServer(serverEnv({ PARLEY_HEARTBEAT_INTERVAL_MS: '2000' }));
    const options = parseLoadArgs([
      '--url', `ws://127.0.0.1:${server.port}/ws`, '--connections', '300', '--rate', '600', '--duration', '4', '--long-poll', '0.5',
      '--storm-percent', '30', '--storm-every', '1', '--workers', '2', '--drain-extend-ms', '60000', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.transports['long-poll'].stormDropped).toBeGreaterThan(0);
    expect(result.transports.websocket.stormDropped).toBeGreaterThan(0);
    expect(result.storm!.reconnected).toBe(result.storm!.dropped);
    expect(result.connect.connected).toBe(300);
    expectLongPollCarried(result);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
    expect(result.verdict.detail.expectedDeliveries).toBe(result.throughput.sent);
    expect(result.drain.timedOut).toBe(false);
    expect(result.passed).toBe(true);
  });

  it('delivers across two gateways on one infrastructure, pairs spanning them, a quarter on long-poll', async () => {
    server = await startParleyServer(serverEnv({ PARLEY_GATEWAY_ID: 'load-gw-a' }));
    secondGateway = await startParleyServer(serverEnv({ PARLEY_GATEWAY_ID: 'load-gw-b', PARLEY_ROLES: 'gateway' }), { infrastructure: server.infrastructure });
    const urls = [`ws://127.0.0.1:${server.port}/ws`, `ws://127.0.0.1:${secondGateway.port}/ws`];
    const options = parseLoadArgs(['--url', urls.join(','), '--connections', '300', '--rate', '600', '--duration', '3', '--long-poll', '0.25', '--workers', '2', '--quiet']);
    const peak = [0, 0];
    const result = await runLoad(options, {
      onProgress: () => [server!, secondGateway!].forEach((s, i) => (peak[i] = Math.max(peak[i]!, s.gateway!.connectionCount))),
    });
    expect(result.setup.gateways).toEqual(urls);
    expect(peak).toEqual([150, 150]);
    expect(result.connect.connected).toBe(300);
    expectLongPollCarried(result);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
    expect(result.verdict.detail.expectedDeliveries).toBe(result.throughput.sent);
    expect(result.passed).toBe(true);
  });

  it('resends go-back-N in client_seq order after rate-limit refusals: nothing lost, twice or out of order, every ack:N', async () => {
    // 10 frames/s per connection (burst 20) against 30 msgs/s per sender plus its acks: the
    // gateway refuses msg:R (RATE_LIMITED, then OUT_OF_ORDER behind it) and the senders'
    // queues must get every message through, in order, once.
    server = await startParleyServer(serverEnv({ PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '10' }));
    const options = parseLoadArgs([
      '--url', `ws://127.0.0.1:${server.port}/ws`, '--connections', '20', '--rate', '600', '--duration', '3', '--retransmit-ms', '500', '--drain-ms', '90000', '--workers', '1', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.errors.RATE_LIMITED).toBeGreaterThan(0);
    expect(result.retransmits).toBeGreaterThan(0);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0, missingAckN: 0, sharedPositions: 0, clientSeqReused: 0 });
    expect(result.verdict.detail.expectedDeliveries).toBe(result.throughput.sent);
    expect(result.passed).toBe(true);
  });

  it('sends a group burst past the frame-rate limit: refused frames are resent in order, and every member gets every message once, in order', async () => {
    // 20 frames/s per connection (a 40-frame bucket) and 150 messages at once from each of two
    // senders: the burst runs into RATE_LIMITED, and the receivers read most msg:N from their bytes.
    server = await startParleyServer(serverEnv({ PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '20' }));
    const options = parseLoadArgs([
      '--url', `ws://127.0.0.1:${server.port}/ws`, '--connections', '60', '--scenario', 'groups', '--group-size', '30', '--group-senders', '1',
      '--burst', '300', '--retransmit-ms', '500', '--drain-ms', '90000', '--workers', '2', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.throughput.sent).toBe(300);
    expect(result.errors.RATE_LIMITED).toBeGreaterThan(0);
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0, reordered: 0, missingAckN: 0, sharedPositions: 0, clientSeqReused: 0 });
    expect(result.verdict.detail.expectedDeliveries).toBe(300 * 29);
    expect(result.passed).toBe(true);
  });

  it('fails the verdict when the server never delivers (no delivery role)', async () => {
    server = await startParleyServer(serverEnv({ PARLEY_ROLES: 'gateway,sequencer' }));
    const options = parseLoadArgs([
      '--url', `ws://127.0.0.1:${server.port}/ws`, '--connections', '20', '--rate', '20', '--duration', '1', '--drain-ms', '1000', '--workers', '1', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.throughput.sent).toBeGreaterThan(0);
    expect(result.verdict.lost).toBe(result.throughput.sent);
    expect(result.verdict.missingAckN).toBe(result.throughput.sent);
    expect(result.passed).toBe(false);
  });
});
