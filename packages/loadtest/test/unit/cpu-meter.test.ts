import { CpuMeter, type CpuCounters } from '../../src/cpu-meter';

describe('CpuMeter', () => {
  function meter(): { cpu: CpuMeter; advance: (us: number, cpuUs: number) => void } {
    let nowUs = 1_000_000;
    let used: CpuCounters = { user: 0, system: 0 };
    const cpu = new CpuMeter(
      () => nowUs,
      () => used,
    );
    return {
      cpu,
      advance: (us, cpuUs) => {
        nowUs += us;
        used = { user: used.user + cpuUs / 2, system: used.system + cpuUs / 2 };
      },
    };
  }

  it('reports user + system CPU over the window as a percentage of one core, and the highest', () => {
    const { cpu, advance } = meter();
    advance(1_000_000, 250_000);
    cpu.sample();
    expect(cpu.percent).toBe(25);
    advance(500_000, 400_000);
    cpu.sample();
    expect(cpu.percent).toBe(80);
    advance(1_000_000, 100_000);
    cpu.sample();
    expect(cpu.percent).toBe(10);
    expect(cpu.max).toBe(80);
  });

  it('keeps the last figure for a reading too soon after the previous one, and counts that CPU in the next window', () => {
    const { cpu, advance } = meter();
    advance(1_000_000, 500_000);
    cpu.sample();
    advance(100_000, 100_000);
    cpu.sample();
    expect(cpu.percent).toBe(50);
    advance(300_000, 100_000);
    cpu.sample();
    expect(cpu.percent).toBe(50); // 200 ms of CPU over 400 ms
  });

  it('reads 0 before the first window', () => {
    const { cpu } = meter();
    cpu.sample();
    expect(cpu.percent).toBe(0);
    expect(cpu.max).toBe(0);
  });
});
