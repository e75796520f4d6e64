// Inbox on Redis: per user, a lexicographically ordered zset of entry names plus a hash of bodies.
import { asConversationId, asEpoch, encodeStoredMessage, type ConversationId, type Epoch, type Seq, type StoredMessage, type UserId } from '@parley/protocol';
import { inboxRefOf, storedMessageAt, type Inbox, type InboxAddition, type InboxPage, type InboxRef } from '@parley/ports';
import type { RedisKeys } from './keys';
import { commandBatch, execPipeline } from './command-batch';
import { asBuffer, type RedisClient } from './redis-connection';

export interface RedisInboxOptions {
  /** Shared connection; the inbox never closes it. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
}

const SEQ_DIGITS = 20;

// Both scripts touch one user's zset (KEYS[1]) and bodies hash (KEYS[2]) atomically: one
// round-trip command per user instead of MULTI, two commands per entry, EXEC.
const ADD_COMMAND = 'parleyInboxAdd';
/** ARGV: member, body, member, body, ...; an entry already there keeps its body. */
const ADD_LUA = `
for i = 1, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'NX', 0, ARGV[i])
  redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 1
`;
const REMOVE_COMMAND = 'parleyInboxRemove';
/** ARGV: members; returns how many were in the zset. */
const REMOVE_LUA = `
local removed = 0
for i = 1, #ARGV do
  removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i])
end
return removed
`;
type InboxCommand = (inboxKey: string, bodiesKey: string, ...args: Array<string | Buffer>) => Promise<unknown>;
const MEMBER_PATTERN = /^(.*)\|([^|]+)\|(\d{20})$/s;

/**
 * Entries are zset members `<conversation>|<epoch>|<seq, zero-padded to 20 digits>`, all
 * with score 0, so ZRANGEBYLEX walks them in (conversation, epoch, seq) order and a page
 * resumes strictly after the member of `after`, even when that entry was removed meanwhile. (Byte order of the member: one conversation's
 * entries are always together and in (epoch, seq) order; two conversations whose ids
 * differ only after one is a prefix of the other sort by the byte after the prefix
 * compared with `|`.) Each user's two keys (one slot) are changed by one Lua script, so
 * an entry and its body appear and disappear together.
 */
export class RedisInbox implements Inbox {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;

  constructor(options: RedisInboxOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    // defineCommand loads each script with EVAL once per connection, then uses EVALSHA.
    if (!(ADD_COMMAND in this.redis)) this.redis.defineCommand(ADD_COMMAND, { numberOfKeys: 2, lua: ADD_LUA });
    if (!(REMOVE_COMMAND in this.redis)) this.redis.defineCommand(REMOVE_COMMAND, { numberOfKeys: 2, lua: REMOVE_LUA });
  }

  async add(additions: readonly InboxAddition[]): Promise<void> {
    if (additions.length === 0) return;
    const byUser = new Map<UserId, Array<string | Buffer>>();
    for (const { user, message } of additions) {
      let args = byUser.get(user);
      if (!args) byUser.set(user, (args = []));
      args.push(inboxMember(inboxRefOf(message)), asBuffer(encodeStoredMessage(message)));
    }
    // One script call per user (its two keys share a hash slot), all in one pipeline.
    const pipeline = commandBatch(this.redis);
    const addToInbox = (pipeline as unknown as Record<string, InboxCommand>)[ADD_COMMAND]!.bind(pipeline);
    for (const [user, args] of byUser) addToInbox(this.keys.inbox(user), this.keys.inboxBodies(user), ...args);
    await execPipeline(pipeline);
  }

  async page(user: UserId, after: InboxRef | undefined, limit: number): Promise<InboxPage> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`inbox page limit must be >= 1, got ${limit}`);
    // One more than asked tells whether there is more without a second count.
    const members = await this.redis.zrangebylex(
      this.keys.inbox(user),
      after ? `(${inboxMember(after)}` : '-',
      '+',
      'LIMIT',
      0,
      limit + 1,
    );
    const hasMore = members.length > limit;
    const taken = members.slice(0, limit);
    if (taken.length === 0) return { messages: [], hasMore: false, next: undefined };
    const bodies = await this.redis.hmgetBuffer(this.keys.inboxBodies(user), ...taken);
    const messages: StoredMessage[] = [];
    taken.forEach((member, index) => {
      const body = bodies[index];
      // Removed between the two reads: gone is gone.
      if (!body) return;
      const ref = parseInboxMember(member);
      messages.push(storedMessageAt(body, ref.epoch, ref.seq));
    });
    return { messages, hasMore, next: hasMore ? parseInboxMember(taken[taken.length - 1]!) : undefined };
  }

  async remove(user: UserId, refs: readonly InboxRef[]): Promise<number> {
    if (refs.length === 0) return 0;
    // A batch, so the removals of one handler call (one per ack) share its other commands' round trip.
    const batch = commandBatch(this.redis);
    const removeFromInbox = (batch as unknown as Record<string, InboxCommand>)[REMOVE_COMMAND]!.bind(batch);
    removeFromInbox(this.keys.inbox(user), this.keys.inboxBodies(user), ...refs.map(inboxMember));
    const [removed] = await execPipeline(batch);
    return Number(removed);
  }

  async holds(entries: ReadonlyArray<{ readonly user: UserId; readonly ref: InboxRef }>): Promise<boolean[]> {
    if (entries.length === 0) return [];
    const pipeline = commandBatch(this.redis);
    for (const { user, ref } of entries) pipeline.zscore(this.keys.inbox(user), inboxMember(ref));
    const scores = (await execPipeline(pipeline)) as Array<string | null>;
    return scores.map((score) => score !== null);
  }

  /** One ZRANGEBYLEX per query (pipelined): the first member at or after `<conversation>|<epoch>|`. */
  async firstHeld(queries: ReadonlyArray<{ readonly user: UserId; readonly conversation: ConversationId; readonly epoch: Epoch }>): Promise<Array<Seq | undefined>> {
    if (queries.length === 0) return [];
    const pipeline = commandBatch(this.redis);
    for (const { user, conversation, epoch } of queries) pipeline.zrangebylex(this.keys.inbox(user), `[${conversation}|${epoch}|`, '+', 'LIMIT', 0, 1);
    const replies = (await execPipeline(pipeline)) as string[][];
    return replies.map((members, i) => {
      const { conversation, epoch } = queries[i]!;
      const first = members[0];
      if (first === undefined) return undefined;
      const ref = parseInboxMember(first);
      return ref.conversation === conversation && ref.epoch === epoch ? ref.seq : undefined;
    });
  }

  async size(user: UserId): Promise<number> {
    return this.redis.zcard(this.keys.inbox(user));
  }
}

export function inboxMember(ref: InboxRef): string {
  return `${ref.conversation}|${ref.epoch}|${String(ref.seq).padStart(SEQ_DIGITS, '0')}`;
}

export function parseInboxMember(member: string): InboxRef {
  const match = MEMBER_PATTERN.exec(member);
  if (!match) throw new Error(`not an inbox member: ${member}`);
  return { conversation: asConversationId(match[1]!), epoch: asEpoch(match[2]!), seq: Number(match[3]) };
}

