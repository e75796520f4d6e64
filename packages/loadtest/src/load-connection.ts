// One simulated device's connection as a worker tracks it: its plan, its link of the moment
// and where its handshake stands, its receipt ledger and what it shows per conversation. The
// same object lives across reconnects, so its client_seqs and positions continue.
import type { ReceivedMessage } from '@parley/client/wire';
import { AckLimiter } from './ack-limiter';
import { GroupAckState } from './group-acks';
import type { LoadLink } from './load-link';
import { OrderedDelivery } from './ordered-delivery';
import type { ReceiveLane } from './receive-lane';
import type { ConnectionPlan } from './plan';
import { ReceiptLedger } from './verdict';

/** A 1:1 position is acked at most once per this interval, however many copies of it arrive. */
const DIRECT_ACK_INTERVAL_MS = 1000;
/** The heartbeat interval until a welcome names one (PROTOCOL.md, "Heartbeat"). */
export const DEFAULT_HEARTBEAT_MS = 25_000;

/** The simulated device of a connection: the same across its reconnects, so its client_seqs continue. */
export const deviceOf = (user: string): string => `${user}-dev`;

export interface Connection {
  readonly plan: ConnectionPlan;
  readonly index: number;
  link: LoadLink | undefined;
  welcomed: boolean;
  everWelcomed: boolean;
  handshaking: boolean;
  connectStartedUs: number;
  lastSentMs: number;
  /** When the last frame of any kind came on the current link (Date.now()). */
  lastReceivedMs: number;
  /** When the last ping went out on the current link. */
  lastPingMs: number;
  /** When a ping was sent that no frame has followed yet (0: none): a link silent for an interval after it is dead. */
  pingSentMs: number;
  /** The current link was cut because it went silent (its close is not an error, and the next attempt goes to the next gateway). */
  silentCut: boolean;
  heartbeatMs: number;
  attempts: number;
  readonly ledger: ReceiptLedger;
  groupCreated: (() => void) | undefined;
  /** Per conversation (1:1 and group): what is shown, what is held behind a gap, how far a group ack may reach. */
  readonly delivery: Map<string, OrderedDelivery<ReceivedMessage>>;
  /** The group positions to ack next, and the ones acked (acked once more after a reconnect). */
  readonly groupAcks: GroupAckState;
  /** When a storm cut this connection (monotonic microseconds); 0: not recovering from a storm. */
  stormCutAtUs: number;
  /** When a draining gateway closed this connection (4007), until its next welcome; 0: not drained. */
  drainedAtUs: number;
  readonly acks: AckLimiter;
  /** The gateway URL this connection uses now: its planned one, the next one after an attempt that never got a welcome. */
  url: string;
  /** Since when the inbox pull after a welcome or resync:N runs (0: none running). */
  pullStartedMs: number;
  /** Sync every conversation once the pull is done (after a reconnect or resync:N). */
  syncAfterPull: boolean;
  /** Pushes (and own msg:A fills) of an epoch this connection has not delivered from, held until the pull is done. */
  readonly heldDuringPull: Array<() => void>;
  /** Per group conversation, what the receiver keeps at hand for msg:N read from their bytes (Receiver.tryPushedBytes). */
  readonly lanes: Map<string, ReceiveLane>;
  /** The lane of the last msg:N read from its bytes. */
  lane: ReceiveLane | undefined;
}

export function newConnection(plan: ConnectionPlan, index: number): Connection {
  return {
    plan,
    index,
    link: undefined,
    welcomed: false,
    everWelcomed: false,
    handshaking: false,
    connectStartedUs: 0,
    lastSentMs: 0,
    lastReceivedMs: 0,
    lastPingMs: 0,
    pingSentMs: 0,
    silentCut: false,
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
    attempts: 0,
    ledger: new ReceiptLedger(plan.user),
    groupCreated: undefined,
    delivery: new Map(),
    groupAcks: new GroupAckState(),
    stormCutAtUs: 0,
    drainedAtUs: 0,
    acks: new AckLimiter(DIRECT_ACK_INTERVAL_MS),
    url: plan.url,
    pullStartedMs: 0,
    syncAfterPull: false,
    heldDuringPull: [],
    lanes: new Map(),
    lane: undefined,
  };
}

/**
 * PROTOCOL.md "Heartbeat": a link is dead when it brought no frame at all within one interval
 * after a ping (any frame counts as life, not only the pong).
 */
export function linkIsSilent(c: Pick<Connection, 'pingSentMs' | 'lastReceivedMs' | 'heartbeatMs'>, nowMs: number): boolean {
  return c.pingSentMs > 0 && c.lastReceivedMs < c.pingSentMs && nowMs - c.pingSentMs >= c.heartbeatMs;
}

/** Writes one frame of kind `packet` on a connection's link (dropped, and not counted, when the link is not open). */
export type FrameWriter = (c: Connection, packet: string, frame: Uint8Array) => void;
