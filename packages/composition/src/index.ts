// @parley/composition: the composition root. Builds the adapters a process runs on from its
// configuration (Kafka + Redis, or the in-memory set of the embedded mode). Imported only by
// the services' main.ts files, the all-in-one server and tests: the services' libraries
// receive the ports they use and never see kafkajs or ioredis.
// real-infrastructure.ts is not exported: createInfrastructure loads it only when Kafka and
// Redis are configured, so the embedded mode never opens them.
export * from './infrastructure';
export * from './create-infrastructure';
export * from './memory-infrastructure';
export * from './process-store-watch';
export * from './retention-from-config';
