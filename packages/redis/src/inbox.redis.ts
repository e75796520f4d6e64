// Inbox on Redis: per user, a lexicographically ordered zset of entry names plus a hash of bodies.
import type Redis from 'ioredis';
import {
  asConversationId,
  asEpoch,
  decodeStoredMessage,
  encodeStoredMessage,
  InvalidFieldError,
  type StoredMessage,
  type UserId,
} from '@parley/protocol';
import { inboxRefOf, type Inbox, type InboxAddition, type InboxPage, type InboxRef } from '@parley/ports';
import type { RedisKeys } from './keys';
import { asBuffer, execPipeline } from './redis-connection';

export interface RedisInboxOptions {
  /** Shared connection; the inbox never closes it. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
}

const SEQ_DIGITS = 20;
const MEMBER_PATTERN = /^(.*)\|([^|]+)\|(\d{20})$/s;

/**
 * Entries are zset members `<conversation>|<epoch>|<seq, zero-padded to 20 digits>`, all
 * with score 0, so ZRANGEBYLEX walks them in (conversation, epoch, seq) order and the
 * cursor is simply the last member returned: paging resumes strictly after it, even
 * when that entry was removed meanwhile. (Byte order of the member: one conversation's
 * entries are always together and in (epoch, seq) order; two conversations whose ids
 * differ only after one is a prefix of the other sort by the byte after the prefix
 * compared with `|`.) Each call touches one user's two keys (one slot) in a MULTI, so
 * an entry and its body appear and disappear together.
 */
export class RedisInbox implements Inbox {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(options: RedisInboxOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
  }

  async add(additions: readonly InboxAddition[]): Promise<void> {
    // Grouped per user, every position checked before anything is sent.
    const byUser = new Map<UserId, Array<{ member: string; message: StoredMessage }>>();
    for (const { user, message } of additions) {
      const entry = { member: inboxMember(inboxRefOf(message)), message };
      const entries = byUser.get(user);
      if (entries) entries.push(entry);
      else byUser.set(user, [entry]);
    }
    // One MULTI per user; auto-pipelining sends them all in one write.
    await Promise.all(
      [...byUser].map(([user, entries]) => {
        const transaction = this.redis.multi();
        for (const { member, message } of entries) {
          transaction.zadd(this.keys.inbox(user), 'NX', 0, member);
          transaction.hsetnx(this.keys.inboxBodies(user), member, asBuffer(encodeStoredMessage(message)));
        }
        return execPipeline(transaction);
      }),
    );
  }

  async page(user: UserId, cursor: string, limit: number): Promise<InboxPage> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`inbox page limit must be >= 1, got ${limit}`);
    if (cursor !== '' && !MEMBER_PATTERN.test(cursor)) {
      throw new InvalidFieldError('cursor', 'not a cursor this server returned');
    }
    // One more than asked tells whether there is more without a second count.
    const members = await this.redis.zrangebylex(
      this.keys.inbox(user),
      cursor === '' ? '-' : `(${cursor}`,
      '+',
      'LIMIT',
      0,
      limit + 1,
    );
    const hasMore = members.length > limit;
    const taken = members.slice(0, limit);
    if (taken.length === 0) return { messages: [], hasMore: false, nextCursor: '' };
    const bodies = await this.redis.hmgetBuffer(this.keys.inboxBodies(user), ...taken);
    const messages: StoredMessage[] = [];
    taken.forEach((member, index) => {
      const body = bodies[index];
      // Removed between the two reads: gone is gone.
      if (!body) return;
      const message = decodeStoredMessage(body);
      const ref = parseInboxMember(member);
      // From the member, so `seq` is a plain number whatever the decoder made of the uint64.
      message.position = { epoch: ref.epoch, seq: ref.seq };
      messages.push(message);
    });
    return { messages, hasMore, nextCursor: hasMore ? taken[taken.length - 1]! : '' };
  }

  async remove(user: UserId, refs: readonly InboxRef[]): Promise<number> {
    if (refs.length === 0) return 0;
    const members = refs.map(inboxMember);
    const replies = await execPipeline(
      this.redis
        .multi()
        .zrem(this.keys.inbox(user), ...members)
        .hdel(this.keys.inboxBodies(user), ...members),
    );
    return Number(replies[0]);
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

