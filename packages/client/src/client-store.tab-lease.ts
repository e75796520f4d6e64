// A ClientStore over the Web Storage API for pages that may be open in several tabs at once:
// each running client leases one slot (its own device record) so that two tabs never speak
// for the same device, while a reload (or a later tab) takes a free slot back and with it
// that slot's device and counters.
import type { ClientStore, ReleasableStore } from './client-store';
import type { WebStorageApi } from './client-store.local-storage';
import { LocalStorageClientStore } from './client-store.local-storage';
import { MemoryClientStore } from './client-store.memory';

export interface TabLeaseOptions {
  /** Milliseconds since the epoch (Date.now). */
  readonly now: () => number;
  /** This client's holder id (random). */
  readonly holder: string;
  /** How long a lease lasts without renewal, in ms; renewed every third of it (default 5 minutes: background tabs run timers once a minute). */
  readonly leaseMs?: number;
  /** Slots tried before giving up on persistence (default 8). */
  readonly maxSlots?: number;
  /** Runs `renew` every `ms`; returns a stop function (default setInterval). */
  readonly every?: (ms: number, renew: () => void) => () => void;
  /** Calls `release` when the page goes away (default: the window's pagehide event). */
  readonly onLeave?: (release: () => void) => void;
}

interface Lease {
  readonly holder: string;
  readonly until: number;
}

/**
 * Slot n of key K keeps its record under K (n = 0) or `K.n`, and its lease under
 * `K.lease.n`. The first get() claims the lowest slot whose lease is free or expired (and
 * reads it back: of two tabs claiming at the same instant, the one whose claim was
 * overwritten looks further); the lease is renewed on a timer and on every set(), and
 * released when the page goes away, so a reload finds its slot free. With every slot held
 * the client keeps its record in memory (a new device per load: always safe).
 *
 * Limits: localStorage has no compare-and-set; two tabs claiming one slot within the same
 * instant may still share it (their sends then collide once, CLIENT_SEQ_REUSED, and one of
 * them moves to a new device). A tab frozen longer than the lease loses its slot likewise.
 */
export class TabLeasedStore implements ClientStore, ReleasableStore {
  private readonly records: LocalStorageClientStore;
  private readonly leaseMs: number;
  /** Per key: the slot this client holds, or a memory store when it holds none (every slot held, or ours taken). */
  private readonly slots = new Map<string, Slot | MemoryClientStore>();

  constructor(
    storage: WebStorageApi,
    private readonly options: TabLeaseOptions,
  ) {
    this.records = new LocalStorageClientStore(storage);
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
  }

  get(key: string): unknown {
    const slot = this.slotFor(key);
    return slot instanceof MemoryClientStore ? slot.get(key) : this.records.get(slot.recordKey);
  }

  set(key: string, value: unknown): void {
    const slot = this.slotFor(key);
    if (slot instanceof MemoryClientStore) return slot.set(key, value);
    if (!this.renew(slot)) {
      // Another client holds the slot now (this page was frozen past its lease, or restored
      // from the back-forward cache): its record is not ours to write any more.
      slot.stopRenewing();
      const memory = new MemoryClientStore();
      this.slots.set(key, memory);
      return memory.set(key, value);
    }
    this.records.set(slot.recordKey, value);
  }

  /** Gives every slot back now: the client closed (also done when the page goes away). */
  release(): void {
    for (const slot of this.slots.values()) {
      if (slot instanceof MemoryClientStore) continue;
      slot.stopRenewing();
      if (this.readLease(slot.leaseKey)?.holder === this.options.holder) this.writeLease(slot.leaseKey, 0);
    }
  }

  private slotFor(key: string): Slot | MemoryClientStore {
    const known = this.slots.get(key);
    if (known) return known;
    const maxSlots = this.options.maxSlots ?? 8;
    for (let n = 0; n < maxSlots; n++) {
      const leaseKey = `${key}.lease.${n}`;
      const lease = this.readLease(leaseKey);
      if (lease && lease.holder !== this.options.holder && lease.until > this.options.now()) continue;
      this.writeLease(leaseKey, this.options.now() + this.leaseMs);
      if (this.readLease(leaseKey)?.holder !== this.options.holder) continue; // taken meanwhile (or storage refuses writes)
      const every = this.options.every ?? defaultEvery;
      const slot: Slot = { recordKey: n === 0 ? key : `${key}.${n}`, leaseKey, stopRenewing: () => undefined };
      slot.stopRenewing = every(Math.floor(this.leaseMs / 3), () => void this.renew(slot));
      if (this.slots.size === 0) (this.options.onLeave ?? onPageHide)(() => this.release());
      this.slots.set(key, slot);
      return slot;
    }
    const memory = new MemoryClientStore();
    this.slots.set(key, memory);
    return memory;
  }

  /** Extends our lease of the slot; false when another client holds it. */
  private renew(slot: Slot): boolean {
    const lease = this.readLease(slot.leaseKey);
    if (lease && lease.holder !== this.options.holder && lease.until > this.options.now()) return false;
    this.writeLease(slot.leaseKey, this.options.now() + this.leaseMs);
    return true;
  }

  private readLease(leaseKey: string): Lease | undefined {
    const value = this.records.get(leaseKey) as Partial<Lease> | undefined;
    return value && typeof value.holder === 'string' && typeof value.until === 'number' ? { holder: value.holder, until: value.until } : undefined;
  }

  private writeLease(leaseKey: string, until: number): void {
    const lease: Lease = { holder: this.options.holder, until };
    this.records.set(leaseKey, lease);
  }
}

interface Slot {
  readonly recordKey: string;
  readonly leaseKey: string;
  stopRenewing: () => void;
}

function defaultEvery(ms: number, renew: () => void): () => void {
  const timer = setInterval(renew, ms);
  return () => clearInterval(timer);
}

function onPageHide(release: () => void): void {
  const host = globalThis as { addEventListener?: (type: string, listener: () => void) => void };
  host.addEventListener?.('pagehide', release);
}
