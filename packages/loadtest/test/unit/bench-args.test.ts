// `node bench/run-bench.js --only idle` runs one section; a partial run never stands for the latest full one.
import { BenchArgsError, parseBenchArgs } from '../../src/bench/bench-args';

describe('parseBenchArgs', () => {
  it('runs every section by default, as a full run', () => {
    const args = parseBenchArgs([]);
    expect([...args.sections]).toEqual(['idle', 'fanout', 'latency', 'cpu', 'profile', 'steps']);
    expect(args.full).toBe(true);
  });

  it('selects sections with --only, comma-separated or repeated', () => {
    expect([...parseBenchArgs(['--only', 'idle']).sections]).toEqual(['idle']);
    expect(parseBenchArgs(['--only', 'idle']).full).toBe(false);
    expect([...parseBenchArgs(['--only=fanout,latency']).sections]).toEqual(['fanout', 'latency']);
    expect(parseBenchArgs(['--only', 'idle', '--only', 'fanout,latency']).full).toBe(false);
    expect(parseBenchArgs(['--only', 'idle,fanout', '--only', 'latency,cpu,profile,steps']).full).toBe(true);
    expect([...parseBenchArgs(['--only', 'steps']).sections]).toEqual(['steps']);
  });

  it('refuses unknown sections and arguments', () => {
    expect(() => parseBenchArgs(['--only', 'memory'])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['--only'])).toThrow(/comma-separated/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument --fast/);
  });

  it('asks for the usage with --help', () => {
    expect(parseBenchArgs(['--help']).help).toBe(true);
  });
});
