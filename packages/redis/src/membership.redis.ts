// Membership on Redis: per group, an existence marker holding the group's version and a set of
// members, changed and read by Lua scripts so each call is atomic, together with the check of
// the "restored" mark that tells a group that does not exist from one the store lost.
import type { ConversationId, UserId } from '@parley/protocol';
import { MembershipUnavailableError, type GroupState, type Membership, type MembershipRestore, type RestoredGroup } from '@parley/ports';
import type { RedisKeys } from './keys';
import { commandBatch, execPipeline } from './command-batch';
import type { RedisClient } from './redis-connection';
import { SLOT_COUNT, slotOf } from './slots';

export interface RedisMembershipOptions {
  /** Shared connection; membership never closes it. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
}

/** The reply of a script that met a group the store does not hold while it is not restored. */
const UNRESTORED = 'PARLEYUNRESTORED';

/** Every script: KEYS[1] group marker (its version), KEYS[2] members set, KEYS[3] restored mark. */
const UNKNOWN_GROUP_LUA = `
if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('${UNRESTORED} membership not restored') end
`;

/**
 * ARGV: members. Returns 1 when created, 0 when the group existed (nothing changed). SADD goes
 * in slices: Lua's unpack has a stack limit (about 8,000 values) and groups may be larger.
 */
const CREATE_GROUP_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
${UNKNOWN_GROUP_LUA}
redis.call('SET', KEYS[1], '1')
for i = 1, #ARGV, 1000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return 1
`;

/**
 * ARGV: number of users to add, those users, then the users to remove. Returns {version,
 * members} afterwards, or nil for a group that does not exist (which stays so).
 */
const CHANGE_GROUP_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  ${UNKNOWN_GROUP_LUA}
  return false
end
local lastAdd = tonumber(ARGV[1]) + 1
for i = 2, lastAdd, 1000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, lastAdd)))
end
for i = lastAdd + 1, #ARGV, 1000 do
  redis.call('SREM', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return {redis.call('INCR', KEYS[1]), redis.call('SMEMBERS', KEYS[2])}
`;

/** Returns {version, members}, or nil for a group that does not exist. */
const GROUP_STATE_LUA = `
local version = redis.call('GET', KEYS[1])
if not version then
  ${UNKNOWN_GROUP_LUA}
  return false
end
return {tonumber(version), redis.call('SMEMBERS', KEYS[2])}
`;

/** ARGV: users. Returns 1 or 0 per user ({} for a group that does not exist: nobody is a member). */
const ARE_MEMBERS_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  ${UNKNOWN_GROUP_LUA}
  return {}
end
local answers = {}
for i = 1, #ARGV, 1000 do
  local slice = redis.call('SMISMEMBER', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  for _, answer in ipairs(slice) do answers[#answers + 1] = answer end
end
return answers
`;

/** KEYS: group marker, members set. ARGV: version, members. Returns 1 when written, 0 when the store holds a newer version. */
const RESTORE_GROUP_LUA = `
local held = tonumber(redis.call('GET', KEYS[1]) or '0')
if held > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[2])
for i = 2, #ARGV, 1000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

const COMMANDS = {
  parleyCreateGroup: { numberOfKeys: 3, lua: CREATE_GROUP_LUA },
  parleyChangeGroupVersioned: { numberOfKeys: 3, lua: CHANGE_GROUP_LUA },
  parleyGroupState: { numberOfKeys: 3, lua: GROUP_STATE_LUA },
  parleyAreMembers: { numberOfKeys: 3, lua: ARE_MEMBERS_LUA },
  parleyRestoreGroup: { numberOfKeys: 2, lua: RESTORE_GROUP_LUA },
} as const;
type CommandName = keyof typeof COMMANDS;
type GroupCommand = (...args: Array<string | number>) => Promise<unknown>;

/** Groups restored per pipeline. */
const RESTORE_SLICE = 500;
/** Slots whose groups-restored marks are set or read per batch. */
const RESTORED_MARK_SLICE = 2_048;

/**
 * The marker makes a group exist apart from its members: an emptied group (its set gone, as
 * Redis drops empty sets) still exists, and `create` refuses it. A marker written before
 * versions existed holds `1`, which reads as version 1. The group's keys carry the
 * conversation's hash tag; the scripts also read the `groups:restored` mark of the group's
 * slot (one mark per slot), so every script touches one Redis Cluster slot, and a shard that
 * lost its data lost its marks with its groups. Needs Redis >= 6.2 (SMISMEMBER).
 */
export class RedisMembership implements Membership, MembershipRestore {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;

  constructor(options: RedisMembershipOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    for (const [name, definition] of Object.entries(COMMANDS)) {
      if (!(name in this.redis)) this.redis.defineCommand(name, definition);
    }
  }

  async create(conversation: ConversationId, members: readonly UserId[]): Promise<boolean> {
    return (await this.run(conversation, 'parleyCreateGroup', ...this.groupKeys(conversation), ...members)) === 1;
  }

  async change(conversation: ConversationId, add: readonly UserId[], remove: readonly UserId[]): Promise<GroupState | undefined> {
    return toState(await this.run(conversation, 'parleyChangeGroupVersioned', ...this.groupKeys(conversation), add.length, ...add, ...remove));
  }

  async members(conversation: ConversationId): Promise<UserId[]> {
    return [...((await this.state(conversation))?.members ?? [])];
  }

  async areMembers(conversation: ConversationId, users: readonly UserId[]): Promise<boolean[]> {
    if (users.length === 0) return [];
    const answers = (await this.run(conversation, 'parleyAreMembers', ...this.groupKeys(conversation), ...users)) as number[];
    return users.map((_, i) => answers[i] === 1);
  }

  async state(conversation: ConversationId): Promise<GroupState | undefined> {
    return toState(await this.run(conversation, 'parleyGroupState', ...this.groupKeys(conversation)));
  }

  async restore(groups: readonly RestoredGroup[]): Promise<void> {
    for (let i = 0; i < groups.length; i += RESTORE_SLICE) {
      const pipeline = commandBatch(this.redis) as unknown as Record<CommandName, (...args: Array<string | number>) => unknown> & { exec(): Promise<Array<[Error | null, unknown]> | null> };
      for (const { conversation, state } of groups.slice(i, i + RESTORE_SLICE)) {
        pipeline.parleyRestoreGroup(this.keys.groupMarker(conversation), this.keys.groupMembers(conversation), state.version, ...state.members);
      }
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    }
  }

  /** Sets the mark of every slot (16384 small keys, in batches). */
  async markRestored(): Promise<void> {
    for (let first = 0; first < SLOT_COUNT; first += RESTORED_MARK_SLICE) {
      const batch = commandBatch(this.redis);
      for (let slot = first; slot < Math.min(first + RESTORED_MARK_SLICE, SLOT_COUNT); slot++) batch.set(this.keys.groupsRestored(slot), '1');
      await execPipeline(batch);
    }
  }

  /** True only when every slot's mark is there: a shard that lost its data lost its slots' marks. */
  async isRestored(): Promise<boolean> {
    for (let first = 0; first < SLOT_COUNT; first += RESTORED_MARK_SLICE) {
      const batch = commandBatch(this.redis);
      for (let slot = first; slot < Math.min(first + RESTORED_MARK_SLICE, SLOT_COUNT); slot++) batch.exists(this.keys.groupsRestored(slot));
      const found = (await execPipeline(batch)) as number[];
      if (found.some((exists) => Number(exists) !== 1)) return false;
    }
    return true;
  }

  private groupKeys(conversation: ConversationId): [string, string, string] {
    const marker = this.keys.groupMarker(conversation);
    return [marker, this.keys.groupMembers(conversation), this.keys.groupsRestored(slotOf(marker))];
  }

  private async run(conversation: ConversationId, name: CommandName, ...args: Array<string | number>): Promise<unknown> {
    const command = (this.redis as unknown as Record<CommandName, GroupCommand>)[name].bind(this.redis);
    try {
      return await command(...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith(UNRESTORED)) throw new MembershipUnavailableError(conversation);
      throw err;
    }
  }
}

function toState(reply: unknown): GroupState | undefined {
  if (!Array.isArray(reply)) return undefined;
  const [version, members] = reply as [number, UserId[]];
  return { version: Number(version), members: [...members].sort() };
}
