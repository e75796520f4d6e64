// MessageStore on Redis: reads the messages hash RedisSeqStore writes, hiding (and lazily
// deleting) messages older than the retention's maxAgeMs.
import { asEpoch, type ConversationId, type Epoch, type Seq, type StoredMessage } from '@parley/protocol';
import {
  checkRangeRequest,
  checkRetention,
  DEFAULT_RETENTION,
  expiryCutoffMs,
  storedMessageAt,
  SystemClock,
  type Clock,
  type MessageRange,
  type MessageStore,
  type RetentionPolicy,
} from '@parley/ports';
import type { RedisKeys } from './keys';
import type { RedisClient } from './redis-connection';

export interface RedisMessageStoreOptions {
  /** Shared connection; the store never closes it. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  /** Its maxAgeMs hides older messages from `range`; give RedisSeqStore the same policy. Default: DEFAULT_RETENTION. */
  readonly retention?: RetentionPolicy;
  /** What "now" is for message age. Default: the system clock. */
  readonly clock?: Clock;
}

/** Most messages one `range` call returns, whatever its limit (bounds the script's HMGET). */
export const MAX_RANGE_MESSAGES = 1_000;

const SEPARATOR = 0x7c; // '|'
const READ_RANGE_COMMAND = 'parleyReadRange';

/**
 * KEYS: counter hash, messages hash (one conversation, one slot).
 * ARGV: afterSeq, limit, cutoff (ms: a message stamped earlier is expired).
 * Returns {} when the conversation has no counter, else { epoch, latest, oldest, values
 * of seqs max(afterSeq + 1, oldest) .. latest, at most limit (nil where missing) }.
 *
 * `oldest` is kept by the seq script for count retention. Age removes a prefix (see
 * expiryCutoffMs), so when the message at `oldest` is gone (expired, missing, or another
 * epoch's leftover) the first kept seq is found by binary search, the gone prefix is
 * deleted and `oldest` raised, atomically with the read: the search runs once per
 * expiry, later reads start right there.
 */
const READ_RANGE_LUA = `
local counter = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'oldest')
local epoch = counter[1]
if not epoch then return {} end
local latest = tonumber(counter[2])
local oldest = math.min(tonumber(counter[3] or 1), latest + 1)
local cutoff = tonumber(ARGV[3])
local function kept(seq)
  local value = redis.call('HGET', KEYS[2], seq)
  if not value then return false end
  local first = string.find(value, '|', 1, true)
  if not first or string.sub(value, 1, first - 1) ~= epoch then return false end
  local second = string.find(value, '|', first + 1, true)
  local time = second and tonumber(string.sub(value, first + 1, second - 1))
  return time ~= nil and time >= cutoff
end
if oldest <= latest and not kept(oldest) then
  local low, high = oldest + 1, latest + 1
  while low < high do
    local middle = math.floor((low + high) / 2)
    if kept(middle) then high = middle else low = middle + 1 end
  end
  if redis.call('EXISTS', KEYS[2]) == 1 then
    for dropped = oldest, low - 1 do
      redis.call('HDEL', KEYS[2], dropped)
    end
  end
  redis.call('HSET', KEYS[1], 'oldest', low)
  oldest = low
end
local from = math.max(tonumber(ARGV[1]) + 1, oldest)
local to = math.min(latest, from + tonumber(ARGV[2]) - 1)
local reply = { epoch, latest, oldest }
if from <= to then
  local seqs = {}
  for seq = from, to do seqs[#seqs + 1] = seq end
  local values = redis.call('HMGET', KEYS[2], unpack(seqs))
  for i = 1, #values do reply[3 + i] = values[i] end
end
return reply
`;

type ReadRangeCommand = (counterKey: string, messagesKey: string, afterSeq: number, limit: number, cutoffMs: number) => Promise<unknown>;

/**
 * `get` is one round trip (the two reads are auto-pipelined), `range` one script call.
 * A stored value whose epoch is not the conversation's current one is left out: it
 * survived a partial loss of the conversation's keys and its seq now belongs (or will
 * belong) to another message. `get` leaves out trimmed messages (deleted as newer ones
 * are stored) but judges no age: an expired message is returned until a `range` call
 * or the messages hash's own expiry deletes it.
 */
export class RedisMessageStore implements MessageStore {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;
  private readonly retention: RetentionPolicy;
  private readonly clock: Clock;

  constructor(options: RedisMessageStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.retention = checkRetention(options.retention ?? DEFAULT_RETENTION);
    this.clock = options.clock ?? new SystemClock();
    if (!(READ_RANGE_COMMAND in this.redis)) {
      this.redis.defineCommand(READ_RANGE_COMMAND, { numberOfKeys: 2, lua: READ_RANGE_LUA });
    }
  }

  async get(conversation: ConversationId, seqs: readonly Seq[]): Promise<StoredMessage[]> {
    if (seqs.length === 0) return [];
    const [epoch, values] = await Promise.all([
      this.redis.hget(this.keys.conversationCounter(conversation), 'epoch'),
      this.redis.hmgetBuffer(this.keys.conversationMessages(conversation), ...seqs.map(String)),
    ]);
    if (epoch === null) return [];
    const found: StoredMessage[] = [];
    values.forEach((value, index) => {
      const message = value && storedMessageOf(value, asEpoch(epoch), seqs[index]!);
      if (message) found.push(message);
    });
    return found;
  }

  /** A limit above MAX_RANGE_MESSAGES is served as MAX_RANGE_MESSAGES. */
  async range(conversation: ConversationId, afterSeq: Seq, limit: number): Promise<MessageRange> {
    checkRangeRequest(afterSeq, limit);
    const readRange = (this.redis as unknown as Record<string, ReadRangeCommand>)[`${READ_RANGE_COMMAND}Buffer`]!.bind(this.redis);
    const reply = (await readRange(
      this.keys.conversationCounter(conversation),
      this.keys.conversationMessages(conversation),
      afterSeq,
      Math.min(limit, MAX_RANGE_MESSAGES),
      expiryCutoffMs(this.retention, this.clock.now()),
    )) as unknown[];
    if (reply.length === 0) return { epoch: asEpoch(''), latestSeq: 0, oldestSeq: 1, messages: [] };
    const [epochBytes, latestSeq, oldestSeq, ...values] = reply as [Buffer, number, number, ...Array<Buffer | null>];
    const epoch = asEpoch(epochBytes.toString('latin1'));
    const from = Math.max(afterSeq + 1, oldestSeq);
    const messages: StoredMessage[] = [];
    for (const [index, value] of values.entries()) {
      const message = value && storedMessageOf(value, epoch, from + index);
      // Missing or another epoch's: never expected past `oldest`, but the answer must stay contiguous.
      if (!message) break;
      messages.push(message);
    }
    return { epoch, latestSeq: Number(latestSeq), oldestSeq: Number(oldestSeq), messages };
  }
}

/** Decodes `<epoch>|<server time>|<bytes>` into the message at `seq`, or undefined when it is another epoch's. */
function storedMessageOf(value: Buffer, epoch: Epoch, seq: Seq): StoredMessage | undefined {
  const epochEnd = value.indexOf(SEPARATOR);
  if (epochEnd < 0 || value.toString('latin1', 0, epochEnd) !== epoch) return undefined;
  const timeEnd = value.indexOf(SEPARATOR, epochEnd + 1);
  if (timeEnd < 0) return undefined;
  return storedMessageAt(value.subarray(timeEnd + 1), epoch, seq);
}
