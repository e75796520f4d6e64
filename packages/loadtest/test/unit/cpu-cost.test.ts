// CPU per message: /proc/<pid>/stat parsing, the idle-subtracted marginal cost, the table, and
// the CPU profile summary.
import { closeSync, openSync, writeSync } from 'node:fs';
import { marginalMicros, marginalPerMessage } from '../../src/bench/cpu-cost';
import { cpuCostTable } from '../../src/bench/cpu-cost-table';
import { CpuProfile, summarise } from '../../src/bench/cpuprofile-summary';
import { cpuPercentBetween, cpuSecondsOf, parseCpuSeconds, parseWriteCalls, writeCallsOf } from '../../src/bench/proc-cpu';

describe('proc-cpu', () => {
  it('reads utime + stime in seconds, even when the command name holds spaces and parentheses', () => {
    const stat = '4242 (node (my) app) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 11 0 1000 1000000 100';
    expect(parseCpuSeconds(stat)).toBeCloseTo(3.25, 6);
  });

  it('reads this process and nothing for a process that is gone', () => {
    expect(cpuSecondsOf(process.pid)).toBeGreaterThanOrEqual(0);
    expect(cpuSecondsOf(2 ** 22 + 7)).toBeUndefined();
  });

  it('turns two samples into percent of a core', () => {
    expect(cpuPercentBetween({ atUs: 0, cpu: { a: 1, b: 2 }, writes: {} }, { atUs: 2_000_000, cpu: { a: 1.5, b: 4 }, writes: {} })).toEqual({ a: 25, b: 100 });
  });

  it('reads the write system calls of /proc/<pid>/io, and counts this process writing', () => {
    expect(parseWriteCalls('rchar: 10\nwchar: 20\nsyscr: 3\nsyscw: 41\nread_bytes: 0\n')).toBe(41);
    expect(parseWriteCalls('rchar: 10\n')).toBeUndefined();
    const before = writeCallsOf(process.pid)!;
    const devNull = openSync('/dev/null', 'w');
    for (let i = 0; i < 5; i++) writeSync(devNull, 'x');
    closeSync(devNull);
    expect(writeCallsOf(process.pid)! - before).toBeGreaterThanOrEqual(5);
    expect(writeCallsOf(2 ** 22 + 7)).toBeUndefined();
  });
});

describe('marginal cost', () => {
  it('subtracts the idle CPU over the window before dividing by the messages', () => {
    // 10 s window, 3 CPU s used, idle 10 % of a core = 1 s: 2 s over 10,000 messages = 200 µs.
    expect(marginalMicros({ gateway: 3 }, { gateway: 10 }, 10, 10_000)).toEqual({ gateway: 200 });
    expect(marginalMicros({ gateway: 3 }, {}, 10, 0).gateway).toBeNaN();
  });

  it('counts per message what the window added over the idle rate', () => {
    // 300 idle writes in 15 s = 20/s; 10 s window with 5,200 writes: 5,000 over 1,000 messages.
    expect(marginalPerMessage({ gateway: 5_200 }, { gateway: 300 }, 15, 10, 1_000)).toEqual({ gateway: 5 });
    expect(marginalPerMessage({ gateway: 5_200 }, { gateway: 300 }, 15, 10, 0).gateway).toBeNaN();
  });
});

describe('cpuCostTable', () => {
  it('has a row per process, the services summed, and the target', () => {
    const lines = cpuCostTable({
      target: 'distributed',
      connections: 2000,
      processes: ['gateway', 'sequencer', 'delivery', 'redis-server'],
      parleyProcesses: ['gateway', 'sequencer', 'delivery'],
      command: 'npm run load -- ...',
      runs: [
        {
          rate: 1000,
          loadAverage: '1.00 1.00 1.00',
          idlePercent: { gateway: 1, sequencer: 2, delivery: 3, 'redis-server': 0.5 },
          idleSec: 15,
          loadPercent: { gateway: 10, sequencer: 20, delivery: 30, 'redis-server': 5 },
          windowSec: 15,
          messages: 15_000,
          marginalMicros: { gateway: 90, sequencer: 180, delivery: 270, 'redis-server': 45 },
          writesPerMessage: { gateway: 4, sequencer: 2.5, delivery: 3, 'redis-server': 1 },
          redisCommandsPerMessage: [{ command: 'evalsha', perMessage: 3.5 }],
          sentPerSec: 1000,
          latencyMs: { msgNp50: 1, msgNp99: 2, ackNp50: 3, ackNp99: 4 },
          verdict: 'lost 0, dup 0, reordered 0',
          passed: true,
          testerMicros: 5,
        },
      ],
    });
    expect(lines).toContain('| gateway | 1.0 | 10.0 | 90 | 4.0 |');
    expect(lines).toContain('| **parley services together** (gateway + sequencer + delivery) | **6.0** | 60.0 | **540** | 9.5 |');
    expect(lines).toContain('| target (parley) | ≤ 5 |  | ≤ 150 |  |');
    expect(lines.find((l) => l.startsWith('- 1,000/s'))).toContain('Redis commands per message (INFO commandstats, idle rate subtracted; commands inside scripts counted as well): evalsha 3.50.');
  });
});

describe('cpuprofile summary', () => {
  it('adds self time per frame and total time once per sample, recursion included', () => {
    const frame = (functionName: string, url = 'file:///x/node_modules/kafkajs/src/a.js') => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
    const profile: CpuProfile = {
      startTime: 0,
      endTime: 10_000,
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
        { id: 2, callFrame: frame('outer'), children: [3] },
        { id: 3, callFrame: frame('outer'), children: [4] },
        { id: 4, callFrame: frame('leaf', 'file:///r/packages/redis/dist/x.js') },
        { id: 5, callFrame: frame('(idle)', '') },
      ],
      // 3 samples in the recursive leaf, 1 in the inner outer, 4 idle; 1 ms each.
      samples: [4, 4, 4, 3, 5, 5, 5, 5],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    const s = summarise(profile);
    expect(s.busyMs).toBe(4);
    expect(s.self[0]).toMatchObject({ frame: 'leaf packages/redis/dist/x.js:1', ms: 3, percent: 75 });
    expect(s.total.find((f) => f.frame.startsWith('outer'))).toMatchObject({ ms: 4, percent: 100 });
    expect(s.packages).toEqual([
      { frame: 'parley package redis', ms: 3, percent: 75 },
      { frame: 'kafkajs', ms: 1, percent: 25 },
    ]);
    // Only the samples from 4 ms on: the inner outer and the idle ones.
    const later = summarise(profile, 15, { fromSec: 0.004 });
    expect(later.busyMs).toBe(1);
    expect(later.self).toEqual([{ frame: 'outer kafkajs/src/a.js:1', ms: 1, percent: 100 }]);
  });
});
