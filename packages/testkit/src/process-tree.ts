// Owns looking at a process tree from outside (Linux /proc): the descendants of a process,
// the TCP ports they listen on, and whether a process or a listening port is still there.
// Tests of the launchers use it to prove that a stop leaves no process and no port behind.
import fs from 'node:fs';

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(ppid), state: state ?? '?' };
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live process (a zombie, which holds nothing but its pid, is not). */
export function isProcessAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Every live descendant of `root` (children, their children, ...), not `root` itself. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat || stat.state === 'Z') continue;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** Listening TCP sockets (IPv4 and IPv6): socket inode -> port. */
function listeningSockets(): Map<string, number> {
  const sockets = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st ... inode (10th field)
      if (fields.length < 10 || fields[3] !== '0A') continue;
      const port = parseInt(fields[1]!.split(':')[1] ?? '', 16);
      sockets.set(fields[9]!, port);
    }
  }
  return sockets;
}

/** TCP ports that the processes `pids` listen on. */
export function listeningPortsOf(pids: readonly number[]): number[] {
  const sockets = listeningSockets();
  const ports = new Set<number>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const port = inode === undefined ? undefined : sockets.get(inode);
      if (port !== undefined) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Ports among `ports` that some process on this machine listens on (TCP, IPv4 or IPv6). */
export function portsStillListening(ports: readonly number[]): number[] {
  const listening = new Set(listeningSockets().values());
  return ports.filter((port) => listening.has(port));
}
