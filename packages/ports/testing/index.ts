// @parley/ports/testing: one contract suite per port, run by the tests of every adapter (the
// memory ones here, the Redis and Kafka ones in their packages). Test code only: jest runs it
// through its TypeScript transform; it is never built into dist/ nor shipped in an image.
export * from './bus.contract';
export * from './conversation-index.contract';
export * from './downlink.contract';
export * from './inbox.contract';
export * from './membership.contract';
export * from './presence.contract';
export * from './seq-store.contract';
export * from './store-generation.contract';
export * from './token-revocations.contract';
