import type { ClientStore } from '../../src/client-store';
import { LocalStorageClientStore, type WebStorageApi } from '../../src/client-store.local-storage';
import { MemoryClientStore } from '../../src/client-store.memory';
import { TabLeasedStore, type TabLeaseOptions } from '../../src/client-store.tab-lease';
import { DeviceState } from '../../src/device-state';
import { asConversationId, asUserId } from '@parley/protocol';

/** A Web Storage stand-in; `full` makes setItem throw as a quota error does. */
class FakeStorage implements WebStorageApi {
  readonly items = new Map<string, string>();
  full = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

function describeClientStoreContract(name: string, make: () => ClientStore): void {
  describe(`ClientStore contract: ${name}`, () => {
    it('returns undefined for a key never set', () => {
      expect(make().get('nothing')).toBeUndefined();
    });

    it('returns a copy of the JSON value last set, per key', () => {
      const store = make();
      const value = { deviceId: 'd1', counters: { 'alice g:team': 3 } };
      store.set('a', value);
      store.set('b', [1, 'two']);
      value.counters['alice g:team'] = 99; // the caller's object changing later changes nothing stored
      expect(store.get('a')).toEqual({ deviceId: 'd1', counters: { 'alice g:team': 3 } });
      expect(store.get('b')).toEqual([1, 'two']);
      store.set('a', { deviceId: 'd2', counters: {} });
      expect(store.get('a')).toEqual({ deviceId: 'd2', counters: {} });
    });
  });
}

describeClientStoreContract('memory', () => new MemoryClientStore());
describeClientStoreContract('localStorage', () => new LocalStorageClientStore(new FakeStorage()));
describeClientStoreContract('tab-leased localStorage', () => new TabLeasedStore(new FakeStorage(), { now: () => 0, holder: 'h', every: () => () => undefined, onLeave: () => undefined }));

describe('TabLeasedStore', () => {
  const record = { deviceId: 'd', counters: {} };
  let now: number;
  let storage: FakeStorage;
  let timers: Array<{ ms: number; renew: () => void; stopped: boolean }>;
  let leaves: Array<() => void>;
  const tab = (holder: string, extra: Partial<TabLeaseOptions> = {}) =>
    new TabLeasedStore(storage, {
      now: () => now,
      holder,
      leaseMs: 300_000,
      every: (ms, renew) => {
        const timer = { ms, renew, stopped: false };
        timers.push(timer);
        return () => (timer.stopped = true);
      },
      onLeave: (release) => leaves.push(release),
      ...extra,
    });

  beforeEach(() => {
    now = 1_000;
    storage = new FakeStorage();
    timers = [];
    leaves = [];
  });

  it('gives two tabs open at once two records, and a reloaded tab its record back', () => {
    const first = tab('tab-1');
    first.set('parley.device', { ...record, deviceId: 'd1' });
    const second = tab('tab-2');
    expect(second.get('parley.device')).toBeUndefined(); // slot 0 is leased: slot 1, empty
    second.set('parley.device', { ...record, deviceId: 'd2' });
    expect([...storage.items.keys()].filter((k) => !k.includes('lease')).sort()).toEqual(['parley.device', 'parley.device.1']);
    leaves[0]!(); // the first tab reloads: pagehide releases its slot
    expect(tab('tab-1-reloaded').get('parley.device')).toEqual({ ...record, deviceId: 'd1' });
  });

  it('renews the lease on a timer and on every write; an expired lease (a crashed tab) is taken over', () => {
    const first = tab('tab-1');
    first.set('parley.device', { ...record, deviceId: 'd1' });
    expect(timers[0]!.ms).toBe(100_000);
    now += 250_000;
    timers[0]!.renew();
    now += 250_000; // 500 s after the claim, 250 s after the renewal: still held
    expect(tab('tab-2').get('parley.device')).toBeUndefined();
    now += 400_000; // no renewal for longer than the lease: the tab is gone
    expect(tab('tab-3').get('parley.device')).toEqual({ ...record, deviceId: 'd1' });
  });

  it('stops writing a record another tab took over, and keeps its own in memory', () => {
    const first = tab('tab-1');
    first.set('parley.device', { ...record, deviceId: 'd1' });
    now += 400_000; // frozen past its lease
    const second = tab('tab-2');
    expect(second.get('parley.device')).toEqual({ ...record, deviceId: 'd1' });
    second.set('parley.device', { ...record, deviceId: 'd2' });
    first.set('parley.device', { ...record, deviceId: 'd1', counters: { 'alice g:team': 9 } });
    expect(JSON.parse(storage.items.get('parley.device')!)).toEqual({ ...record, deviceId: 'd2' });
    expect(first.get('parley.device')).toEqual({ ...record, deviceId: 'd1', counters: { 'alice g:team': 9 } });
    expect(timers[0]!.stopped).toBe(true);
  });

  it('keeps the record in memory when every slot is held or the storage refuses writes', () => {
    for (let i = 0; i < 2; i++) tab(`tab-${i}`, { maxSlots: 2 }).set('k', { n: i });
    const third = tab('tab-x', { maxSlots: 2 });
    third.set('k', { n: 'x' });
    expect(third.get('k')).toEqual({ n: 'x' });
    expect(storage.items.has('k.2')).toBe(false);
    const full = new FakeStorage();
    full.full = true;
    const refused = new TabLeasedStore(full, { now: () => now, holder: 'h', every: () => () => undefined, onLeave: () => undefined });
    refused.set('k', { n: 1 });
    expect(refused.get('k')).toEqual({ n: 1 });
  });
});

describe('LocalStorageClientStore', () => {
  it('leaves nothing rather than an older value when a write fails', () => {
    const storage = new FakeStorage();
    const store = new LocalStorageClientStore(storage);
    store.set('k', { n: 1 });
    storage.full = true;
    store.set('k', { n: 2 });
    expect(store.get('k')).toBeUndefined();
  });

  it('reads what is not its JSON as never written', () => {
    const storage = new FakeStorage();
    storage.items.set('k', '{not json');
    expect(new LocalStorageClientStore(storage).get('k')).toBeUndefined();
  });
});

describe('DeviceState', () => {
  const ALICE = asUserId('alice');
  const BOB = asUserId('bob');
  const DM = asConversationId('d:alice:bob');
  const TEAM = asConversationId('g:team');
  let ids: number;
  const newId = () => `dev${++ids}`;

  beforeEach(() => {
    ids = 0;
  });

  it('makes a new device when the store has none, and stores it with its counters before a number is used', () => {
    const store = new MemoryClientStore();
    const device = new DeviceState(store, 'parley.device', newId);
    expect(device.id).toBe('dev1');
    expect([device.next(ALICE, DM), device.next(ALICE, DM), device.next(ALICE, TEAM)]).toEqual([1, 2, 1]);
    expect(store.get('parley.device')).toEqual({ deviceId: 'dev1', counters: { 'alice d:alice:bob': 2, 'alice g:team': 1 } });
  });

  it('continues a stored device where its counters stopped, per user', () => {
    const store = new MemoryClientStore();
    const first = new DeviceState(store, 'k', newId);
    first.next(ALICE, TEAM);
    first.next(ALICE, TEAM);
    const again = new DeviceState(store, 'k', newId);
    expect(again.id).toBe('dev1');
    expect(again.next(ALICE, TEAM)).toBe(3);
    expect(again.next(BOB, TEAM)).toBe(1); // another user of the same browser counts apart
  });

  it('takes the given device id, with its stored counters only when they are of that device', () => {
    const store = new MemoryClientStore();
    const stored = new DeviceState(store, 'k', newId, 'phone');
    stored.next(ALICE, TEAM);
    expect(new DeviceState(store, 'k', newId, 'phone').next(ALICE, TEAM)).toBe(2);
    const other = new DeviceState(store, 'k', newId, 'tablet');
    expect(other.id).toBe('tablet');
    expect(other.next(ALICE, TEAM)).toBe(1);
  });

  it('starts a new device when the stored record is damaged (counters lost mean a new device)', () => {
    const store = new MemoryClientStore();
    store.set('k', { deviceId: 'old', counters: { 'alice g:team': -1 } });
    const device = new DeviceState(store, 'k', newId);
    expect(device.id).toBe('dev1');
    expect(device.next(ALICE, TEAM)).toBe(1);
  });

  it('renew() starts a new device with no counters; rewind() gives back numbers never sequenced', () => {
    const store = new MemoryClientStore();
    const device = new DeviceState(store, 'k', newId);
    device.next(ALICE, TEAM);
    device.next(ALICE, TEAM);
    device.next(ALICE, TEAM);
    device.rewind(ALICE, TEAM, 2);
    expect(device.next(ALICE, TEAM)).toBe(3);
    device.renew();
    expect(device.id).toBe('dev2');
    expect(device.next(ALICE, TEAM)).toBe(1);
    expect(store.get('k')).toEqual({ deviceId: 'dev2', counters: { 'alice g:team': 1 } });
  });
});
