// The one place that names parley's Redis keys and channels, and says what their values hold.
import type { ConversationId, GatewayId, UserId } from '@parley/protocol';
import { slotTag } from './slots';

/**
 * Key layout, under a configurable prefix (`parley:` by default; tests use a unique
 * prefix each so they can share one Redis and clean up after themselves):
 *
 * - `<p>conv:{<conversation>}:seq`     hash `epoch` -> current epoch, `seq` -> last seq given out,
 *                                       `oldest` -> oldest seq kept (absent: 1; raised by retention)
 * - `<p>conv:{<conversation>}:dedupe`  hash msgId -> `<epoch>:<seq>`, `<user>/<device>` -> that sending
 *                                       device's last client_seq in the current epoch, `:renew` -> when the
 *                                       next new message renews the TTLs (ms); deleted when a new epoch
 *                                       starts; PEXPIRE = dedupe window + renewal interval (msgIds hold no
 *                                       `/` or `:`, senders no `:`: the three kinds of field never collide)
 * - `<p>conv:{<conversation>}:msgs`    hash seq -> `<epoch>|<serverTimeMs>|` + StoredMessage bytes
 *                                       (without position); PEXPIRE = retention maxAgeMs + renewal interval
 * - `<p>conv:{<conversation>}:group`   string: the group exists (created, maybe emptied since); holds
 *                                       its version (1 at creation, +1 per change)
 * - `<p>conv:{<conversation>}:members` set of the group's user ids
 * - `<p>inbox:{<user>}`                zset, all scores 0, members `<conversation>|<epoch>|<seq, 20 digits>`
 * - `<p>inbox:{<user>}:bodies`         hash member -> StoredMessage bytes (with position)
 * - `<p>user:{<user>}:convs`           zset conversation -> last activity (ms since 1970)
 * - `<p>user:{<user>}:acked`           hash conversation -> `<epoch>:<seq>` acknowledged by the user
 * - `<p>user:{<user>}:revoked`         string: Unix seconds before which the user's tokens are refused
 * - `<p>presence:{<user>}`             hash `<gatewayId>|<connectionId>` -> expiry (ms since 1970)
 * - `<p>gateway:{<gatewayId>}:users`   set of users with presence entries from that gateway
 * - `<p>store:generation:{<slot tag>}` string: random id of this life of the shard's data (never
 *                                       expires); one per slot range of a master, at the range's first slot
 * - `<p>groups:restored:{<slot tag>}`  string `1`: every group of the groups log is in this store (set
 *                                       after a rebuild; gone with the data of the slot's shard); one per slot
 * - sharded channel `<p>downlink:{<gatewayId>}`   DownlinkBatch bytes (SPUBLISH / SSUBSCRIBE)
 *
 * Every key of one conversation (and of one user) shares the hash tag `{...}`, so the
 * seq, range and membership Lua scripts and per-user scripts touch a single Redis Cluster
 * slot. Keys that a script reads beside any conversation's keys (the groups-restored mark)
 * exist once per slot, under a tag chosen to land on that slot (`slotTag`); the generation
 * marker exists once per shard. On one server the same names are used: one layout for both.
 */
export class RedisKeys {
  constructor(readonly prefix: string = 'parley:') {
    // A brace in the prefix would become the hash tag of every key: one slot for everything.
    if (/[{}]/.test(prefix)) throw new Error(`redis key prefix must not contain '{' or '}': ${prefix}`);
  }

  conversationCounter(conversation: ConversationId): string {
    return `${this.prefix}conv:${hashTag(conversation)}:seq`;
  }

  conversationDedupe(conversation: ConversationId): string {
    return `${this.prefix}conv:${hashTag(conversation)}:dedupe`;
  }

  conversationMessages(conversation: ConversationId): string {
    return `${this.prefix}conv:${hashTag(conversation)}:msgs`;
  }

  /**
   * The three keys of the seq assign script, in its KEYS order (counter, dedupe, messages):
   * the same names as the methods above, with the hash tag computed once.
   */
  conversationSeqKeys(conversation: ConversationId): [counter: string, dedupe: string, messages: string] {
    const base = `${this.prefix}conv:${hashTag(conversation)}:`;
    return [`${base}seq`, `${base}dedupe`, `${base}msgs`];
  }

  groupMarker(conversation: ConversationId): string {
    return `${this.prefix}conv:${hashTag(conversation)}:group`;
  }

  groupMembers(conversation: ConversationId): string {
    return `${this.prefix}conv:${hashTag(conversation)}:members`;
  }

  userConversations(user: UserId): string {
    return `${this.prefix}user:${hashTag(user)}:convs`;
  }

  userAcked(user: UserId): string {
    return `${this.prefix}user:${hashTag(user)}:acked`;
  }

  userRead(user: UserId): string {
    return `${this.prefix}user:${hashTag(user)}:read`;
  }

  /** Unix seconds before which the user's tokens are refused (token-revocations.redis.ts). */
  userRevokedBefore(user: UserId): string {
    return `${this.prefix}user:${hashTag(user)}:revoked`;
  }

  inbox(user: UserId): string {
    return `${this.prefix}inbox:${hashTag(user)}`;
  }

  inboxBodies(user: UserId): string {
    return `${this.prefix}inbox:${hashTag(user)}:bodies`;
  }

  presence(user: UserId): string {
    return `${this.prefix}presence:${hashTag(user)}`;
  }

  gatewayUsers(gatewayId: GatewayId): string {
    return `${this.prefix}gateway:${hashTag(gatewayId)}:users`;
  }

  /**
   * The generation marker of the shard whose slot range starts at `slot` (on one server: slot 0,
   * the one range). Lives on that shard, so it is lost exactly when that shard's data is.
   */
  storeGeneration(slot: number): string {
    return `${this.prefix}store:generation:{${slotTag(slot)}}`;
  }

  /**
   * Set once the groups are back after a loss of the store's data (or on a new store). One key
   * per slot, read in the same script as a group's keys of that slot, so it is lost exactly
   * when that slot's groups are.
   */
  groupsRestored(slot: number): string {
    return `${this.prefix}groups:restored:{${slotTag(slot)}}`;
  }

  /** A sharded pub/sub channel: on a cluster, only the master of its slot (and its replicas) carry it. */
  downlinkChannel(gatewayId: GatewayId): string {
    return `${this.prefix}downlink:${hashTag(gatewayId)}`;
  }
}

/**
 * `{id}`, with `%`, `{` and `}` percent-encoded: Redis hashes only up to the first `}`,
 * so an id containing one would otherwise split one conversation over several slots.
 * The encoding is injective, so two ids never share keys.
 */
export function hashTag(id: string): string {
  // Most ids hold none of the three: no replace (and its callback) on the per-message path.
  if (!NEEDS_ESCAPE.test(id)) return `{${id}}`;
  return `{${id.replace(ESCAPED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
}

const NEEDS_ESCAPE = /[%{}]/;
const ESCAPED = /[%{}]/g;
