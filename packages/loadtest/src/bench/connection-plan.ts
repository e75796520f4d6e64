// Owns how a bench measurement spreads N connections over server and client processes when
// one process may not hold them all (20,000 open files per process here). Pure: run-bench
// starts the processes this plan asks for and checks the shares it predicts.

/** Connections one process (server or client) is given: below 20,000 files, with room for its own. */
export const CONNECTIONS_PER_PROCESS = 18_000;
/**
 * Attempts per connection. A server starved of CPU (two cores shared by up to three servers,
 * three clients and whatever else runs) lets its accept queue overflow; the kernel then answers
 * with SYN cookies and some connections are reset. A reset connection holds nothing on the
 * server, so trying it again (same server, same source address) keeps the shares exact.
 */
export const CONNECT_ATTEMPTS = 4;
/** Client processes used even when one would do: the harness of every measurement stays comparable. */
export const MIN_CLIENT_PROCESSES = 2;
/**
 * Connections bound to one 127.0.0.x source address. A client binds its source address
 * before connecting, and bind() with SO_REUSEADDR (libuv sets it) looks for a free port
 * among the odd ports of the lower half of ip_local_port_range first: 32768-60999 gives
 * ~7,000 of them. Past that every bind() scans the whole range in the kernel while the
 * client's event loop waits (measured here: ~1 ms of system time per connection at
 * 10,000 per address, against ~0.02 ms below 7,000), so the pings stop and the servers
 * drop the clients as idle. Stay below.
 */
export const CONNECTIONS_PER_SOURCE_ADDRESS = 6_000;

/** Processes needed to hold `connections`, each at most CONNECTIONS_PER_PROCESS. */
export function processesFor(connections: number): number {
  return Math.max(1, Math.ceil(connections / CONNECTIONS_PER_PROCESS));
}

/** `total` split into `parts` shares that differ by at most one, larger shares first. */
export function evenShares(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

export interface ClientShare {
  /** Connections this client process opens. */
  readonly count: number;
  /**
   * Global index of its first connection: connection n of this client is global connection
   * firstIndex + n and goes to server (firstIndex + n) mod servers, so the servers' shares
   * are even whatever the number of clients.
   */
  readonly firstIndex: number;
  /** Source addresses it binds, round-robin (count ÷ CONNECTIONS_PER_SOURCE_ADDRESS, rounded up). */
  readonly sourceAddresses: number;
}

export interface ConnectionPlan {
  readonly connections: number;
  readonly serverProcesses: number;
  readonly clients: readonly ClientShare[];
  /** Connections each server process must hold when every connection is up. */
  readonly serverShares: readonly number[];
}

/**
 * `serverProcesses` is 1 for a server that cannot be split (its state lives in one process);
 * otherwise as many as `connections` needs. Clients: at least MIN_CLIENT_PROCESSES, each
 * under CONNECTIONS_PER_PROCESS and under CONNECTIONS_PER_SOURCE_ADDRESS per source address.
 */
export function planConnections(connections: number, serverProcesses = processesFor(connections)): ConnectionPlan {
  const clientCounts = evenShares(connections, Math.max(MIN_CLIENT_PROCESSES, processesFor(connections)));
  let firstIndex = 0;
  const clients = clientCounts.map((count) => {
    const share = { count, firstIndex, sourceAddresses: Math.max(1, Math.ceil(count / CONNECTIONS_PER_SOURCE_ADDRESS)) };
    firstIndex += count;
    return share;
  });
  return { connections, serverProcesses, clients, serverShares: evenShares(connections, serverProcesses) };
}

/** The server a client's connection n goes to (see ClientShare.firstIndex). */
export function serverOf(client: ClientShare, n: number, serverProcesses: number): number {
  return (client.firstIndex + n) % serverProcesses;
}
