// SeqStore on Redis: one Lua script per request assigns (epoch, seq), dedupes the msgId,
// enforces the sending device's client_seq order, stores the message and trims the
// conversation to its retention, atomically.
import type { ChainableCommander } from 'ioredis';
import { encodeStoredMessage, asEpoch } from '@parley/protocol';
import {
  checkRetention,
  DEFAULT_RETENTION,
  newEpoch,
  SystemClock,
  type AssignRequest,
  type Assignment,
  type Clock,
  type RetentionPolicy,
  type SeqStore,
} from '@parley/ports';
import type { RedisKeys } from './keys';
import { commandBatch, execPipeline } from './command-batch';
import { asBuffer, isCluster, type RedisClient } from './redis-connection';
import { slotOf } from './slots';

export interface RedisSeqStoreOptions {
  /** Shared connection; the store never closes it. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  /**
   * How long after a conversation's last new message its msgIds are still recognised,
   * in milliseconds. Default 7 days: far longer than any client keeps retransmitting.
   */
  readonly dedupeWindowMs?: number;
  /** Time for new epoch names. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * Messages kept per conversation: storing seq N deletes seq N - maxMessages; the
   * messages hash expires maxAgeMs after the conversation's last message (RedisMessageStore
   * hides older messages before that). Give RedisMessageStore the same policy.
   * Default: DEFAULT_RETENTION (10,000 messages, 30 days).
   */
  readonly retention?: RetentionPolicy;
  /**
   * Replicas that must hold an assignment before `assign` returns it (Redis WAIT after the
   * scripts, on the connection that ran them). 0 (the default) returns at once. With replicas
   * (Redis Cluster, or a server with replicas and failover), set it to the replicas each master
   * has: a replica promoted after its master failed then holds every (epoch, seq) anyone was
   * told, so the seqs it hands out again were never seen. An assignment not acknowledged in
   * time is refused with ReplicaAckError (it may be on the master only; retrying is safe:
   * a surviving write answers `duplicate` with the same seq).
   */
  readonly replicaAcks?: number;
  /** How long WAIT waits for `replicaAcks` replicas, in milliseconds. Default 1000. */
  readonly replicaAckTimeoutMs?: number;
}

/** Fewer replicas than asked acknowledged an assignment in time: it was not given out. */
export class ReplicaAckError extends Error {
  constructor(
    readonly acknowledged: number,
    readonly required: number,
  ) {
    super(`redis: ${acknowledged} of ${required} replicas acknowledged the seq assignments in time; they are not given out`);
    this.name = 'ReplicaAckError';
  }
}

export const DEFAULT_DEDUPE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

const ASSIGN_SEQ_COMMAND = 'parleyAssignSeq';

/** The dedupe hash's field holding when the script next renews the TTLs (`:` is in no msgId and no sender). */
const RENEW_FIELD = ':renew';
/** At most this long between two renewals of a conversation's TTLs (shorter for short windows). */
const MAX_RENEW_EVERY_MS = 60 * 60 * 1000;

/**
 * KEYS: counter hash, dedupe hash, messages hash (one conversation, one slot).
 * ARGV: msgId, epoch candidate, dedupe hash TTL (ms), message bytes (without position),
 * server time (ms), maxMessages, messages hash TTL (ms), sender device (`<user>/<device>`),
 * client_seq, now (ms), renewal interval (ms).
 * Returns { 'new' | 'duplicate', epoch, seq }, { 'out_of_order', expected client_seq }
 * or { 'client_seq_reused', last client_seq }.
 *
 * The counter is read first: a dedupe entry counts only when it belongs to the current
 * epoch. If the counter was lost alone (evicted, or a partial restore) an old entry
 * would otherwise hand out a position of an epoch that no longer exists. A new epoch
 * deletes the dedupe hash: its msgIds could never match the new epoch, and the sending
 * devices' client_seqs in it belong to the old one.
 *
 * One read of the dedupe hash gives the msgId's entry, the sending device's last client_seq
 * (field `<user>/<device>`) and the renewal time. The client_seq check comes after
 * deduplication (a retransmit is answered whatever its client_seq) and before any write: a
 * refusal leaves the store as it was and takes no seq.
 *
 * TTLs: the dedupe and messages hashes live their window (dedupe window, retention maxAge)
 * after the conversation's last new message. Rather than a PEXPIRE of each per message, the
 * script sets both TTLs to window + interval once per renewal interval (field `:renew` of the
 * dedupe hash: the time from which the next new message renews), so at every new message
 * both keys still have at least their window left; a key outlives its window by at most
 * the interval. A dedupe hash that is new (new epoch, expired, lost) has no `:renew` and is
 * renewed at once. A renewal time further ahead than one interval (a sequencer whose clock
 * is behind the last one's) renews too.
 *
 * The stored value starts with `<epoch>|<server time>|` so readers drop another epoch's
 * leftovers and the range script judges age without decoding protobuf. Count retention:
 * every seq below N - maxMessages + 1 is deleted as seq N is stored and `oldest` moves
 * there; normally that is one HDEL (after a smaller maxMessages was deployed, the
 * backlog goes once). `oldest` only ever moves up: the range script may have raised it
 * further for age.
 */
const ASSIGN_SEQ_LUA = `
local counter = redis.call('HMGET', KEYS[1], 'epoch', 'oldest')
local epoch = counter[1]
local last, renewAt
if not epoch then
  epoch = ARGV[2]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
  redis.call('DEL', KEYS[2])
else
  local dedupe = redis.call('HMGET', KEYS[2], ARGV[1], ARGV[8], '${RENEW_FIELD}')
  local previous = dedupe[1]
  if previous then
    local at = string.find(previous, ':', 1, true)
    if at and string.sub(previous, 1, at - 1) == epoch then
      return { 'duplicate', epoch, tonumber(string.sub(previous, at + 1)) }
    end
  end
  last, renewAt = dedupe[2], tonumber(dedupe[3])
end
local clientSeq = tonumber(ARGV[9])
if clientSeq > 0 and last then
  last = tonumber(last)
  if clientSeq > last + 1 then return { 'out_of_order', last + 1 } end
  if clientSeq <= last then return { 'client_seq_reused', last } end
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local now, renewEvery = tonumber(ARGV[10]), tonumber(ARGV[11])
local renew = (not renewAt) or now >= renewAt or renewAt - now > renewEvery
local fields = { ARGV[1], epoch .. ':' .. seq }
if clientSeq > 0 then
  fields[3] = ARGV[8]
  fields[4] = ARGV[9]
end
if renew then
  fields[#fields + 1] = '${RENEW_FIELD}'
  fields[#fields + 1] = now + renewEvery
end
redis.call('HSET', KEYS[2], unpack(fields))
redis.call('HSET', KEYS[3], seq, epoch .. '|' .. ARGV[5] .. '|' .. ARGV[4])
if renew then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
local keepFrom = seq - tonumber(ARGV[6]) + 1
if keepFrom > 1 then
  local oldest = tonumber(counter[2] or 1)
  if keepFrom > oldest then
    for dropped = oldest, keepFrom - 1 do
      redis.call('HDEL', KEYS[3], dropped)
    end
    redis.call('HSET', KEYS[1], 'oldest', keepFrom)
  end
end
return { 'new', epoch, seq }
`;

type AssignSeqCommand = (
  counterKey: string,
  dedupeKey: string,
  messagesKey: string,
  msgId: string,
  epochCandidate: string,
  dedupeTtlMs: number,
  message: Buffer,
  serverTimeMs: string,
  maxMessages: number,
  messagesTtlMs: number,
  sender: string,
  clientSeq: string,
  nowMs: string,
  renewEveryMs: number,
) => unknown;

type AssignSeqReply = ['new' | 'duplicate', string, number] | ['out_of_order' | 'client_seq_reused', number];

function toAssignment(reply: AssignSeqReply): Assignment {
  switch (reply[0]) {
    case 'new':
    case 'duplicate':
      return { outcome: reply[0], epoch: asEpoch(reply[1]), seq: Number(reply[2]) };
    case 'out_of_order':
      return { outcome: 'out_of_order', expectedClientSeq: Number(reply[1]) };
    case 'client_seq_reused':
      return { outcome: 'client_seq_reused', lastClientSeq: Number(reply[1]) };
    default:
      throw new Error(`unexpected reply of the assign script: ${JSON.stringify(reply)}`);
  }
}

/**
 * Requests of one `assign` call go out in one pipeline; Redis runs each script alone,
 * so concurrent callers never share a seq, and one connection keeps array order.
 * Deduplication: the dedupe hash expires `dedupeWindowMs` after the conversation's last
 * new message, so a msgId is recognised for at least that long (an active conversation's
 * hash keeps growing until it goes quiet for a whole window), whatever retention did to
 * the message itself: a retransmit of a trimmed message is still a duplicate. Each device's
 * last client_seq is a field of the same hash: it lives by the same window and ends with the
 * epoch. The TTLs are renewed once per `renewEveryMs` of new messages, not per message (see
 * the script).
 */
export class RedisSeqStore implements SeqStore {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;
  private readonly dedupeWindowMs: number;
  private readonly clock: Clock;
  private readonly retention: RetentionPolicy;
  private readonly replicaAcks: number;
  private readonly replicaAckTimeoutMs: number;
  /** How often a conversation's TTLs are renewed: a twentieth of the shorter window, at most an hour. */
  private readonly renewEveryMs: number;

  constructor(options: RedisSeqStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.dedupeWindowMs = options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
    this.clock = options.clock ?? new SystemClock();
    this.retention = checkRetention(options.retention ?? DEFAULT_RETENTION);
    this.replicaAcks = options.replicaAcks ?? 0;
    this.replicaAckTimeoutMs = options.replicaAckTimeoutMs ?? 1_000;
    if (!Number.isSafeInteger(this.replicaAcks) || this.replicaAcks < 0) throw new RangeError(`replicaAcks must be >= 0, got ${this.replicaAcks}`);
    if (!Number.isSafeInteger(this.replicaAckTimeoutMs) || this.replicaAckTimeoutMs < 1) {
      throw new RangeError(`replicaAckTimeoutMs must be a positive integer, got ${this.replicaAckTimeoutMs}`);
    }
    if (!Number.isSafeInteger(this.dedupeWindowMs) || this.dedupeWindowMs < 1) {
      throw new RangeError(`dedupeWindowMs must be a positive integer, got ${this.dedupeWindowMs}`);
    }
    this.renewEveryMs = Math.max(1, Math.min(MAX_RENEW_EVERY_MS, Math.floor(Math.min(this.dedupeWindowMs, this.retention.maxAgeMs) / 20)));
    // defineCommand loads the script with EVAL once per connection, then uses EVALSHA.
    if (!(ASSIGN_SEQ_COMMAND in this.redis)) {
      this.redis.defineCommand(ASSIGN_SEQ_COMMAND, { numberOfKeys: 3, lua: ASSIGN_SEQ_LUA });
    }
  }

  async assign(requests: readonly AssignRequest[]): Promise<Assignment[]> {
    if (requests.length === 0) return [];
    // Only used where a counter is missing; it then differs from every epoch the conversation
    // had before (those were minted by earlier calls: earlier time or another random tail).
    // One per call, not per request: minting one costs a random read.
    const now = this.clock.now();
    const epochCandidate = newEpoch(now);
    const nowMs = String(now);
    if (this.replicaAcks === 0) {
      const batch = commandBatch(this.redis);
      const assignSeq = assignSeqOf(batch);
      for (const request of requests) this.addAssign(assignSeq, request, epochCandidate, nowMs);
      const replies = await execPipeline(batch);
      return replies.map((reply) => toAssignment(reply as AssignSeqReply));
    }
    // WAIT counts the writes of the connection it is sent on: each slot's scripts and their
    // WAIT go in one pipeline, which a cluster client sends to the slot's master.
    const bySlot = new Map<number, number[]>();
    requests.forEach((request, index) => {
      const slot = isCluster(this.redis) ? slotOf(this.keys.conversationCounter(request.conversation)) : 0;
      const indexes = bySlot.get(slot);
      if (indexes) indexes.push(index);
      else bySlot.set(slot, [index]);
    });
    const assignments = new Array<Assignment>(requests.length);
    await Promise.all(
      [...bySlot.values()].map(async (indexes) => {
        const pipeline = this.redis.pipeline();
        const assignSeq = assignSeqOf(pipeline);
        for (const index of indexes) this.addAssign(assignSeq, requests[index]!, epochCandidate, nowMs);
        pipeline.wait(this.replicaAcks, this.replicaAckTimeoutMs);
        const replies = await execPipeline(pipeline);
        const acknowledged = Number(replies[replies.length - 1]);
        if (acknowledged < this.replicaAcks) throw new ReplicaAckError(acknowledged, this.replicaAcks);
        indexes.forEach((index, at) => {
          assignments[index] = toAssignment(replies[at] as AssignSeqReply);
        });
      }),
    );
    return assignments;
  }

  private addAssign(assignSeq: AssignSeqCommand, request: AssignRequest, epochCandidate: string, nowMs: string): void {
    const { conversation, msgId, sender, clientSeq, message } = request;
    const [counterKey, dedupeKey, messagesKey] = this.keys.conversationSeqKeys(conversation);
    assignSeq(
      counterKey,
      dedupeKey,
      messagesKey,
      msgId,
      epochCandidate,
      this.dedupeWindowMs + this.renewEveryMs,
      asBuffer(encodeStoredMessage({ ...message, position: null })),
      String(Math.max(0, Math.trunc(Number(message.serverTimeMs ?? 0)))),
      this.retention.maxMessages,
      this.retention.maxAgeMs + this.renewEveryMs,
      sender,
      String(clientSeq),
      nowMs,
      this.renewEveryMs,
    );
  }
}

/** The assign script's command on a pipeline or batch, bound once per call rather than once per message. */
function assignSeqOf(pipeline: ChainableCommander): AssignSeqCommand {
  return (pipeline as unknown as Record<string, AssignSeqCommand>)[ASSIGN_SEQ_COMMAND]!.bind(pipeline);
}
