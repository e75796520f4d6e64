// Every PARLEY_* setting some parley process reads, so that one Kubernetes ConfigMap (or one
// environment file) can feed every service: each service validates the settings of its own
// schema, ignores the names listed here that belong to another service, and still refuses
// any other PARLEY_* name (a typo fails at start instead of falling back to a default).
// services/server's unit test keeps this list equal to the union of the services' schemas.

/** Names read by some parley service (gateway, sequencer, delivery, server API, or the all-in-one server). */
export const PARLEY_SETTING_NAMES: readonly string[] = [
  // every service (infrastructure-settings.ts)
  'PARLEY_LOG_LEVEL',
  'PARLEY_LOG_FORMAT',
  'PARLEY_KAFKA_BROKERS',
  'PARLEY_REDIS_URL',
  'PARLEY_TOPIC_PREFIX',
  'PARLEY_TOPIC_PARTITIONS',
  'PARLEY_REDIS_PREFIX',
  'PARLEY_REDIS_REPLICA_ACKS',
  'PARLEY_REDIS_REPLICA_ACK_TIMEOUT_MS',
  'PARLEY_KAFKA_SESSION_TIMEOUT_MS',
  'PARLEY_KAFKA_PARTITIONS_CONCURRENCY',
  'PARLEY_KAFKA_HANDLE_WHILE_SETTLING',
  'PARLEY_RETENTION_MAX_MESSAGES',
  'PARLEY_RETENTION_MAX_AGE_MS',
  'PARLEY_DEDUPE_WINDOW_MS',
  'PARLEY_STORE_CHECK_INTERVAL_MS',
  // gateway, sequencer and delivery (app-event-settings.ts)
  'PARLEY_APP_EVENTS',
  // sequencer and delivery (consumer-settings.ts)
  'PARLEY_CONSUMER_STALL_MS',
  // gateway
  'PARLEY_TLS_CERT_FILE',
  'PARLEY_TLS_KEY_FILE',
  'PARLEY_TLS_KEY_PASSPHRASE_FILE',
  'PARLEY_TLS_RELOAD_CHECK_MS',
  'PARLEY_GATEWAY_ID',
  'PARLEY_GATEWAY_HOST',
  'PARLEY_GATEWAY_PORT',
  'PARLEY_DEV_TOKENS',
  'PARLEY_JWT_SECRET',
  'PARLEY_ALLOWED_ORIGINS',
  'PARLEY_HEARTBEAT_INTERVAL_MS',
  'PARLEY_MAX_FRAME_BYTES',
  'PARLEY_MAX_PAYLOAD_BYTES',
  'PARLEY_MAX_BACKPRESSURE_BYTES',
  'PARLEY_LONG_POLL_MAX_HOLD_MS',
  'PARLEY_PRESENCE_TTL_MS',
  'PARLEY_RATE_LIMIT_FRAMES_PER_SEC',
  'PARLEY_FLOOD_CLOSE_MS',
  'PARLEY_MAX_CONNECTIONS_PER_USER',
  'PARLEY_CONNECTS_PER_USER_PER_MIN',
  'PARLEY_CONNECT_BURST_PER_USER',
  'PARLEY_CONNECTS_PER_ADDRESS_PER_MIN',
  'PARLEY_CONNECT_BURST_PER_ADDRESS',
  'PARLEY_CONNECT_LIMIT_EXEMPT',
  'PARLEY_MAX_TOKEN_BYTES',
  'PARLEY_MAX_OFFLINE_PAGE',
  'PARLEY_MAX_GROUP_MEMBERS',
  'PARLEY_DRAIN_DELAY_MS',
  'PARLEY_DRAIN_WINDOW_MS',
  'PARLEY_TYPING_MIN_INTERVAL_MS',
  // sequencer
  'PARLEY_SEQUENCER_ADMIN_PORT',
  // delivery
  'PARLEY_ACK_TIMEOUT_MS',
  'PARLEY_MAX_REDELIVERIES',
  'PARLEY_MAX_REDELIVERY_BACKOFF_MS',
  'PARLEY_DELIVERY_ADMIN_PORT',
  // the server API (services/api)
  'PARLEY_API_KEYS',
  'PARLEY_API_JWT_SECRET',
  'PARLEY_API_HOST',
  'PARLEY_API_PORT',
  'PARLEY_API_ID',
  'PARLEY_API_SYSTEM_USER',
  'PARLEY_API_ANSWER_TIMEOUT_MS',
  'PARLEY_API_MAX_PAGE',
  'PARLEY_API_MAX_BODY_BYTES',
  'PARLEY_API_ADMIN_PORT',
  'PARLEY_WEBHOOKS',
  'PARLEY_WEBHOOK_TIMEOUT_MS',
  'PARLEY_WEBHOOK_RETRY_BASE_MS',
  'PARLEY_WEBHOOK_RETRY_MAX_MS',
  'PARLEY_WEBHOOK_RETRY_FOR_MS',
  // the all-in-one server
  'PARLEY_ROLES',
];
