// The gateway's drain schedule on a fake clock: nothing closes during the delay (readiness
// already fails), then the connections close in even slices over the window, the last one
// at its end; a second signal closes the rest at once.
import { FakeClock } from '@parley/ports';
import { ConnectionDrain, DRAIN_SLICE_MS, drainSliceSize } from '../../src/connection-drain';

class Link {
  constructor(readonly id: number) {}
}

function drainOf(count: number, delayMs: number, windowMs: number, closeLater = false) {
  const clock = new FakeClock(0);
  let open = Array.from({ length: count }, (_, i) => new Link(i));
  const closedAt: number[] = [];
  const pendingCloses: Link[] = [];
  let admitting = true;
  const drain = new ConnectionDrain<Link>({
    clock,
    timing: { delayMs, windowMs },
    open: () => open,
    stopAdmitting: () => {
      admitting = false;
    },
    close: (link) => {
      closedAt.push(clock.now());
      if (closeLater) pendingCloses.push(link);
      else open = open.filter((l) => l !== link);
    },
  });
  let done = false;
  void drain.start().then(() => (done = true));
  return {
    clock,
    drain,
    closedAt,
    isDone: async () => {
      await Promise.resolve();
      return done;
    },
    admitting: () => admitting,
    open: () => open,
    /** The transport reports the closes asked for so far. */
    reportCloses: () => {
      const gone = new Set(pendingCloses.splice(0));
      open = open.filter((l) => !gone.has(l));
    },
  };
}

describe('drainSliceSize', () => {
  it('spreads what remains over the slices left, the last slice taking the rest', () => {
    expect(drainSliceSize(1000, 10_000)).toBe(10); // 101 slices left, ceil(1000/101)
    expect(drainSliceSize(5, 10_000)).toBe(1);
    expect(drainSliceSize(7, 0)).toBe(7);
    expect(drainSliceSize(7, -50)).toBe(7);
    expect(drainSliceSize(0, 1000)).toBe(0);
  });
});

describe('ConnectionDrain', () => {
  it('closes nothing and keeps admitting during the delay', async () => {
    const d = drainOf(100, 5_000, 10_000);
    d.clock.advance(4_999);
    expect(d.closedAt).toEqual([]);
    expect(d.admitting()).toBe(true);
    d.clock.advance(1);
    expect(d.admitting()).toBe(false);
    expect(d.closedAt.length).toBeGreaterThan(0);
  });

  it('closes the connections in even slices over the window and is done at its end', async () => {
    const d = drainOf(1_000, 5_000, 10_000);
    d.clock.advance(5_000);
    const perSecond: number[] = [];
    for (let second = 0; second < 10; second++) {
      const before = d.closedAt.length;
      d.clock.advance(1_000);
      perSecond.push(d.closedAt.length - before);
    }
    // 1000 connections over 10 s: about 100 a second, never a burst.
    for (const n of perSecond) {
      expect(n).toBeGreaterThanOrEqual(90);
      expect(n).toBeLessThanOrEqual(110);
    }
    expect(d.closedAt.length).toBe(1_000);
    expect(Math.max(...d.closedAt)).toBeLessThanOrEqual(15_000);
    expect(d.open()).toEqual([]);
    expect(await d.isDone()).toBe(true);
    // Slices are DRAIN_SLICE_MS apart: no more than one slice's worth at any instant.
    const atOnce = new Map<number, number>();
    for (const at of d.closedAt) atOnce.set(at, (atOnce.get(at) ?? 0) + 1);
    expect(Math.max(...atOnce.values())).toBeLessThanOrEqual(Math.ceil(1_000 / (10_000 / DRAIN_SLICE_MS)));
  });

  it('with no window closes everything right after the delay', async () => {
    const d = drainOf(50, 1_000, 0);
    d.clock.advance(1_000);
    expect(d.closedAt).toEqual(new Array(50).fill(1_000));
    expect(await d.isDone()).toBe(true);
  });

  it('is done at the first slice when nothing is connected', async () => {
    const d = drainOf(0, 0, 10_000);
    d.clock.advance(0);
    expect(await d.isDone()).toBe(true);
    expect(d.clock.pendingTimers()).toBe(0);
  });

  it('asks each connection to close once, even when the transport reports the close later', async () => {
    const d = drainOf(20, 0, 1_000, true);
    d.clock.advance(1_000);
    expect(d.closedAt.length).toBe(20);
    expect(d.open().length).toBe(20); // none reported yet: none asked twice
    d.reportCloses();
    expect(d.open()).toEqual([]);
  });

  it('closes the rest at once when told to stop now (second signal)', async () => {
    const d = drainOf(300, 5_000, 10_000);
    d.clock.advance(6_000); // one second into the window
    const closedBefore = d.closedAt.length;
    expect(closedBefore).toBeLessThan(300);
    d.drain.now();
    expect(d.closedAt.length).toBe(300);
    expect(await d.isDone()).toBe(true);
    expect(d.clock.pendingTimers()).toBe(0);
  });

  it('stopping now during the delay stops admitting and closes everything', async () => {
    const d = drainOf(10, 5_000, 10_000);
    d.clock.advance(100);
    d.drain.now();
    expect(d.admitting()).toBe(false);
    expect(d.closedAt.length).toBe(10);
    expect(await d.isDone()).toBe(true);
  });
});
