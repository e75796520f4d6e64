// The connect limits: per source address (loopback and listed proxies exempt), per user,
// and the connections one user may hold; each refusal with its documented status and code.
import { asUserId, ErrorCode, UserId } from '@parley/protocol';
import { ConnectLimits, ConnectLimitsPolicy, ipv6Subnet64, isAddressOrSubnet, plainAddress } from '../../src/connect-limits';

const policy: ConnectLimitsPolicy = {
  connectsPerUserPerMin: 60,
  connectBurstPerUser: 3,
  connectsPerAddressPerMin: 60,
  connectBurstPerAddress: 5,
  exemptAddresses: ['127.0.0.0/8', '::1', '10.1.2.3'],
  maxConnectionsPerUser: 2,
};

describe('the connect limits', () => {
  it('limits attempts per source address, with Retry-After, and skips exempt addresses', () => {
    const limits = new ConnectLimits(policy, () => 0);
    for (let i = 0; i < 5; i++) expect(limits.checkAddress('192.0.2.7', 0)).toBeUndefined();
    expect(limits.checkAddress('192.0.2.7', 0)).toMatchObject({
      status: '429 Too Many Requests',
      code: ErrorCode.CONNECT_RATE_LIMITED,
      retryAfterSec: 1,
      limit: 'connect_rate_address',
    });
    expect(limits.checkAddress('::ffff:192.0.2.7', 0)).toMatchObject({ code: ErrorCode.CONNECT_RATE_LIMITED }); // the same address
    expect(limits.checkAddress('192.0.2.8', 0)).toBeUndefined();
    for (let i = 0; i < 100; i++) {
      expect(limits.checkAddress('127.0.0.2', 0)).toBeUndefined();
      expect(limits.checkAddress('::1', 0)).toBeUndefined();
      expect(limits.checkAddress('::ffff:10.1.2.3', 0)).toBeUndefined();
    }
  });

  it('limits attempts per user, then the connections the user holds', () => {
    const held = new Map<UserId, number>();
    const limits = new ConnectLimits(policy, (user) => held.get(user) ?? 0);
    const alice = asUserId('alice');
    expect(limits.checkUser(alice, 0)).toBeUndefined();
    held.set(alice, 2);
    expect(limits.checkUser(alice, 0)).toMatchObject({ status: '429 Too Many Requests', code: ErrorCode.CONNECTION_LIMIT, limit: 'connection_limit' });
    expect(limits.checkUser(alice, 0)).toMatchObject({ code: ErrorCode.CONNECTION_LIMIT });
    expect(limits.checkUser(alice, 0)).toMatchObject({ code: ErrorCode.CONNECT_RATE_LIMITED, limit: 'connect_rate_user', retryAfterSec: 1 });
    held.set(alice, 1);
    expect(limits.checkUser(alice, 1_000)).toBeUndefined();
    expect(limits.checkUser(asUserId('bob'), 1_000)).toBeUndefined();
  });

  it('counts an IPv6 client by its /64, so rotating addresses within it does not help', () => {
    const limits = new ConnectLimits(policy, () => 0);
    for (let i = 0; i < 5; i++) expect(limits.checkAddress(`2001:db8:1:2::${i + 1}`, 0)).toBeUndefined();
    expect(limits.checkAddress('2001:db8:1:2:ffff:ffff:ffff:ffff', 0)).toMatchObject({ code: ErrorCode.CONNECT_RATE_LIMITED });
    expect(limits.checkAddress('2001:db8:1:3::1', 0)).toBeUndefined();
    expect(ipv6Subnet64('2001:0db8:0001:0002:0:0:0:1')).toBe('2001:db8:1:2::/64');
    expect(ipv6Subnet64('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipv6Subnet64('::1')).toBe('0:0:0:0::/64');
    expect(ipv6Subnet64('fe80::')).toBe('fe80:0:0:0::/64');
    expect(ipv6Subnet64('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('counts each address the same however many addresses it saw in between', () => {
    const limits = new ConnectLimits(policy, () => 0);
    for (let round = 0; round < 5; round++) {
      expect(limits.checkAddress('192.0.2.7', round)).toBeUndefined();
      for (let i = 0; i < 1_500; i++) limits.checkAddress(`198.51.${i >> 8}.${i & 255}`, round); // more than it remembers
      expect(limits.checkAddress('127.0.0.1', round)).toBeUndefined();
    }
    expect(limits.checkAddress('192.0.2.7', 5)).toMatchObject({ code: ErrorCode.CONNECT_RATE_LIMITED });
    expect(limits.checkAddress('not an address', 5)).toBeUndefined();
  });

  it('reads addresses and subnets', () => {
    expect(['10.0.0.0/8', '::1', 'fd00::/8', '192.0.2.1', '0.0.0.0/0'].every(isAddressOrSubnet)).toBe(true);
    expect(['10.0.0.0/33', 'fd00::/129', 'localhost', '10.0.0.0/8/1', '10.0.0/8', ''].some(isAddressOrSubnet)).toBe(false);
    expect(plainAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(plainAddress('0000:0000:0000:0000:0000:0000:0000:0001')).toBe('0000:0000:0000:0000:0000:0000:0000:0001');
    expect(plainAddress('')).toBeUndefined();
  });
});
