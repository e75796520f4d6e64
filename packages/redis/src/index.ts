// @parley/redis: the Redis adapters of parley's ports (seq store, message store, inbox,
// presence, downlink, membership, conversation index), the key layout they share, and
// the connection factory (one server, or Redis Cluster with a `redis+cluster://` URL).
export {
  createRedisConnection,
  closeRedisConnection,
  clusterSeedsOf,
  isCluster,
  CLUSTER_SCHEME,
  type RedisClient,
  type RedisConnectionOptions,
  type ClusterSeed,
} from './redis-connection';
export { RedisKeys, hashTag } from './keys';
export { slotOf, slotTag, shardRanges, SLOT_COUNT, type SlotRange } from './slots';
export { RedisSeqStore, ReplicaAckError, DEFAULT_DEDUPE_WINDOW_MS, type RedisSeqStoreOptions } from './seq-store.redis';
export { RedisMessageStore, MAX_RANGE_MESSAGES, type RedisMessageStoreOptions } from './message-store.redis';
export { RedisInbox, type RedisInboxOptions } from './inbox.redis';
export { RedisPresence, type RedisPresenceOptions } from './presence.redis';
export { RedisDownlink, type RedisDownlinkOptions } from './downlink.redis';
export { RedisMembership, type RedisMembershipOptions } from './membership.redis';
export { RedisConversationIndex, type RedisConversationIndexOptions } from './conversation-index.redis';
export { RedisStoreGeneration, type RedisStoreGenerationOptions } from './store-generation.redis';
export { RedisTokenRevocations, type RedisTokenRevocationsOptions } from './token-revocations.redis';
