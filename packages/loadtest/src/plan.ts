// Who connects where, who talks to whom, and which worker process holds whom: a pure
// function of the options, so the coordinator can judge the run from the same plan.
import { directConversationId, groupConversationId, asUserId } from '@parley/protocol';
import { isLoopbackHost, LoadOptions, WsClientName } from './options';
import { LinkTransport, SOCKETS_PER_LINK } from './load-link';
import { gatewayOf, linkTransports } from './link-assignment';

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
  /** The gateway's WebSocket URL (a long-poll connection uses the same host's /lp/* endpoints). */
  readonly url: string;
  readonly transport: LinkTransport;
  /** Source address to bind (127.0.0.2, ...) or undefined for the system's choice. */
  readonly localAddress: string | undefined;
}

export interface WorkerPlan {
  readonly workerIndex: number;
  /** Every gateway's WebSocket URL: a connection whose gateway refuses or is gone tries the next one (as behind a load balancer). */
  readonly urls: readonly string[];
  /** PEM file of a CA to trust for wss:// and https:// (undefined: the system's CAs only). */
  readonly caFile: string | undefined;
  /** The WebSocket client of its WebSocket connections. */
  readonly wsClient: WsClientName;
  readonly secret: string;
  readonly runId: string;
  readonly connections: readonly ConnectionPlan[];
  readonly senders: readonly SenderPlan[];
  readonly groups: readonly GroupToCreate[];
  /** This worker's share of the message rate and of the connection ramp, per second. */
  readonly ratePerSec: number;
  /** This worker's share of a burst (LoadOptions.burst): messages its senders send at once; 0: none. */
  readonly burst: number;
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

/**
 * Sockets per source address. 28,232 ephemeral ports exist per address, but past about 7,000
 * sockets on one address each bind() searching for a free port costs ~1 ms of kernel time, which
 * stalls a worker ramping up thousands of connections: so a fresh address every 6,000.
 */
export const SOCKETS_PER_SOURCE_ADDRESS = 6_000;

/**
 * 127.0.0.2, 127.0.0.3, ... (from `firstOctet`) enough for `sockets` when every target is
 * on IPv4 loopback (an IPv4 source address cannot reach ::1).
 */
export function sourceAddresses(urls: readonly string[], sockets: number, firstOctet = 2): string[] {
  const ipv4Loopback = (url: string): boolean => {
    const host = new URL(url).hostname;
    return isLoopbackHost(host) && host !== '::1' && host !== '[::1]';
  };
  if (!urls.every(ipv4Loopback)) return [];
  const count = Math.ceil(sockets / SOCKETS_PER_SOURCE_ADDRESS);
  return Array.from({ length: count }, (_, i) => `127.0.0.${firstOctet + i}`);
}

/** Sockets links of these transports hold at most. */
export function socketsOf(transports: Iterable<LinkTransport>): number {
  let sockets = 0;
  for (const transport of transports) sockets += SOCKETS_PER_LINK[transport];
  return sockets;
}

export const streamKey = (from: string, conversation: string): string => `${from}\u0000${conversation}`;

export function userName(runId: string, index: number): string {
  return `lt${runId}-${index}`;
}

export function buildPlan(options: LoadOptions): LoadPlan {
  const { connections: n, workers: w, runId } = options;
  const users = Array.from({ length: n }, (_, i) => userName(runId, i));
  // Pairs stay in one worker (both ends measured on one clock, checked locally); group
  // members are dealt round-robin so a group's fan-out crosses worker processes.
  const workerOf = (i: number): number => (options.scenario === 'pairs' ? Math.floor(i / 2) % w : i % w);
  const indexesOf: number[][] = Array.from({ length: w }, () => []);
  for (let i = 0; i < n; i++) indexesOf[workerOf(i)]!.push(i);
  // Each worker gets its exact share of long-poll connections, spread over its list (in
  // which a pair's two ends, and a group's members in that worker, are neighbours).
  const transports = new Array<LinkTransport>(n);
  for (const indexes of indexesOf) linkTransports(indexes.length, options.longPollShare).forEach((t, k) => (transports[indexes[k]!] = t));
  const addresses = sourceAddresses(options.urls, socketsOf(transports), options.sourceFrom);
  const perWorker: Array<{ connections: ConnectionPlan[]; index: Map<string, number>; senders: SenderPlan[]; groups: GroupToCreate[] }> = Array.from(
    { length: w },
    () => ({ connections: [], index: new Map(), senders: [], groups: [] }),
  );
  users.forEach((user, i) => {
    const slot = perWorker[workerOf(i)]!;
    slot.index.set(user, slot.connections.length);
    slot.connections.push({
      user,
      url: gatewayOf(options.urls, i),
      transport: transports[i]!,
      localAddress: addresses.length > 0 ? addresses[i % addresses.length] : undefined,
    });
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
  // A burst is dealt evenly over the senders, the first ones taking one more when it does not divide.
  let dealt = 0;
  const burstOf = (senders: number): number => {
    let share = 0;
    for (let k = 0; k < senders; k++, dealt++) share += Math.floor(options.burst / totalSenders) + (dealt < options.burst % totalSenders ? 1 : 0);
    return share;
  };
  const workers = perWorker.map((slot, workerIndex): WorkerPlan => ({
    workerIndex,
    urls: options.urls,
    caFile: options.caFile,
    wsClient: options.wsClient,
    secret: options.secret,
    runId,
    connections: slot.connections,
    senders: slot.senders,
    groups: slot.groups,
    ratePerSec: totalSenders === 0 ? 0 : (options.ratePerSec * slot.senders.length) / totalSenders,
    burst: totalSenders === 0 ? 0 : burstOf(slot.senders.length),
    rampPerSec: options.rampPerSec / w,
    payloadBytes: options.payloadBytes,
    retransmitMs: options.retransmitMs,
  }));
  return { workers, streams, sourceAddresses: addresses };
}
