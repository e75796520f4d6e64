// @parley/runtime: what every parley process shares, without choosing an adapter: topic names,
// the settings every service reads, the process lifecycle, and consuming a topic (poison
// records dead-lettered, stall watchdog, lag reported). Adapters are built by @parley/composition.
export * from './topics';
export * from './infrastructure-settings';
export * from './lifecycle';
export * from './lag-reporter';
export * from './consumer';
export * from './stage-consumer';
export * from './stage-process';
export * from './store-watch';
export * from './failure-kind';
export * from './dead-letters';
export * from './poison-isolation';
export * from './stall-watchdog';
export * from './consumer-settings';
export * from './app-event-settings';
export * from './unheard-repeats';
export * from './settings-catalog';
