// ConversationIndex on Redis: per user, a zset of conversations scored by last activity
// and a hash of acknowledged positions and one of read positions.
import { asConversationId, asEpoch, type ConversationId, type Epoch, type Seq, type UserId } from '@parley/protocol';
import type { AckedPosition, ConversationActivity, ConversationEntry, ConversationIndex } from '@parley/ports';
import type { RedisKeys } from './keys';
import { commandBatch, execPipeline } from './command-batch';
import type { RedisClient } from './redis-connection';

export interface RedisConversationIndexOptions {
  /** Shared connection; the index never closes it. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
}

const ACK_COMMAND = 'parleyAckConversations';

/**
 * KEYS[1]: one user's acked hash. ARGV: (conversation, epoch, seq) triples.
 * Writes `<epoch>:<seq>` unless the stored position supersedes it: same epoch and a seq
 * at least as high, or an epoch that sorts later (epochs sort by creation time, so an
 * ack of a previous life arriving late changes nothing). Epochs are compared byte by
 * byte: Lua's `<` follows the server's locale. Epochs never contain ':'.
 */
const ACK_LUA = `
local function sortsAfter(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end
for i = 1, #ARGV, 3 do
  local epoch, seq = ARGV[i + 1], tonumber(ARGV[i + 2])
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  local write = true
  if current then
    local at = string.find(current, ':', 1, true)
    local currentEpoch = string.sub(current, 1, at - 1)
    if currentEpoch == epoch then
      write = seq > tonumber(string.sub(current, at + 1))
    else
      write = sortsAfter(epoch, currentEpoch)
    end
  end
  if write then redis.call('HSET', KEYS[1], ARGV[i], epoch .. ':' .. seq) end
end
return 0
`;

type AckCommand = (ackedKey: string, ...triples: Array<string | number>) => unknown;

/**
 * Every call is one round trip: `touch` and `ack` send one command (ZADD GT, or the ack
 * script) per user in one pipeline, so a message to a 5,000-member group costs one
 * pipeline, not 5,000 round trips; `acked` pipelines one HGET per user. `list` takes two
 * (the zset, then the acked positions of what it returned). Each user's keys share the
 * user's hash tag. Nothing is trimmed: a user's zset grows with every conversation the
 * user ever had. Needs Redis >= 6.2 (ZADD GT).
 */
export class RedisConversationIndex implements ConversationIndex {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;

  constructor(options: RedisConversationIndexOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    if (!(ACK_COMMAND in this.redis)) {
      this.redis.defineCommand(ACK_COMMAND, { numberOfKeys: 1, lua: ACK_LUA });
    }
  }

  async touch(activity: readonly ConversationActivity[]): Promise<void> {
    if (activity.length === 0) return;
    const pipeline = commandBatch(this.redis);
    for (const [user, entries] of groupByUser(activity)) {
      // GT: an existing conversation only moves to a later time; a new one is added.
      pipeline.zadd(this.keys.userConversations(user), 'GT', ...entries.flatMap((e) => [e.atMs, e.conversation]));
    }
    await execPipeline(pipeline);
  }

  async ack(positions: readonly AckedPosition[]): Promise<void> {
    await this.record(positions, (user) => this.keys.userAcked(user), 'acked');
  }

  /** Read positions follow the acked positions' rule (one script), in their own hash. */
  async read(positions: readonly AckedPosition[]): Promise<void> {
    await this.record(positions, (user) => this.keys.userRead(user), 'read');
  }

  async reads(conversation: ConversationId, users: readonly UserId[]): Promise<Array<{ epoch: Epoch; seq: Seq } | undefined>> {
    return this.positions(conversation, users, (user) => this.keys.userRead(user));
  }

  private async record(positions: readonly AckedPosition[], keyOf: (user: UserId) => string, what: string): Promise<void> {
    if (positions.length === 0) return;
    for (const { seq } of positions) {
      if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`${what} seq must be a non-negative integer, got ${seq}`);
    }
    const pipeline = commandBatch(this.redis);
    const recordPositions = (pipeline as unknown as Record<string, AckCommand>)[ACK_COMMAND]!.bind(pipeline);
    for (const [user, entries] of groupByUser(positions)) {
      recordPositions(keyOf(user), ...entries.flatMap((e) => [e.conversation, e.epoch, e.seq]));
    }
    await execPipeline(pipeline);
  }

  private async positions(conversation: ConversationId, users: readonly UserId[], keyOf: (user: UserId) => string): Promise<Array<{ epoch: Epoch; seq: Seq } | undefined>> {
    if (users.length === 0) return [];
    const pipeline = commandBatch(this.redis);
    for (const user of users) pipeline.hget(keyOf(user), conversation);
    const replies = (await execPipeline(pipeline)) as Array<string | null>;
    return replies.map(parsePosition);
  }

  async list(user: UserId, limit: number): Promise<ConversationEntry[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`conversation list limit must be >= 1, got ${limit}`);
    const flat = await this.redis.zrevrange(this.keys.userConversations(user), 0, limit - 1, 'WITHSCORES');
    if (flat.length === 0) return [];
    const conversations: ConversationId[] = [];
    for (let i = 0; i < flat.length; i += 2) conversations.push(asConversationId(flat[i]!));
    const [acked, read] = await Promise.all([
      this.redis.hmget(this.keys.userAcked(user), ...conversations),
      this.redis.hmget(this.keys.userRead(user), ...conversations),
    ]);
    return conversations.map((conversation, i) => ({
      conversation,
      lastActivityMs: Number(flat[2 * i + 1]),
      acked: parsePosition(acked[i] ?? null),
      read: parsePosition(read[i] ?? null),
    }));
  }

  async acked(conversation: ConversationId, users: readonly UserId[]): Promise<Array<{ epoch: Epoch; seq: Seq } | undefined>> {
    return this.positions(conversation, users, (user) => this.keys.userAcked(user));
  }
}

function parsePosition(value: string | null): { epoch: Epoch; seq: Seq } | undefined {
  if (value === null) return undefined;
  const at = value.indexOf(':');
  return { epoch: asEpoch(value.slice(0, at)), seq: Number(value.slice(at + 1)) };
}

function groupByUser<T extends { readonly user: UserId }>(items: readonly T[]): Map<UserId, T[]> {
  const byUser = new Map<UserId, T[]>();
  for (const item of items) {
    const entries = byUser.get(item.user);
    if (entries) entries.push(item);
    else byUser.set(item.user, [item]);
  }
  return byUser;
}
