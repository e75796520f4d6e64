// @parley/ports: the interfaces parley's services use for every external system,
// with in-memory adapters (single process only) and shared contract test suites.
export * from './bus';
export * from './seq-store';
export * from './message-store';
export * from './inbox';
export * from './presence';
export * from './downlink';
export * from './membership';
export * from './conversation-index';
export * from './closable';
export * from './unavailable';
export * from './clock';
export * from './epoch';
export * from './conversation-log.memory';
export * from './seq-store.memory';
export * from './message-store.memory';
export * from './inbox.memory';
export * from './presence.memory';
export * from './downlink.memory';
export * from './bus.memory';
export * from './retention';
export * from './membership.memory';
export * from './conversation-index.memory';
export * from './store-generation';
export * from './store-generation.memory';
export * from './token-revocations';
export * from './token-revocations.memory';
