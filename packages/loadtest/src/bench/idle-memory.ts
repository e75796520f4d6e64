// The idle-memory section: each server's RSS growth per idle connection at each size (spread
// over several processes where one may not hold them all), checked against the sockets each
// process holds, and its table.
import { GATEWAY_NODE_FLAGS } from '@parley/gateway';
import { readFdLimits } from '../fd-limit';
import { figureColumn, markdownTable, textColumn } from '../markdown-table';
import { connectClients } from './bench-clients';
import { count, kb, ratio } from './bench-format';
import { log, sleep } from './bench-log';
import { SERVER_LABEL, SERVER_SHORT, startServers, type ServerKind } from './bench-servers';
import { CONNECT_ATTEMPTS, CONNECTIONS_PER_PROCESS, CONNECTIONS_PER_SOURCE_ADDRESS, planConnections, processesFor } from './connection-plan';
import { ephemeralPorts, rssBytes, socketCount } from './proc-memory';

/**
 * A process here may hold 20,000 files (a hard limit not even root can raise): the larger size
 * is spread over several server processes (connection-plan.ts) and their RSS growth summed.
 */
export const IDLE_SIZES = [10_000, 50_000];
export const IDLE_KINDS: readonly ServerKind[] = ['parley', 'parley-gateway', 'uws', 'ws', 'socketio'];
/**
 * `npm start` keeps its in-memory stores in its one process: several of them would be several
 * separate parleys, so it is measured only at sizes one process can hold.
 */
const SINGLE_PROCESS_KINDS: ReadonlySet<ServerKind> = new Set(['parley']);

/** Server processes `kind` runs as to hold `size` connections, or undefined when it cannot here. */
export function serverProcessesFor(kind: ServerKind, size: number): number | undefined {
  const needed = processesFor(size);
  return needed > 1 && SINGLE_PROCESS_KINDS.has(kind) ? undefined : needed;
}

export interface IdleRow {
  readonly server: ServerKind;
  readonly connections: number;
  readonly connected: number;
  /** Σ(RSS after − RSS before) over the server processes ÷ connected. */
  readonly bytesPerConnection: number;
  /** Connections each server process was to hold (the plan). */
  readonly sharePerProcess: readonly number[];
  /** Connections each server process held: sockets in its /proc/<pid>/fd, less those before. */
  readonly heldPerProcess: readonly number[];
  readonly rssGrowthPerProcess: readonly number[];
  /** Connection attempts made again after a failed one (CONNECT_ATTEMPTS). */
  readonly retries: number;
}

/** Every connection up and every server process holding exactly its share. */
const idleRowComplete = (row: IdleRow): boolean => row.connected === row.connections && row.heldPerProcess.every((held, i) => held === row.sharePerProcess[i]);

export async function idleMemory(kind: ServerKind, size: number, serverProcesses: number): Promise<IdleRow> {
  const plan = planConnections(size, serverProcesses);
  const servers = await startServers(kind, plan.serverProcesses);
  try {
    await sleep(1500);
    const pids = servers.map((s) => s.child.pid!);
    const rssBefore = pids.map(rssBytes);
    const socketsBefore = pids.map(socketCount);
    const { clients, connected, retries } = await connectClients(servers, plan, `${kind}${size}`);
    await sleep(3000);
    const rssAfter = pids.map(rssBytes);
    const heldPerProcess = pids.map((pid, i) => socketCount(pid) - socketsBefore[i]!);
    await Promise.all(clients.map((c) => c.stop()));
    const rssGrowthPerProcess = rssAfter.map((after, i) => after - rssBefore[i]!);
    const growth = rssGrowthPerProcess.reduce((a, b) => a + b, 0);
    const row: IdleRow = {
      server: kind,
      connections: size,
      connected,
      bytesPerConnection: connected > 0 ? growth / connected : NaN,
      sharePerProcess: plan.serverShares,
      heldPerProcess,
      rssGrowthPerProcess,
      retries,
    };
    const mib = (bytes: readonly number[]): string => bytes.map((b) => (b / 2 ** 20).toFixed(0)).join(' + ');
    log(
      `idle ${kind} ${size}: ${connected} up${retries > 0 ? ` (${retries} retries)` : ''}, held ${heldPerProcess.join(' + ')} (shares ${plan.serverShares.join(' + ')}), ${(row.bytesPerConnection / 1024).toFixed(2)} KB each ` +
        `(RSS ${mib(rssBefore)} -> ${mib(rssAfter)} MiB)${idleRowComplete(row) ? '' : ' INCOMPLETE'}`,
    );
    return row;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export function idleSection(idle: readonly IdleRow[]): string[] {
  const rowOf = (kind: ServerKind, size: number): IdleRow | undefined => idle.find((r) => r.server === kind && r.connections === size);
  const idleOf = (kind: ServerKind, size: number): number => rowOf(kind, size)?.bytesPerConnection ?? NaN;
  const hardFiles = readFdLimits()?.hard ?? NaN;
  const fileLimit = Number.isFinite(hardFiles) ? `${count(hardFiles)}-file limit` : `${count(CONNECTIONS_PER_PROCESS)} connections per process`;
  const cell = (kind: ServerKind, size: number): string => {
    if (serverProcessesFor(kind, size) === undefined) return `n/a (one process; ${fileLimit})`;
    const row = rowOf(kind, size);
    if (!row) return 'n/a';
    if (row.connected < row.connections) return `${kb(row.bytesPerConnection)} (only ${count(row.connected)} up)`;
    if (!idleRowComplete(row)) return `${kb(row.bytesPerConnection)} (uneven: ${row.heldPerProcess.map(count).join(' + ')})`;
    return kb(row.bytesPerConnection);
  };
  const split = IDLE_SIZES.filter((size) => processesFor(size) > 1);
  const ports = ephemeralPorts();
  const notes = split.map((size) => {
    const plan = planConnections(size);
    const k = plan.serverProcesses;
    const singles = IDLE_KINDS.filter((kind) => serverProcessesFor(kind, size) === undefined);
    return (
      `At ${count(size)} connections: a process here may hold at most ${Number.isFinite(hardFiles) ? count(hardFiles) : 'a limited number of'} open files ` +
      '(hard limit; `ulimit -Hn` cannot be raised, not even by root), ' +
      `so each server runs as ${k} = ⌈${count(size)} ÷ ${count(CONNECTIONS_PER_PROCESS)}⌉ processes, each on its own port and given ${plan.serverShares.map(count).join(' + ')} connections round-robin; ` +
      `per connection = Σ(RSS after − RSS before) over the ${k} processes ÷ connections. ` +
      'Each process was checked to hold its share (the sockets in its /proc/<pid>/fd). ' +
      `The ${k} parley gateways run \`PARLEY_ROLES=gateway\`, each embedded with its own PARLEY_GATEWAY_ID and port (idle connections need no shared store; a connection counts once its welcome arrived). ` +
      singles.map((kind) => `${SERVER_SHORT[kind]} is not measured: its in-memory stores live in its one process, which cannot hold ${count(size)} connections here, and ${k} of them would be ${k} separate parleys. `).join('') +
      `Clients: ${plan.clients.length} processes (${plan.clients.map((c) => count(c.count)).join(' + ')}), each binding ${plan.clients[0]!.sourceAddresses} source addresses 127.0.0.x of its own, round-robin ` +
      `(at most ${count(CONNECTIONS_PER_SOURCE_ADDRESS)} connections per address${Number.isFinite(ports) ? ` of its ${count(ports)} ephemeral ports` : ''}: past a quarter of them, bind() becomes slow enough to stall the clients).`
    );
  });
  const [small] = IDLE_SIZES;
  return [
    '## Idle memory: server RSS growth per idle connection (KB)',
    '',
    ...markdownTable(
      [textColumn('server'), ...IDLE_SIZES.map((s) => figureColumn(`${count(s)} conns`))],
      [
        ...IDLE_KINDS.map((k) => [SERVER_LABEL[k], ...IDLE_SIZES.map((s) => cell(k, s))]),
        ['**parley gateway ÷ raw uWS** (target ≤ 2)', ...IDLE_SIZES.map((s) => ratio(idleOf('parley-gateway', s), idleOf('uws', s)))],
        ['**parley gateway ÷ Socket.IO** (target ≤ 0.2)', ...IDLE_SIZES.map((s) => ratio(idleOf('parley-gateway', s), idleOf('socketio', s)))],
      ],
    ),
    '',
    ...notes,
    `The gateway alone is started as a gateway process ships (its Kubernetes Deployment, the local cluster): \`node ${GATEWAY_NODE_FLAGS.join(' ')}\` (a bounded young generation: services/gateway/src/node-flags.ts); \`npm start\` with Node's defaults, as it runs. ` +
      `The ratios use the gateway-alone row, the only parley row measured at every size; \`npm start\` at ${count(small!)}: ÷ raw uWS ${ratio(idleOf('parley', small!), idleOf('uws', small!))}, ÷ Socket.IO ${ratio(idleOf('parley', small!), idleOf('socketio', small!))}.`,
    `Connected (per server process): ${idle.map((r) => `${r.server}@${r.connections}: ${count(r.connected)}${r.heldPerProcess.length > 1 ? ` (${r.heldPerProcess.map(count).join(' + ')})` : ''}${r.retries > 0 ? `, ${count(r.retries)} retried` : ''}`).join(', ')}. ` +
      `A connection reset while connecting (a CPU-starved server lets its accept queue overflow) is tried again, up to ${CONNECT_ATTEMPTS - 1} times; it held nothing on the server.`,
    '',
  ];
}
