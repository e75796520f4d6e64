// @parley/ports: the interfaces parley's services use for every external system,
// with in-memory adapters (single process only) and shared contract test suites.
export * from './bus';
export * from './seq-store';
export * from './message-store';
export * from './inbox';
export * from './presence';
export * from './downlink';
export * from './closable';
export * from './clock';
