// Presence on Redis: per user, a hash of connections with their expiry; per gateway, a
// set of the users it registered, so a restarted gateway can find and drop its entries.
import { asConnectionId, asGatewayId, type GatewayId, type UserId } from '@parley/protocol';
import { SystemClock, type Clock, type Presence, type PresenceEntry } from '@parley/ports';
import type { RedisKeys } from './keys';
import { commandBatch, execPipeline } from './command-batch';
import type { RedisClient } from './redis-connection';

export interface RedisPresenceOptions {
  /** Shared connection; presence never closes it. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  /**
   * Expiry times are written and compared with this clock, so every instance should
   * run on roughly synchronised clocks (skew shortens or lengthens TTLs by as much).
   */
  readonly clock?: Clock;
}

const REGISTER_COMMAND = 'parleyRegisterPresence';

/**
 * KEYS[1]: one user's presence hash. ARGV: now (ms), expiry (ms since 1970), fields.
 * Sets the fields' expiry, drops fields that expired, and makes the key live exactly as
 * long as its longest-lived field: a plain PEXPIRE of the new TTL would cut short a
 * connection registered earlier with a longer one. Returns the number of live fields.
 */
const REGISTER_LUA = `
local now = tonumber(ARGV[1])
for i = 3, #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[2])
end
local latest = 0
local live = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local expiry = tonumber(fields[i + 1])
  if expiry == nil or expiry <= now then
    redis.call('HDEL', KEYS[1], fields[i])
  else
    live = live + 1
    if expiry > latest then latest = expiry end
  end
end
if latest > now then
  redis.call('PEXPIRE', KEYS[1], latest - now)
end
return live
`;

type RegisterCommand = (presenceKey: string, nowMs: number, expiresAtMs: number, ...fields: string[]) => unknown;

/**
 * Needs Redis >= 7.0 (PEXPIRE ... NX / GT). Lookups ignore fields whose expiry passed even
 * while their key lives on. A gateway's user set may name users whose entries from that
 * gateway are gone (unregistered, expired): harmless, `clearGateway` finds nothing there,
 * and the set expires with the longest TTL registered through it. `clearGateway` reads
 * then deletes: it is meant for a gateway that is not registering anything meanwhile.
 */
export class RedisPresence implements Presence {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;
  private readonly clock: Clock;

  constructor(options: RedisPresenceOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.clock = options.clock ?? new SystemClock();
    if (!(REGISTER_COMMAND in this.redis)) {
      this.redis.defineCommand(REGISTER_COMMAND, { numberOfKeys: 1, lua: REGISTER_LUA });
    }
  }

  async register(entries: readonly PresenceEntry[], ttlMs: number): Promise<void> {
    if (entries.length === 0) return;
    if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new RangeError(`presence ttlMs must be a positive integer, got ${ttlMs}`);
    const now = this.clock.now();
    const pipeline = commandBatch(this.redis);
    const registerFields = (pipeline as unknown as Record<string, RegisterCommand>)[REGISTER_COMMAND]!.bind(pipeline);
    for (const [user, fields] of groupBy(entries, (e) => e.user, connectionField)) {
      registerFields(this.keys.presence(user), now, now + ttlMs, ...new Set(fields));
    }
    for (const [gatewayId, users] of groupBy(entries, (e) => e.gatewayId, (e) => e.user)) {
      const key = this.keys.gatewayUsers(gatewayId);
      pipeline.sadd(key, ...new Set(users));
      // NX sets a TTL on a new set, GT only ever lengthens it: the set outlives every entry it indexes.
      pipeline.pexpire(key, ttlMs, 'NX');
      pipeline.pexpire(key, ttlMs, 'GT');
    }
    await execPipeline(pipeline);
  }

  async unregister(entries: readonly PresenceEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = commandBatch(this.redis);
    for (const [user, fields] of groupBy(entries, (e) => e.user, connectionField)) {
      pipeline.hdel(this.keys.presence(user), ...fields);
    }
    await execPipeline(pipeline);
  }

  async lookup(users: readonly UserId[]): Promise<Map<UserId, PresenceEntry[]>> {
    const found = new Map<UserId, PresenceEntry[]>();
    const distinct = [...new Set(users)];
    if (distinct.length === 0) return found;
    const hashes = await this.readPresence(distinct);
    const now = this.clock.now();
    distinct.forEach((user, index) => {
      const live = liveEntries(user, hashes[index]!, now);
      if (live.length > 0) found.set(user, live);
    });
    return found;
  }

  async clearGateway(gatewayId: GatewayId): Promise<number> {
    const usersKey = this.keys.gatewayUsers(gatewayId);
    const users = (await this.redis.smembers(usersKey)) as UserId[];
    if (users.length === 0) return 0;
    const hashes = await this.readPresence(users);
    const now = this.clock.now();
    const pipeline = commandBatch(this.redis);
    let removed = 0;
    users.forEach((user, index) => {
      const fields: string[] = [];
      for (const [field, expiry] of Object.entries(hashes[index]!)) {
        if (parseConnectionField(user, field)?.gatewayId !== gatewayId) continue;
        fields.push(field);
        if (Number(expiry) > now) removed += 1;
      }
      if (fields.length > 0) pipeline.hdel(this.keys.presence(user), ...fields);
    });
    pipeline.del(usersKey);
    await execPipeline(pipeline);
    return removed;
  }

  private async readPresence(users: readonly UserId[]): Promise<Record<string, string>[]> {
    const pipeline = commandBatch(this.redis);
    for (const user of users) pipeline.hgetall(this.keys.presence(user));
    return (await execPipeline(pipeline)) as Record<string, string>[];
  }
}

/** `<gatewayId>|<connectionId>`: gateway ids never contain `|`, connection ids may. */
function connectionField(entry: PresenceEntry): string {
  return `${entry.gatewayId}|${entry.connectionId}`;
}

function parseConnectionField(user: UserId, field: string): PresenceEntry | undefined {
  const at = field.indexOf('|');
  if (at < 0) return undefined;
  return { user, gatewayId: asGatewayId(field.slice(0, at)), connectionId: asConnectionId(field.slice(at + 1)) };
}

function liveEntries(user: UserId, hash: Record<string, string>, now: number): PresenceEntry[] {
  const live: PresenceEntry[] = [];
  for (const [field, expiry] of Object.entries(hash)) {
    if (Number(expiry) <= now) continue;
    const entry = parseConnectionField(user, field);
    if (entry) live.push(entry);
  }
  return live;
}

function groupBy<K, V>(entries: readonly PresenceEntry[], keyOf: (e: PresenceEntry) => K, valueOf: (e: PresenceEntry) => V): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const values = groups.get(key);
    if (values) values.push(valueOf(entry));
    else groups.set(key, [valueOf(entry)]);
  }
  return groups;
}
