import { OfflineSync } from '../../src/offline-sync';
import { FakeClock } from '../support/fake-clock';

describe('offline pull paging', () => {
  let clock: FakeClock;
  let requests: Array<[number, string]>;
  let sync: OfflineSync;

  beforeEach(() => {
    clock = new FakeClock();
    requests = [];
    sync = new OfflineSync(clock, { retryTimeoutMs: 3_000, maxRetryTimeoutMs: 30_000 }, (limit, cursor) => requests.push([limit, cursor]));
  });

  it('asks page after page while has_more, then stops', () => {
    sync.start(2);
    expect(requests).toEqual([[2, '']]);
    expect(sync.answered(true, 'c1')).toBe('more');
    expect(sync.answered(true, 'c2')).toBe('more');
    expect(sync.answered(false, '')).toBe('done');
    expect(requests).toEqual([
      [2, ''],
      [2, 'c1'],
      [2, 'c2'],
    ]);
    expect(sync.inProgress).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('asks again with the same cursor when an answer does not come (doubling wait)', () => {
    sync.start(5);
    sync.answered(true, 'c1');
    clock.advance(3_000);
    clock.advance(6_000);
    expect(requests).toEqual([
      [5, ''],
      [5, 'c1'],
      [5, 'c1'],
      [5, 'c1'],
    ]);
  });

  it('recognises a late copy of the previous page and does not advance on it', () => {
    sync.start(5);
    clock.advance(3_000); // offline:R '' sent twice
    expect(sync.answered(true, 'c1')).toBe('more');
    expect(sync.answered(true, 'c1')).toBe('stale'); // the second answer to ''
    expect(requests.filter(([, cursor]) => cursor === 'c1')).toHaveLength(1);
    expect(sync.answered(false, '')).toBe('done');
    expect(sync.answered(false, '')).toBe('stale');
  });

  it('treats has_more without a cursor as the end rather than looping', () => {
    sync.start(5);
    expect(sync.answered(true, '')).toBe('done');
  });
});
