// @parley/server: gateway, sequencer and delivery in one process.
export * from './server';
export * from './server-config';
