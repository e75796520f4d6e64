// The limits on opening connections (WebSocket upgrades and long-poll opens alike): how
// often one source address and one user may connect (token buckets), and how many
// connections one user may hold on this gateway. Each refusal is an HTTP answer with its
// documented code (docs/PROTOCOL.md, "Limits"); pure apart from the bucket tables.
import { BlockList, isIP } from 'node:net';
import { ErrorCode, UserId } from '@parley/protocol';
import type { Refusal } from './admission';
import { KeyedRateLimiter } from './keyed-rate-limiter';

/** Most entries in each bucket table (per address, per user): about 100 bytes each. */
const MAX_TRACKED_KEYS = 100_000;
/**
 * Source addresses whose bucket key is remembered (emptied when full). Behind a load balancer
 * or on loopback every attempt comes from a few addresses: reading one again (the exempt list
 * checked through a SocketAddress, an IPv6 /64 worked out) is a lookup instead of garbage.
 */
const REMEMBERED_ADDRESSES = 1_024;
/** The key of an address the per-address limit does not count (exempt, or not an address). */
const NOT_COUNTED = '';

export interface ConnectLimitsPolicy {
  readonly connectsPerUserPerMin: number;
  readonly connectBurstPerUser: number;
  readonly connectsPerAddressPerMin: number;
  readonly connectBurstPerAddress: number;
  /** Addresses and subnets the per-address limit does not apply to (a proxy in front, loopback). */
  readonly exemptAddresses: readonly string[];
  readonly maxConnectionsPerUser: number;
}

/** Which limit refused a connection (the `reason` label of parley_gateway_limit_hits_total). */
export type ConnectLimitReason = 'connect_rate_address' | 'connect_rate_user' | 'connection_limit';

export type ConnectRefusal = Refusal & { readonly limit: ConnectLimitReason };

const tooFast = (limit: ConnectLimitReason, retryAfterSec: number, who: string): ConnectRefusal => ({
  status: '429 Too Many Requests',
  code: ErrorCode.CONNECT_RATE_LIMITED,
  message: `too many connection attempts from this ${who}; retry after ${retryAfterSec} s`,
  retryAfterSec,
  limit,
});

export class ConnectLimits {
  private readonly byAddress: KeyedRateLimiter;
  private readonly byUser: KeyedRateLimiter;
  private readonly exempt: BlockList;
  private readonly addressKeys = new Map<string, string>();

  constructor(
    private readonly policy: ConnectLimitsPolicy,
    /** Connections `user` holds on this gateway now. */
    private readonly connectionsOf: (user: UserId) => number,
  ) {
    this.byAddress = new KeyedRateLimiter(policy.connectsPerAddressPerMin / 60, policy.connectBurstPerAddress, MAX_TRACKED_KEYS);
    this.byUser = new KeyedRateLimiter(policy.connectsPerUserPerMin / 60, policy.connectBurstPerUser, MAX_TRACKED_KEYS);
    this.exempt = addressList(policy.exemptAddresses);
  }

  /** Checked before the token is read, so refused attempts cost no signature check. */
  checkAddress(address: string, nowMs: number): ConnectRefusal | undefined {
    const key = this.addressKey(address);
    if (key === NOT_COUNTED) return undefined;
    const wait = this.byAddress.take(key, nowMs);
    return wait === 0 ? undefined : tooFast('connect_rate_address', wait, 'address');
  }

  /** The bucket `address` is counted in: the IPv4 address, the IPv6 /64, or NOT_COUNTED. */
  private addressKey(address: string): string {
    let key = this.addressKeys.get(address);
    if (key !== undefined) return key;
    const ip = plainAddress(address);
    const v6 = ip !== undefined && isIP(ip) === 6;
    key = ip === undefined || this.exempt.check(ip, v6 ? 'ipv6' : 'ipv4') ? NOT_COUNTED : v6 ? ipv6Subnet64(ip) : ip;
    if (this.addressKeys.size >= REMEMBERED_ADDRESSES) this.addressKeys.clear();
    this.addressKeys.set(address, key);
    return key;
  }

  /** Checked once the token named the user. */
  checkUser(user: UserId, nowMs: number): ConnectRefusal | undefined {
    const wait = this.byUser.take(user, nowMs);
    if (wait > 0) return tooFast('connect_rate_user', wait, 'user');
    const max = this.policy.maxConnectionsPerUser;
    if (this.connectionsOf(user) >= max) {
      return {
        status: '429 Too Many Requests',
        code: ErrorCode.CONNECTION_LIMIT,
        message: `this user already holds ${max} connections on this gateway; close one first`,
        limit: 'connection_limit',
      };
    }
    return undefined;
  }
}

/** An IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`) is its IPv4 address; undefined when not an address. */
export function plainAddress(address: string): string | undefined {
  const unmapped = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return isIP(unmapped) === 0 ? undefined : unmapped;
}

/**
 * The /64 an IPv6 address belongs to, the key of the per-address limit: one subscriber is
 * given a whole /64 (or more), so counting single addresses would let one client rotate
 * through 2^64 of them, past the limit and through the bucket table.
 */
export function ipv6Subnet64(ip: string): string {
  const [head = '', tail] = ip.split('::') as [string, string | undefined];
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${all.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/** Whether `entry` is an IP address or a CIDR subnet (`10.0.0.0/8`, `fd00::/8`). */
export function isAddressOrSubnet(entry: string): boolean {
  const [ip = '', prefix, extra] = entry.split('/');
  const family = isIP(ip);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

function addressList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    if (!isAddressOrSubnet(entry)) throw new Error(`not an IP address or subnet: ${entry}`);
    const [ip, prefix] = entry.split('/') as [string, string | undefined];
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(prefix), type);
  }
  return list;
}
