import type { ClientStore } from '../../src/client-store';
import { LocalStorageClientStore, type WebStorageApi } from '../../src/client-store.local-storage';
import { MemoryClientStore } from '../../src/client-store.memory';
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
