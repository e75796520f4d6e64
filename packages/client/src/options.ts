// ParleyClient's options: their defaults and units, and the checks that make a bad
// configuration fail at construction with a message a person understands.
import type { ClientStore } from './client-store';
import type { Clock } from './clock';
import { isValidDeviceId } from './device-state';
import { InvalidOptionError } from './errors';
import type { ConversationPosition, ReceiveLimits } from './receive-order';
import type { TransportFactory, TransportFilter } from './transport';

export interface BackoffOptions {
  /** Ceiling of the first reconnect delay, in ms (default 500). */
  readonly minDelayMs?: number;
  /** Largest reconnect delay, in ms (default 30 000). */
  readonly maxDelayMs?: number;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

export interface ParleyClientOptions {
  /** The gateway's WebSocket endpoint, e.g. `ws://localhost:8080/ws`; the token is added as `?token=`. */
  readonly url: string;
  /**
   * More endpoints of the same deployment (other gateways). A gateway that drains (close 4007
   * DRAINING: a rolling update) makes the client reconnect at once to the next one, in order,
   * wrapping around. Default: none (behind a load balancer `url` alone reaches another gateway).
   */
  readonly alternateUrls?: readonly string[];
  /** A fixed token (JWT). Give this or getToken. */
  readonly token?: string;
  /** Called before every connection attempt, so an expiring token can be renewed; a rejection counts as a failed attempt. */
  readonly getToken?: () => string | Promise<string>;
  /** Default: SystemClock. */
  readonly clock?: Clock;
  /** Makes the link of each attempt. Default: ParleyClient.defaultTransportFactory (set by the package entry point). */
  readonly transportFactory?: TransportFactory;
  /** Test hook: drops frames in either direction. */
  readonly filter?: TransportFilter;
  /** First wait for msg:A before retransmitting msg:R (and for offline:A before re-asking), in ms; doubles per retry (default 3 000). */
  readonly retransmitTimeoutMs?: number;
  /** Ceiling of that doubling wait, in ms (default 30 000). */
  readonly maxRetransmitTimeoutMs?: number;
  /** Wait for ack:N after msg:A before re-sending msg:R, in ms (default 30 000). */
  readonly ackTimeoutMs?: number;
  /** Longest wait from starting an attempt to its welcome, in ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** Reconnect backoff (full jitter). */
  readonly backoff?: BackoffOptions;
  /** Ping interval when the welcome does not give one, in ms (default 25 000). */
  readonly heartbeatIntervalMs?: number;
  /** Messages asked per offline:R; the welcome's max_offline_page caps it (default 100). */
  readonly offlinePageSize?: number;
  /** Bounds of the receive-side memory (defaults: 10 000 conversations, 10 000 msgIds, 1 000 held per conversation, 10 000 parked). */
  readonly receiveLimits?: Partial<ReceiveLimits>;
  /** Positions persisted from deliveredPositions() of an earlier run: conversations continue from them. */
  readonly initialPositions?: readonly ConversationPosition[];
  /** Makes msgIds (1..64 chars of [A-Za-z0-9_-]). Default: a random UUID without dashes. */
  readonly newMsgId?: () => string;
  /** Longest wait for the answer to a group or conversations request, from the call, reconnects included, in ms (default 30 000). */
  readonly requestTimeoutMs?: number;
  /** Group acks (cumulative ack:R) go at most once per this interval per conversation, in ms (default 100). */
  readonly groupAckIntervalMs?: number;
  /** How long a gap in a conversation may stay open before a sync:R fills it, in ms (default 1 000). */
  readonly gapGraceMs?: number;
  /** Messages held behind a gap from which the sync starts at once (default 100, or receiveLimits.maxBufferedPerConversation when smaller; never more than it). */
  readonly gapSyncThreshold?: number;
  /** Messages asked per sync:R; the welcome's max_offline_page caps it (default 100). */
  readonly syncPageSize?: number;
  /** Conversations synced at the same time (the others wait for a turn) (default 4). */
  readonly maxConcurrentSyncs?: number;
  /**
   * Where the device id and its client_seq counters are kept (one JSON record under
   * `storeKey`). Default: ParleyClient.defaultStore (set by the entry point: memory in Node,
   * localStorage in browsers that have it).
   */
  readonly store?: ClientStore;
  /** The store key of the device record (default 'parley.device'): two clients that run at once need two keys. */
  readonly storeKey?: string;
  /**
   * This client's device id (1..64 chars of [A-Za-z0-9_-]). Default: the stored one, or a new
   * random one. Give it only for a device that never sent before or whose counters are in
   * `store`: with other counters the server refuses the sends (CLIENT_SEQ_REUSED) and the
   * client moves to a new random device.
   */
  readonly deviceId?: string;
  /** Unaccepted messages of one conversation in flight at once, once the conversation's first msg:A came (default 32). */
  readonly sendWindow?: number;
  /** A 1:1 position is acked (ack:R) at most once per this interval per link, however many copies arrive, in ms (default 1 000). */
  readonly directAckIntervalMs?: number;
  /** Ceiling of the wait between syncs of a gap that stays open (exponential from gapGraceMs, full jitter), in ms (default 60 000). */
  readonly maxGapRetryMs?: number;
  /** read:R goes at most once per this interval per conversation (the highest position wins), in ms (default 1 000). */
  readonly readIntervalMs?: number;
  /** typing:R goes at most once per this interval per conversation, in ms (default 3 000; the gateway relays one per PARLEY_TYPING_MIN_INTERVAL_MS). */
  readonly typingIntervalMs?: number;
  /** Our messages whose ticks are kept in the store, the newest (default 2 000). */
  readonly maxTrackedMessages?: number;
}

export interface ResolvedOptions {
  readonly url: string;
  /** `url` first, then the alternate URLs (each once). */
  readonly urls: readonly string[];
  readonly getToken: () => string | Promise<string>;
  readonly retransmitTimeoutMs: number;
  readonly maxRetransmitTimeoutMs: number;
  readonly ackTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly backoff: { readonly minDelayMs: number; readonly maxDelayMs: number; readonly random: () => number };
  readonly heartbeatIntervalMs: number;
  readonly offlinePageSize: number;
  readonly receiveLimits: ReceiveLimits;
  readonly initialPositions: readonly ConversationPosition[];
  readonly requestTimeoutMs: number;
  readonly groupAckIntervalMs: number;
  readonly gapGraceMs: number;
  readonly gapSyncThreshold: number;
  readonly syncPageSize: number;
  readonly maxConcurrentSyncs: number;
  readonly storeKey: string;
  readonly deviceId: string | undefined;
  readonly sendWindow: number;
  readonly directAckIntervalMs: number;
  readonly maxGapRetryMs: number;
  readonly readIntervalMs: number;
  readonly typingIntervalMs: number;
  readonly maxTrackedMessages: number;
}

export const CLIENT_DEFAULTS = {
  retransmitTimeoutMs: 3_000,
  maxRetransmitTimeoutMs: 30_000,
  ackTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  backoffMinDelayMs: 500,
  backoffMaxDelayMs: 30_000,
  heartbeatIntervalMs: 25_000,
  offlinePageSize: 100,
  requestTimeoutMs: 30_000,
  groupAckIntervalMs: 100,
  gapGraceMs: 1_000,
  gapSyncThreshold: 100,
  syncPageSize: 100,
  maxConcurrentSyncs: 4,
  storeKey: 'parley.device',
  sendWindow: 32,
  directAckIntervalMs: 1_000,
  maxGapRetryMs: 60_000,
  readIntervalMs: 1_000,
  typingIntervalMs: 3_000,
  maxTrackedMessages: 2_000,
  receiveLimits: {
    maxConversations: 10_000,
    maxRememberedMsgIds: 10_000,
    maxBufferedPerConversation: 1_000,
    maxParked: 10_000,
  } satisfies ReceiveLimits,
} as const;

/** Fills in defaults; throws InvalidOptionError naming the first bad option. */
export function resolveOptions(options: ParleyClientOptions): ResolvedOptions {
  if (typeof options.url !== 'string' || !/^wss?:\/\/[^/]/.test(options.url)) {
    throw new InvalidOptionError('url', `must be a ws:// or wss:// URL, got ${JSON.stringify(options.url)}`);
  }
  for (const alternate of options.alternateUrls ?? []) {
    if (typeof alternate !== 'string' || !/^wss?:\/\/[^/]/.test(alternate)) {
      throw new InvalidOptionError('alternateUrls', `must be ws:// or wss:// URLs, got ${JSON.stringify(alternate)}`);
    }
  }
  const { token, getToken } = options;
  if ((token === undefined) === (getToken === undefined)) throw new InvalidOptionError('token', 'give exactly one of token and getToken');
  if (token !== undefined && (typeof token !== 'string' || token === '')) throw new InvalidOptionError('token', 'must be a non-empty string');
  const d = CLIENT_DEFAULTS;
  const receiveLimits: ReceiveLimits = {
    maxConversations: positive('receiveLimits.maxConversations', options.receiveLimits?.maxConversations ?? d.receiveLimits.maxConversations),
    maxRememberedMsgIds: positive(
      'receiveLimits.maxRememberedMsgIds',
      options.receiveLimits?.maxRememberedMsgIds ?? d.receiveLimits.maxRememberedMsgIds,
    ),
    maxBufferedPerConversation: positive(
      'receiveLimits.maxBufferedPerConversation',
      options.receiveLimits?.maxBufferedPerConversation ?? d.receiveLimits.maxBufferedPerConversation,
    ),
    maxParked: positive('receiveLimits.maxParked', options.receiveLimits?.maxParked ?? d.receiveLimits.maxParked),
  };
  const resolved: ResolvedOptions = {
    url: options.url,
    urls: [...new Set([options.url, ...(options.alternateUrls ?? [])])],
    getToken: getToken ?? (() => token as string),
    retransmitTimeoutMs: positive('retransmitTimeoutMs', options.retransmitTimeoutMs ?? d.retransmitTimeoutMs),
    maxRetransmitTimeoutMs: positive('maxRetransmitTimeoutMs', options.maxRetransmitTimeoutMs ?? d.maxRetransmitTimeoutMs),
    ackTimeoutMs: positive('ackTimeoutMs', options.ackTimeoutMs ?? d.ackTimeoutMs),
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs ?? d.connectTimeoutMs),
    backoff: {
      minDelayMs: positive('backoff.minDelayMs', options.backoff?.minDelayMs ?? d.backoffMinDelayMs),
      maxDelayMs: positive('backoff.maxDelayMs', options.backoff?.maxDelayMs ?? d.backoffMaxDelayMs),
      random: options.backoff?.random ?? Math.random,
    },
    heartbeatIntervalMs: positive('heartbeatIntervalMs', options.heartbeatIntervalMs ?? d.heartbeatIntervalMs),
    offlinePageSize: positive('offlinePageSize', options.offlinePageSize ?? d.offlinePageSize),
    receiveLimits,
    initialPositions: options.initialPositions ?? [],
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs ?? d.requestTimeoutMs),
    groupAckIntervalMs: positive('groupAckIntervalMs', options.groupAckIntervalMs ?? d.groupAckIntervalMs),
    gapGraceMs: positive('gapGraceMs', options.gapGraceMs ?? d.gapGraceMs),
    gapSyncThreshold: positive('gapSyncThreshold', options.gapSyncThreshold ?? Math.min(d.gapSyncThreshold, receiveLimits.maxBufferedPerConversation)),
    syncPageSize: positive('syncPageSize', options.syncPageSize ?? d.syncPageSize),
    maxConcurrentSyncs: positive('maxConcurrentSyncs', options.maxConcurrentSyncs ?? d.maxConcurrentSyncs),
    storeKey: options.storeKey ?? d.storeKey,
    deviceId: options.deviceId,
    sendWindow: positive('sendWindow', options.sendWindow ?? d.sendWindow),
    directAckIntervalMs: positive('directAckIntervalMs', options.directAckIntervalMs ?? d.directAckIntervalMs),
    maxGapRetryMs: positive('maxGapRetryMs', options.maxGapRetryMs ?? d.maxGapRetryMs),
    readIntervalMs: positive('readIntervalMs', options.readIntervalMs ?? d.readIntervalMs),
    typingIntervalMs: positive('typingIntervalMs', options.typingIntervalMs ?? d.typingIntervalMs),
    maxTrackedMessages: positive('maxTrackedMessages', options.maxTrackedMessages ?? d.maxTrackedMessages),
  };
  if (typeof resolved.storeKey !== 'string' || resolved.storeKey === '') throw new InvalidOptionError('storeKey', 'must be a non-empty string');
  if (resolved.deviceId !== undefined && !isValidDeviceId(resolved.deviceId)) {
    throw new InvalidOptionError('deviceId', `must be 1..64 chars of [A-Za-z0-9_-], got ${JSON.stringify(resolved.deviceId)}`);
  }
  if (resolved.maxGapRetryMs < resolved.gapGraceMs) throw new InvalidOptionError('maxGapRetryMs', 'must be >= gapGraceMs');
  if (resolved.maxRetransmitTimeoutMs < resolved.retransmitTimeoutMs) {
    throw new InvalidOptionError('maxRetransmitTimeoutMs', 'must be >= retransmitTimeoutMs');
  }
  if (resolved.backoff.maxDelayMs < resolved.backoff.minDelayMs) throw new InvalidOptionError('backoff.maxDelayMs', 'must be >= backoff.minDelayMs');
  // Past maxBufferedPerConversation messages are refused, so a larger threshold would never trigger.
  if (resolved.gapSyncThreshold > receiveLimits.maxBufferedPerConversation) {
    throw new InvalidOptionError('gapSyncThreshold', 'must be <= receiveLimits.maxBufferedPerConversation');
  }
  return resolved;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(name, `must be a positive number, got ${String(value)}`);
  }
  return value;
}
