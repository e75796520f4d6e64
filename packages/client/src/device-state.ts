// The device this client speaks for and its client_seq counters, kept together in one
// ClientStore record (docs/PROTOCOL.md "Devices and client_seq"): the server sequences a
// device's messages of a conversation strictly in client_seq order (1, 2, 3, ... with no
// gap), so the counters must survive as long as the device id does, and a client that lost
// them must use a new device id.
import type { ConversationId, UserId } from '@parley/protocol';
import type { ClientStore } from './client-store';

/** 1..64 chars of [A-Za-z0-9_-] (the gateway refuses any other `device`). */
const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidDeviceId(value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID.test(value);
}

/** What the store keeps: the device and, per `<user> <conversation>`, the last client_seq taken. */
interface DeviceRecord {
  readonly deviceId: string;
  readonly counters: Record<string, number>;
}

function readRecord(value: unknown): DeviceRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { deviceId, counters } = value as Partial<DeviceRecord>;
  if (!isValidDeviceId(deviceId) || !counters || typeof counters !== 'object') return undefined;
  for (const n of Object.values(counters)) if (!Number.isSafeInteger(n) || n < 0) return undefined;
  return { deviceId, counters };
}

/**
 * One record per store key, written whole on every change (so the device id and its
 * counters can never be stored apart). Counters are kept per user: the server counts per
 * (user, device, conversation), and one browser may be used by several users in turn.
 *
 * Loading: a stored record is used as it is. `deviceId` given: its stored counters when the
 * record is of that device, none otherwise (the application vouches that the device has
 * not sent before, or keeps its counters in this store). No record and no `deviceId`: a new
 * random device. renew() starts a new random device with no counters (after the server said
 * our counters are behind, CLIENT_SEQ_REUSED).
 */
export class DeviceState {
  private device: string;
  private counters: Map<string, number>;

  constructor(
    private readonly store: ClientStore,
    private readonly key: string,
    private readonly newDeviceId: () => string,
    deviceId?: string,
  ) {
    const stored = readRecord(store.get(key));
    if (stored && (deviceId === undefined || stored.deviceId === deviceId)) {
      this.device = stored.deviceId;
      this.counters = new Map(Object.entries(stored.counters));
      return;
    }
    this.device = deviceId ?? newDeviceId();
    this.counters = new Map();
    this.save();
  }

  /** The device id sent as `device` on every connection. */
  get id(): string {
    return this.device;
  }

  /** The last client_seq taken in the conversation (0: none). */
  last(user: UserId, conversation: ConversationId): number {
    return this.counters.get(counterKey(user, conversation)) ?? 0;
  }

  /** Takes the conversation's next client_seq; it is stored before it is returned. */
  next(user: UserId, conversation: ConversationId): number {
    const n = this.last(user, conversation) + 1;
    this.counters.set(counterKey(user, conversation), n);
    this.save();
    return n;
  }

  /** Gives back the numbers after `last` (they were never sequenced: a refused message left a hole). */
  rewind(user: UserId, conversation: ConversationId, last: number): void {
    if (last >= this.last(user, conversation)) return;
    this.counters.set(counterKey(user, conversation), Math.max(0, last));
    this.save();
  }

  /** A new random device with no counters. */
  renew(): void {
    this.device = this.newDeviceId();
    this.counters = new Map();
    this.save();
  }

  private save(): void {
    const record: DeviceRecord = { deviceId: this.device, counters: Object.fromEntries(this.counters) };
    this.store.set(this.key, record);
  }
}

function counterKey(user: UserId, conversation: ConversationId): string {
  return `${user} ${conversation}`;
}
