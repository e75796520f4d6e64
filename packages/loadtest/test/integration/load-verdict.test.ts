// A small real load run against parley started in this process (embedded mode): the load
// tester's worker processes connect a few hundred users, send for a few seconds, and the
// verdict must be clean. A server that never delivers must fail the same verdict.
import { startParleyServer, ParleyServer } from '@parley/server';
import { parseLoadArgs } from '../../src/options';
import { runLoad } from '../../src/run-load';

const serverEnv = (extra: Record<string, string> = {}) => ({
  PARLEY_GATEWAY_PORT: '0',
  PARLEY_GATEWAY_HOST: '127.0.0.1',
  PARLEY_LOG_LEVEL: 'warn',
  PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '10000',
  ...extra,
});

describe('load run against embedded parley', () => {
  let server: ParleyServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

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
      '--storm-percent', '30', '--storm-every', '1', '--workers', '2', '--quiet',
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

  it('fails the verdict when the server never delivers (no delivery role)', async () => {
    server = await startParleyServer(serverEnv({ PARLEY_ROLES: 'gateway,sequencer' }));
    const options = parseLoadArgs([
      '--url', `ws://127.0.0.1:${server.port}/ws`, '--connections', '20', '--rate', '20', '--duration', '1', '--drain-ms', '1000', '--workers', '1', '--quiet',
    ]);
    const result = await runLoad(options);
    expect(result.throughput.sent).toBeGreaterThan(0);
    expect(result.verdict.lost).toBe(result.throughput.sent);
    expect(result.passed).toBe(false);
  });
});
