// Reconnect storms: when they strike, whom they cut, how long a cut client waits.
import { pickStormVictims, reconnectDelayMs, RECONNECT_MAX_MS, stormOffsetsMs } from '../../src/storm';
import { parseLoadArgs } from '../../src/options';

describe('stormOffsetsMs', () => {
  it('strikes once at mid-run when no period is given', () => {
    expect(stormOffsetsMs(10, 0)).toEqual([5000]);
  });
  it('strikes every period strictly inside the sending window', () => {
    expect(stormOffsetsMs(10, 3)).toEqual([3000, 6000, 9000]);
    expect(stormOffsetsMs(4, 1)).toEqual([1000, 2000, 3000]);
    expect(stormOffsetsMs(0, 1)).toEqual([]);
  });
});

describe('pickStormVictims', () => {
  it('cuts round(percent) of the connections up, each at most once', () => {
    const up = Array.from({ length: 200 }, (_, i) => i * 2);
    let state = 1;
    const random = (): number => ((state = (state * 48271) % 2147483647) / 2147483647);
    const victims = pickStormVictims(up, 30, random);
    expect(victims).toHaveLength(60);
    expect(new Set(victims).size).toBe(60);
    for (const v of victims) expect(up).toContain(v);
    expect(pickStormVictims([1, 2, 3], 0)).toEqual([]);
    expect(pickStormVictims([1, 2, 3], 100).sort()).toEqual([1, 2, 3]);
  });
});

describe('reconnectDelayMs', () => {
  it('is full jitter over an exponential cap', () => {
    expect(reconnectDelayMs(0, () => 0.999)).toBeLessThanOrEqual(500);
    expect(reconnectDelayMs(3, () => 0.5)).toBe(2000);
    expect(reconnectDelayMs(20, () => 0.999)).toBeLessThan(RECONNECT_MAX_MS);
    expect(reconnectDelayMs(5, () => 0)).toBe(0);
  });
});

describe('storm flags', () => {
  it('reads --storm-percent and --storm-every', () => {
    expect(parseLoadArgs(['--storm-percent', '30', '--storm-every', '5'])).toMatchObject({ stormPercent: 30, stormEverySec: 5 });
    expect(parseLoadArgs([])).toMatchObject({ stormPercent: 0, stormEverySec: 0 });
  });
  it.each([
    [['--storm-percent', '101'], /storm-percent/],
    [['--storm-percent', '30', '--scenario', 'idle'], /sending scenario/],
    [['--storm-every', '5'], /set --storm-percent/],
  ])('refuses %j', (args, message) => {
    expect(() => parseLoadArgs(args as string[])).toThrow(message);
  });
});
