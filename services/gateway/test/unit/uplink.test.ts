import { FakeClock, UnavailableError, type Bus, type BusRecord } from '@parley/ports';
import { Uplink } from '../../src/uplink';

const record = (key: string): BusRecord => ({ key, value: new Uint8Array([1]) });
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('Uplink', () => {
  it('publishes in batches in arrival order, one publish in flight per topic', async () => {
    const published: string[][] = [];
    const bus = { publish: async (_topic: string, records: readonly BusRecord[]) => void published.push(records.map((r) => r.key)) } as unknown as Bus;
    const uplink = new Uplink(bus, 2);
    for (const key of ['a', 'b', 'c']) uplink.publish('t', { record: record(key), onFailure: () => undefined });
    await settle();
    expect(published).toEqual([['a', 'b'], ['c']]);
  });

  it('fails what was queued behind a failed batch too, so nothing published overtakes the failed records', async () => {
    const published: string[] = [];
    const failed: string[] = [];
    let calls = 0;
    let release: () => void = () => undefined;
    const bus = {
      publish: (_topic: string, records: readonly BusRecord[]) => {
        calls += 1;
        if (calls === 1) return new Promise<void>((_, reject) => (release = () => reject(new Error('broker down'))));
        published.push(...records.map((r) => r.key));
        return Promise.resolve();
      },
    } as unknown as Bus;
    const uplink = new Uplink(bus, 1);
    for (const key of ['a', 'b', 'c']) uplink.publish('t', { record: record(key), onFailure: () => failed.push(key) });
    await settle();
    release(); // 'a' fails while 'b' and 'c' wait behind it
    await settle();
    expect(failed).toEqual(['a', 'b', 'c']);
    expect(published).toEqual([]);
    uplink.publish('t', { record: record('a'), onFailure: () => failed.push('a again') });
    await settle();
    expect(published).toEqual(['a']);
  });

  it('flushed() settles only once every record handed before it is on the bus', async () => {
    const published: string[] = [];
    const releases: Array<() => void> = [];
    const bus = {
      publish: (_topic: string, records: readonly BusRecord[]) =>
        new Promise<void>((resolve) =>
          releases.push(() => {
            published.push(...records.map((r) => r.key));
            resolve();
          }),
        ),
    } as unknown as Bus;
    const uplink = new Uplink(bus, 1);
    await uplink.flushed(); // nothing handed: settles at once
    for (const key of ['a', 'b']) uplink.publish('t', { record: record(key), onFailure: () => undefined });
    uplink.publish('u', { record: record('c'), onFailure: () => undefined });
    let flushed = false;
    void uplink.flushed().then(() => (flushed = true));
    for (let round = 0; round < 2; round++) {
      await settle();
      expect(flushed).toBe(false);
      for (const release of releases.splice(0)) release();
    }
    await settle();
    expect(flushed).toBe(true);
    expect(published.sort()).toEqual(['a', 'b', 'c']);
  });

  describe('while the bus is unavailable (a broker restarting)', () => {
    const hold = (clock: FakeClock) => ({ clock, holdMs: 20_000, retryDelayMs: 250, maxWaitingRecords: 3 });
    /** A bus that refuses as unavailable until `up` is set, or with `error` when given. */
    const flakyBus = (state: { up: boolean; error?: Error }, published: string[]) =>
      ({
        publish: async (_topic: string, records: readonly BusRecord[]) => {
          if (state.error) throw state.error;
          if (!state.up) throw new UnavailableError('broker unavailable');
          published.push(...records.map((r) => r.key));
        },
      }) as unknown as Bus;

    it('holds the failed batch and what came behind it, and publishes them in order once the bus answers', async () => {
      const clock = new FakeClock();
      const state = { up: false };
      const published: string[] = [];
      const failed: string[] = [];
      const uplink = new Uplink(flakyBus(state, published), 1, hold(clock));
      for (const key of ['a', 'b']) uplink.publish('t', { record: record(key), onFailure: () => failed.push(key) });
      await settle();
      for (let i = 0; i < 20; i++) {
        clock.advance(250); // 5 s of attempts
        await settle();
      }
      uplink.publish('t', { record: record('c'), onFailure: () => failed.push('c') });
      state.up = true;
      clock.advance(250);
      await settle();
      expect(failed).toEqual([]);
      expect(published).toEqual(['a', 'b', 'c']);
    });

    it('refuses everything once the hold is over, and at once for a failure that is not the bus being unavailable', async () => {
      const clock = new FakeClock();
      const state: { up: boolean; error?: Error } = { up: false };
      const published: string[] = [];
      const failed: string[] = [];
      const uplink = new Uplink(flakyBus(state, published), 1, hold(clock));
      for (const key of ['a', 'b']) uplink.publish('t', { record: record(key), onFailure: () => failed.push(key) });
      await settle();
      for (let i = 0; i < 80; i++) {
        clock.advance(250); // 20 s
        await settle();
      }
      expect(failed).toEqual(['a', 'b']);
      expect(published).toEqual([]);

      state.error = new Error('record too large');
      uplink.publish('t', { record: record('c'), onFailure: () => failed.push('c') });
      await settle();
      expect(failed).toEqual(['a', 'b', 'c']);
    });

    it('refuses at once when too many records wait behind the held batch', async () => {
      const clock = new FakeClock();
      const published: string[] = [];
      const failed: string[] = [];
      const uplink = new Uplink(flakyBus({ up: false }, published), 1, hold(clock));
      for (const key of ['a', 'b', 'c', 'd', 'e']) uplink.publish('t', { record: record(key), onFailure: () => failed.push(key) });
      await settle();
      expect(failed).toEqual(['a', 'b', 'c', 'd', 'e']); // 4 waiting behind 'a', over the bound of 3
    });
  });
});
