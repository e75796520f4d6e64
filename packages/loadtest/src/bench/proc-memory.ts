// What /proc says about a server process while connections sit idle on it: its resident
// memory, the sockets it holds, and how many ephemeral ports a source address has here.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Resident memory of `pid` (VmRSS), in bytes. */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Sockets a process holds: the entries of /proc/<pid>/fd that link to socket:[inode]. */
export function socketCount(pid: number): number {
  const dir = `/proc/${pid}/fd`;
  let sockets = 0;
  for (const fd of readdirSync(dir)) {
    try {
      if (readlinkSync(`${dir}/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed between the listing and the readlink
    }
  }
  return sockets;
}

/** Ephemeral ports the kernel hands out per source address (net.ipv4.ip_local_port_range). */
export function ephemeralPorts(): number {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return high! - low! + 1;
  } catch {
    // not Linux: fall through
  }
  return NaN;
}
