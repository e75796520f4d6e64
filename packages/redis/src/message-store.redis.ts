// MessageStore on Redis: reads the messages hash RedisSeqStore writes.
import type Redis from 'ioredis';
import { decodeStoredMessage, type ConversationId, type Seq, type StoredMessage } from '@parley/protocol';
import type { MessageStore } from '@parley/ports';
import type { RedisKeys } from './keys';

export interface RedisMessageStoreOptions {
  /** Shared connection; the store never closes it. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
}

const EPOCH_SEPARATOR = 0x7c; // '|'

/**
 * One round trip (the two reads are auto-pipelined). A stored value whose epoch is not
 * the conversation's current one is left out: it survived a partial loss of the
 * conversation's keys and its seq now belongs (or will belong) to another message.
 */
export class RedisMessageStore implements MessageStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(options: RedisMessageStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
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
      if (!value) return;
      const separatorAt = value.indexOf(EPOCH_SEPARATOR);
      if (separatorAt < 0 || value.toString('latin1', 0, separatorAt) !== epoch) return;
      const message = decodeStoredMessage(value.subarray(separatorAt + 1));
      message.position = { epoch, seq: seqs[index]! };
      found.push(message);
    });
    return found;
  }
}
