// How a service consumes its topic: one group subscription whose fatal stop ends the
// process (unless the caller handles it), with its lag reported as a metric.
import type { BatchHandler, Clock, Subscription } from '@parley/ports';
import { Logger, Registry, sharedMetrics } from '@parley/observability';
import type { Infrastructure } from './infrastructure';
import { exitOnFatal } from './lifecycle';
import { LagReporter } from './lag-reporter';

export interface ConsumerOptions {
  readonly infrastructure: Infrastructure;
  readonly topic: string;
  readonly group: string;
  readonly handler: BatchHandler;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Default: log and exit so a supervisor restarts the process. */
  readonly onFatal?: (error: Error) => void;
}

export async function startConsumer(options: ConsumerOptions): Promise<Subscription> {
  const { infrastructure, topic, group, logger } = options;
  const subscription = await infrastructure.bus.subscribe({
    topic,
    group,
    handler: options.handler,
    onFatal: options.onFatal ?? exitOnFatal(logger, `consumer of ${topic} (group ${group})`),
  });
  const lag = new LagReporter(infrastructure.bus, group, topic, sharedMetrics(options.registry), options.clock, logger);
  lag.start();
  return {
    close: async () => {
      lag.stop();
      await subscription.close();
    },
  };
}
