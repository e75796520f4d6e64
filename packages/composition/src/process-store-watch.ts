// The StoreWatch of one process (one per process, shared by the services that react to a
// loss of the store's data), with its metric.
import { Counter, createLogger, type Logger, type Registry } from '@parley/observability';
import type { Clock, StoreGeneration } from '@parley/ports';
import { StoreWatch } from '@parley/runtime';

/** How a process's StoreWatch reads and reports (defaults: silent, unregistered metric, 1 s). */
export interface StoreWatchSettings {
  readonly logger?: Logger;
  readonly registry?: Registry;
  readonly intervalMs?: number;
}

/** The StoreWatch of one process's infrastructure, with its `parley_store_data_loss_total` counter. */
export function createStoreWatch(generation: StoreGeneration, clock: Clock, settings: StoreWatchSettings = {}): StoreWatch {
  const losses = new Counter({
    name: 'parley_store_data_loss_total',
    help: 'Times this process saw the store (Redis) lose its data: its generation marker gone or replaced',
    registers: settings.registry ? [settings.registry] : [],
  });
  return new StoreWatch(generation, {
    intervalMs: settings.intervalMs ?? 1_000,
    clock,
    logger: settings.logger ?? createLogger('parley', 'silent'),
    losses,
  });
}
