// Who connects where, who talks to whom, and which worker process holds whom: a pure
// function of the options, so the coordinator can judge the run from the same plan.
import { directConversationId, groupConversationId, asUserId } from '@parley/protocol';
import { isLoopbackHost, LoadOptions } from './options';

/** One message stream: a connection sending to a user (1:1) or into a group. */
export interface SenderPlan {
  /** Index into the worker's connections. */
  readonly connection: number;
  readonly conversation: string;
  /** 1:1: the receiving user; groups: undefined (msg:R names the conversation). */
  readonly toUser: string | undefined;
  /** Users that must receive every message of this stream. */
  readonly receivers: readonly string[];
}

export interface GroupToCreate {
  /** Index into the worker's connections: the creator, itself a member. */
  readonly connection: number;
  readonly groupId: string;
  readonly members: readonly string[];
}

export interface ConnectionPlan {
  readonly user: string;
  /** Source address to bind (127.0.0.2, ...) or undefined for the system's choice. */
  readonly localAddress: string | undefined;
}

export interface WorkerPlan {
  readonly workerIndex: number;
  readonly url: string;
  readonly secret: string;
  readonly runId: string;
  readonly connections: readonly ConnectionPlan[];
  readonly senders: readonly SenderPlan[];
  readonly groups: readonly GroupToCreate[];
  /** This worker's share of the message rate and of the connection ramp, per second. */
  readonly ratePerSec: number;
  readonly rampPerSec: number;
  readonly payloadBytes: number;
  readonly retransmitMs: number;
}

export interface LoadPlan {
  readonly workers: readonly WorkerPlan[];
  /** Every stream with its receivers: the verdict checks each message against it. */
  readonly streams: ReadonlyMap<string, SenderPlan & { readonly from: string }>;
  readonly sourceAddresses: readonly string[];
}

/** Connections per source address; 28,232 ephemeral ports exist per address, keep a margin. */
export const CONNECTIONS_PER_SOURCE_ADDRESS = 25_000;

/** 127.0.0.2, 127.0.0.3, ... (from `firstOctet`) enough for `connections` when the target is on loopback. */
export function sourceAddresses(url: string, connections: number, firstOctet = 2): string[] {
  const host = new URL(url).hostname;
  if (!isLoopbackHost(host) || host === '::1' || host === '[::1]') return [];
  const count = Math.ceil(connections / CONNECTIONS_PER_SOURCE_ADDRESS);
  return Array.from({ length: count }, (_, i) => `127.0.0.${firstOctet + i}`);
}

export const streamKey = (from: string, conversation: string): string => `${from}\u0000${conversation}`;

export function userName(runId: string, index: number): string {
  return `lt${runId}-${index}`;
}

export function buildPlan(options: LoadOptions): LoadPlan {
  const { connections: n, workers: w, runId } = options;
  const addresses = sourceAddresses(options.url, n, options.sourceFrom);
  const users = Array.from({ length: n }, (_, i) => userName(runId, i));
  // Pairs stay in one worker (both ends measured on one clock, checked locally); group
  // members are dealt round-robin so a group's fan-out crosses worker processes.
  const workerOf = (i: number): number => (options.scenario === 'pairs' ? Math.floor(i / 2) % w : i % w);
  const perWorker: Array<{ connections: ConnectionPlan[]; index: Map<string, number>; senders: SenderPlan[]; groups: GroupToCreate[] }> = Array.from(
    { length: w },
    () => ({ connections: [], index: new Map(), senders: [], groups: [] }),
  );
  users.forEach((user, i) => {
    const slot = perWorker[workerOf(i)]!;
    slot.index.set(user, slot.connections.length);
    slot.connections.push({ user, localAddress: addresses.length > 0 ? addresses[i % addresses.length] : undefined });
  });
  const streams = new Map<string, SenderPlan & { from: string }>();
  const addStream = (from: number, conversation: string, toUser: string | undefined, receivers: string[]): void => {
    const slot = perWorker[workerOf(from)]!;
    const sender: SenderPlan = { connection: slot.index.get(users[from]!)!, conversation, toUser, receivers };
    slot.senders.push(sender);
    streams.set(streamKey(users[from]!, conversation), { ...sender, from: users[from]! });
  };
  if (options.scenario === 'pairs') {
    for (let i = 0; i + 1 < n; i += 2) {
      const a = users[i]!;
      const b = users[i + 1]!;
      const conversation = directConversationId(asUserId(a), asUserId(b));
      addStream(i, conversation, b, [b]);
      addStream(i + 1, conversation, a, [a]);
    }
  } else if (options.scenario === 'groups') {
    const groups = Math.floor(n / options.groupSize);
    for (let g = 0; g < groups; g++) {
      const first = g * options.groupSize;
      const members = users.slice(first, first + options.groupSize);
      const groupId = `lt${runId}-g${g}`;
      const conversation = groupConversationId(groupId);
      const creatorSlot = perWorker[workerOf(first)]!;
      creatorSlot.groups.push({ connection: creatorSlot.index.get(members[0]!)!, groupId, members });
      for (let s = 0; s < options.groupSenders; s++) {
        addStream(first + s, conversation, undefined, members.filter((m) => m !== members[s]));
      }
    }
  }
  const totalSenders = streams.size;
  const workers = perWorker.map((slot, workerIndex): WorkerPlan => ({
    workerIndex,
    url: options.url,
    secret: options.secret,
    runId,
    connections: slot.connections,
    senders: slot.senders,
    groups: slot.groups,
    ratePerSec: totalSenders === 0 ? 0 : (options.ratePerSec * slot.senders.length) / totalSenders,
    rampPerSec: options.rampPerSec / w,
    payloadBytes: options.payloadBytes,
    retransmitMs: options.retransmitMs,
  }));
  return { workers, streams, sourceAddresses: addresses };
}
