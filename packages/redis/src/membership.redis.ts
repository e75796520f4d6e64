// Membership on Redis: per group, an existence marker and a set of members, changed by
// Lua scripts so create and change are atomic.
import type Redis from 'ioredis';
import type { ConversationId, UserId } from '@parley/protocol';
import type { Membership } from '@parley/ports';
import type { RedisKeys } from './keys';

export interface RedisMembershipOptions {
  /** Shared connection; membership never closes it. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
}

const CREATE_GROUP_COMMAND = 'parleyCreateGroup';
const CHANGE_GROUP_COMMAND = 'parleyChangeGroup';

/**
 * KEYS: group marker, members set. ARGV: members. Returns 1 when created, 0 when the
 * group existed (nothing changed). SADD goes in slices: Lua's unpack has a stack limit
 * (about 8,000 values) and groups may be larger.
 */
const CREATE_GROUP_LUA = `
if not redis.call('SET', KEYS[1], '1', 'NX') then return 0 end
for i = 1, #ARGV, 1000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return 1
`;

/**
 * KEYS: group marker, members set. ARGV: number of users to add, those users, then the
 * users to remove. Returns the members afterwards ({} for a group that does not exist,
 * which stays so).
 */
const CHANGE_GROUP_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
local lastAdd = tonumber(ARGV[1]) + 1
for i = 2, lastAdd, 1000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, lastAdd)))
end
for i = lastAdd + 1, #ARGV, 1000 do
  redis.call('SREM', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return redis.call('SMEMBERS', KEYS[2])
`;

type GroupCommand = (markerKey: string, membersKey: string, ...args: Array<string | number>) => Promise<unknown>;

/**
 * The marker makes a group exist apart from its members: an emptied group (its set
 * gone, as Redis drops empty sets) still exists, and `create` refuses it. Both keys
 * carry the conversation's hash tag, so each script touches one cluster slot. Needs
 * Redis >= 6.2 (SMISMEMBER).
 */
export class RedisMembership implements Membership {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(options: RedisMembershipOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    if (!(CREATE_GROUP_COMMAND in this.redis)) {
      this.redis.defineCommand(CREATE_GROUP_COMMAND, { numberOfKeys: 2, lua: CREATE_GROUP_LUA });
      this.redis.defineCommand(CHANGE_GROUP_COMMAND, { numberOfKeys: 2, lua: CHANGE_GROUP_LUA });
    }
  }

  async create(conversation: ConversationId, members: readonly UserId[]): Promise<boolean> {
    const created = await this.command(CREATE_GROUP_COMMAND)(
      this.keys.groupMarker(conversation),
      this.keys.groupMembers(conversation),
      ...members,
    );
    return created === 1;
  }

  async change(conversation: ConversationId, add: readonly UserId[], remove: readonly UserId[]): Promise<UserId[]> {
    const members = (await this.command(CHANGE_GROUP_COMMAND)(
      this.keys.groupMarker(conversation),
      this.keys.groupMembers(conversation),
      add.length,
      ...add,
      ...remove,
    )) as UserId[];
    return members.sort();
  }

  async members(conversation: ConversationId): Promise<UserId[]> {
    const members = (await this.redis.smembers(this.keys.groupMembers(conversation))) as UserId[];
    return members.sort();
  }

  async areMembers(conversation: ConversationId, users: readonly UserId[]): Promise<boolean[]> {
    if (users.length === 0) return [];
    const answers = await this.redis.smismember(this.keys.groupMembers(conversation), ...users);
    return answers.map((answer) => answer === 1);
  }

  private command(name: string): GroupCommand {
    return (this.redis as unknown as Record<string, GroupCommand>)[name]!.bind(this.redis);
  }
}
