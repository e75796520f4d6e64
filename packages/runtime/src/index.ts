// @parley/runtime: what every parley process shares: adapters from configuration,
// topic names, downlink batching and the process lifecycle.
export * from './topics';
export * from './infrastructure';
export * from './infrastructure-config';
export * from './downlink-batcher';
export * from './lifecycle';
export * from './create-infrastructure';
export * from './lag-reporter';
export * from './consumer';
export * from './store-watch';
export * from './failure-kind';
export * from './dead-letters';
export * from './poison-isolation';
export * from './stall-watchdog';
export * from './consumer-settings';
export * from './unheard-repeats';
export * from './settings-catalog';
