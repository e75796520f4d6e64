// Flags: defaults, validation, loopback-only targets, the gateway list and the long-poll share.
import { LoadOptionsError, parseLoadArgs } from '../../src/options';
import { parseFdLimits } from '../../src/fd-limit';
import { makePayload, sentAtOf } from '../../src/payload';

describe('parseLoadArgs', () => {
  it('reads the flags of the done-means command', () => {
    const o = parseLoadArgs(['--connections', '20000', '--scenario', 'pairs', '--rate', '2000', '--duration', '60']);
    expect(o).toMatchObject({ connections: 20000, scenario: 'pairs', ratePerSec: 2000, durationSec: 60, payloadBytes: 64 });
    expect(o.workers).toBeGreaterThanOrEqual(2);
  });

  it('takes a share of long-poll connections and a comma-separated list of gateways', () => {
    expect(parseLoadArgs([])).toMatchObject({ urls: ['ws://127.0.0.1:8080/ws'], longPollShare: 0 });
    const o = parseLoadArgs(['--url', 'ws://127.0.0.1:8281/ws, ws://localhost:8282/ws', '--long-poll', '0.25']);
    expect(o.urls).toEqual(['ws://127.0.0.1:8281/ws', 'ws://localhost:8282/ws']);
    expect(o.longPollShare).toBe(0.25);
    expect(parseLoadArgs(['--long-poll', '1']).longPollShare).toBe(1);
    // Two sockets per long-poll connection: 45,000 sockets need at least 3 workers.
    expect(parseLoadArgs(['--connections', '30000', '--long-poll', '0.5']).workers).toBeGreaterThanOrEqual(3);
  });

  it('takes a burst instead of a rate and a duration, never both', () => {
    expect(parseLoadArgs(['--scenario', 'groups', '--burst', '2000'])).toMatchObject({ burst: 2000, ratePerSec: 0, durationSec: 0 });
    expect(parseLoadArgs([]).burst).toBe(0);
    expect(() => parseLoadArgs(['--burst', '2000', '--rate', '10'])).toThrow(/--burst: replaces --rate and --duration/);
    expect(() => parseLoadArgs(['--burst', '2000', '--duration', '10'])).toThrow(/--burst/);
    expect(() => parseLoadArgs(['--scenario', 'idle', '--burst', '10'])).toThrow(/--burst: needs a sending scenario/);
    expect(() => parseLoadArgs(['--burst', '10', '--storm-percent', '5'])).toThrow(/--burst: storms/);
  });

  it('takes a drain window and an extension while messages still arrive', () => {
    expect(parseLoadArgs([])).toMatchObject({ drainMs: 15_000, drainExtendMs: 0 });
    expect(parseLoadArgs(['--drain-ms', '5000', '--drain-extend-ms', '600000'])).toMatchObject({ drainMs: 5000, drainExtendMs: 600_000 });
    expect(() => parseLoadArgs(['--drain-extend-ms', '-1'])).toThrow(LoadOptionsError);
  });

  it('takes a directory for the workers\' CPU profiles', () => {
    expect(parseLoadArgs(['--cpu-prof', '/tmp/p']).cpuProfDir).toBe('/tmp/p');
    expect(parseLoadArgs([]).cpuProfDir).toBeUndefined();
  });

  it('takes wss:// gateways and a CA file to trust', () => {
    const o = parseLoadArgs(['--url', 'wss://127.0.0.1:8443/ws', '--ca', __filename]);
    expect(o.urls).toEqual(['wss://127.0.0.1:8443/ws']);
    expect(o.caFile).toBe(__filename);
    expect(parseLoadArgs([]).caFile).toBeUndefined();
  });

  it.each([
    [['--url', 'ws://10.0.0.1:8080/ws'], /loopback only/],
    [['--scenario', 'storm'], /scenario/],
    [['--connections', '3'], /even/],
    [['--long-poll', '1.5'], /--long-poll: expected a number in 0..1/],
    [['--long-poll', '-0.1'], /--long-poll/],
    [['--url', 'ws://127.0.0.1:8080/ws,ws://10.0.0.1:8080/ws'], /loopback only, got 10.0.0.1/],
    [['--url', 'ws://127.0.0.1:8080/ws,'], /empty entry/],
    [['--url', 'ws://127.0.0.1:8080/ws,ws://127.0.0.1:8080/ws'], /listed twice/],
    [['--url', 'ws://127.0.0.1:8080/ws,http://127.0.0.1:8081/ws'], /expected ws:\/\/ or wss:\/\//],
    [['--url', 'wss://127.0.0.1:8443/ws', '--ca', '/nonexistent/ca.pem'], /--ca: no such file/],
    [['--payload', '4'], /payload/],
    [['--bogus'], /Unknown option/],
    [['--connections', '40000', '--workers', '2'], /at least 3/],
    [['--connections', '20000', '--long-poll', '0.5', '--workers', '1'], /more than 15000 sockets each; use at least 2/],
  ])('refuses %j', (args, message) => {
    expect(() => parseLoadArgs(args as string[])).toThrow(LoadOptionsError);
    expect(() => parseLoadArgs(args as string[])).toThrow(message);
  });
});

describe('parseFdLimits', () => {
  it('reads the soft and hard open-file limits from /proc/<pid>/limits', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 20000                files\n';
    expect(parseFdLimits(text)).toEqual({ soft: 1024, hard: 20000 });
    expect(parseFdLimits('Max open files            unlimited            unlimited            files')).toEqual({ soft: Infinity, hard: Infinity });
  });
});

describe('payload', () => {
  it('carries the send time in its first 8 bytes at any size', () => {
    const p = makePayload(64, 123456.5);
    expect(p.byteLength).toBe(64);
    expect(sentAtOf(p)).toBe(123456.5);
    expect(sentAtOf(new Uint8Array(4))).toBeUndefined();
  });
});
