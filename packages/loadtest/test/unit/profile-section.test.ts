// The bench's profile section: collapsed stacks of a window, a process's profile found by pid,
// and the report it writes.
import { CpuProfile, foldedStacks, profileSeconds, summarise } from '../../src/bench/cpuprofile-summary';
import { profileFileOf, profileLines } from '../../src/bench/profile-section';

const frame = (functionName: string, url = 'file:///x/node_modules/kafkajs/src/a.js') => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

// root → handle → encode (3 samples), root → handle (1), root → (idle) (4), root → gc (2); 1 ms each.
const profile: CpuProfile = {
  startTime: 0,
  endTime: 10_000,
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 4, 5] },
    { id: 2, callFrame: frame('handle', 'file:///r/services/delivery/dist/h.js'), children: [3] },
    { id: 3, callFrame: frame('encode;x') },
    { id: 4, callFrame: frame('(idle)', '') },
    { id: 5, callFrame: frame('(garbage collector)', '') },
  ],
  samples: [3, 3, 3, 2, 4, 4, 4, 4, 5, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('foldedStacks', () => {
  it('gives one line per stack, root left out, idle left out, heaviest first, in ms', () => {
    expect(foldedStacks(profile)).toEqual([
      'handle services/delivery/dist/h.js:1;encode,x kafkajs/src/a.js:1 3',
      '(garbage collector) 2',
      'handle services/delivery/dist/h.js:1 1',
    ]);
  });

  it('keeps only the window, and puts the stacks under the threshold on one line', () => {
    // Samples ending after 3 ms: handle (1 sample), idle, gc (2).
    expect(foldedStacks(profile, { fromSec: 0.0031 })).toEqual(['(garbage collector) 2', 'handle services/delivery/dist/h.js:1 1']);
    expect(foldedStacks(profile, {}, 40)).toEqual([
      'handle services/delivery/dist/h.js:1;encode,x kafkajs/src/a.js:1 3',
      '(stacks under 40 % each) 3',
    ]);
  });

  it('adds up to the summary\'s busy time', () => {
    const total = foldedStacks(profile, {}, 0).reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    expect(total).toBe(summarise(profile).busyMs);
    expect(profileSeconds(profile)).toBeCloseTo(0.01, 9);
  });
});

describe('profile section', () => {
  it('finds a process\'s profile by the pid in Node\'s file name', () => {
    const files = ['CPU.20261207.071500.4242.0.001.cpuprofile', 'CPU.20261207.071500.42.0.001.cpuprofile', 'notes.txt'];
    expect(profileFileOf(files, 42)).toBe('CPU.20261207.071500.42.0.001.cpuprofile');
    expect(profileFileOf(files, 4242)).toBe('CPU.20261207.071500.4242.0.001.cpuprofile');
    expect(profileFileOf(files, 7)).toBeUndefined();
  });

  it('reports each process with its packages, top frames and flame file, and names those without a profile', () => {
    const lines = profileLines(
      [{ target: 'embedded', process: 'parley (all-in-one)', summary: summarise(profile), flameFile: 'x-flame/embedded-parley-all-in-one.folded' }],
      [],
      ['Kafka + Redis, three service processes: delivery'],
      '1.00 1.00 1.00',
    ).join('\n');
    expect(lines).toContain('### embedded, one process: parley (all-in-one)');
    expect(lines).toContain('[x-flame/embedded-parley-all-in-one.folded](x-flame/embedded-parley-all-in-one.folded)');
    expect(lines).toMatch(/\| `kafkajs` +\| +50\.0 \|/);
    expect(lines).toMatch(/`encode;x kafkajs\/src\/a\.js:1` +\| +50\.0 \|/);
    expect(lines).toContain('No profile was written for: Kafka + Redis, three service processes: delivery.');
  });
});
