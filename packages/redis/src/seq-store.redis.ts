// SeqStore on Redis: one Lua script per request assigns (epoch, seq), dedupes the msgId
// and stores the message, atomically.
import type Redis from 'ioredis';
import { encodeStoredMessage, asEpoch } from '@parley/protocol';
import { newEpoch, SystemClock, type AssignRequest, type Assignment, type Clock, type SeqStore } from '@parley/ports';
import type { RedisKeys } from './keys';
import { asBuffer, execPipeline } from './redis-connection';

export interface RedisSeqStoreOptions {
  /** Shared connection; the store never closes it. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /**
   * How long after a conversation's last new message its msgIds are still recognised,
   * in milliseconds. Default 7 days: far longer than any client keeps retransmitting.
   */
  readonly dedupeWindowMs?: number;
  /** Time for new epoch names. Default: the system clock. */
  readonly clock?: Clock;
}

export const DEFAULT_DEDUPE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

const ASSIGN_SEQ_COMMAND = 'parleyAssignSeq';

/**
 * KEYS: counter hash, dedupe hash, messages hash (one conversation, one slot).
 * ARGV: msgId, epoch candidate, dedupe window (ms), message bytes (without position).
 * Returns { epoch, seq, duplicate (0/1) }.
 *
 * The counter is read first: a dedupe entry counts only when it belongs to the current
 * epoch. If the counter was lost alone (evicted, or a partial restore) an old entry
 * would otherwise hand out a position of an epoch that no longer exists.
 */
const ASSIGN_SEQ_LUA = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[2]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
end
local previous = redis.call('HGET', KEYS[2], ARGV[1])
if previous then
  local at = string.find(previous, ':', 1, true)
  if at and string.sub(previous, 1, at - 1) == epoch then
    return { epoch, tonumber(string.sub(previous, at + 1)), 1 }
  end
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('HSET', KEYS[2], ARGV[1], epoch .. ':' .. seq)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], seq, epoch .. '|' .. ARGV[4])
return { epoch, seq, 0 }
`;

type AssignSeqCommand = (
  counterKey: string,
  dedupeKey: string,
  messagesKey: string,
  msgId: string,
  epochCandidate: string,
  dedupeWindowMs: number,
  message: Buffer,
) => unknown;

/**
 * Requests of one `assign` call go out in one pipeline; Redis runs each script alone,
 * so concurrent callers never share a seq, and one connection keeps array order.
 * Deduplication: the dedupe hash expires `dedupeWindowMs` after the conversation's last
 * new message, so a msgId is recognised for at least that long (an active conversation's
 * hash keeps growing until it goes quiet for a whole window). Stored messages do not
 * expire here: retention is not this store's decision.
 */
export class RedisSeqStore implements SeqStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly dedupeWindowMs: number;
  private readonly clock: Clock;

  constructor(options: RedisSeqStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.dedupeWindowMs = options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
    this.clock = options.clock ?? new SystemClock();
    if (!Number.isSafeInteger(this.dedupeWindowMs) || this.dedupeWindowMs < 1) {
      throw new RangeError(`dedupeWindowMs must be a positive integer, got ${this.dedupeWindowMs}`);
    }
    // defineCommand loads the script with EVAL once per connection, then uses EVALSHA.
    if (!(ASSIGN_SEQ_COMMAND in this.redis)) {
      this.redis.defineCommand(ASSIGN_SEQ_COMMAND, { numberOfKeys: 3, lua: ASSIGN_SEQ_LUA });
    }
  }

  async assign(requests: readonly AssignRequest[]): Promise<Assignment[]> {
    if (requests.length === 0) return [];
    const pipeline = this.redis.pipeline();
    const assignSeq = (pipeline as unknown as Record<string, AssignSeqCommand>)[ASSIGN_SEQ_COMMAND]!.bind(pipeline);
    for (const { conversation, msgId, message } of requests) {
      assignSeq(
        this.keys.conversationCounter(conversation),
        this.keys.conversationDedupe(conversation),
        this.keys.conversationMessages(conversation),
        msgId,
        // A fresh candidate per request: only used when the counter is missing, and then
        // it must differ from every epoch the conversation had before.
        newEpoch(this.clock.now()),
        this.dedupeWindowMs,
        asBuffer(encodeStoredMessage({ ...message, position: null })),
      );
    }
    const replies = await execPipeline(pipeline);
    return replies.map((reply) => {
      const [epoch, seq, duplicate] = reply as [string, number, number];
      return { epoch: asEpoch(epoch), seq: Number(seq), duplicate: duplicate === 1 };
    });
  }
}
