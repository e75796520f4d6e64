// The metrics registry every service of a process shares, and the metrics that more
// than one service records. Service-specific metrics live in each service.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry };

export interface SharedMetrics {
  readonly registry: Registry;
  /** Packets by protocol name (msg:R, ack:N, ...) and direction (in = from clients). */
  readonly packets: Counter<'type' | 'direction'>;
  /** Errors by stable code name, and where they were raised. */
  readonly errors: Counter<'code' | 'service'>;
  /** Bus consumer lag in records, per group and topic. */
  readonly consumerLag: Gauge<'group' | 'topic'>;
  /** Poison records set aside on the dead-letter topic, per source topic and reason (error code or class). */
  readonly deadLetters: Counter<'topic' | 'reason'>;
  /** Consumers found stalled (records waiting, no batch finished within PARLEY_CONSUMER_STALL_MS). */
  readonly consumerStalls: Counter<'group' | 'topic'>;
  /** Requests a Kafka broker answered to this process, by API (Produce, Fetch, OffsetCommit, Heartbeat, ...). */
  readonly kafkaRequests: Counter<'api'>;
}

const registries = new WeakMap<Registry, SharedMetrics>();

/** Returns the shared metrics of `registry`, creating them once per registry. */
export function sharedMetrics(registry: Registry): SharedMetrics {
  const existing = registries.get(registry);
  if (existing) return existing;
  const metrics: SharedMetrics = {
    registry,
    packets: new Counter({
      name: 'parley_packets_total',
      help: 'Protocol packets by type and direction',
      labelNames: ['type', 'direction'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'parley_errors_total',
      help: 'Refused requests and failures by error code',
      labelNames: ['code', 'service'],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'parley_bus_consumer_lag',
      help: 'Records not yet committed by a consumer group',
      labelNames: ['group', 'topic'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'parley_consumer_dead_letters_total',
      help: 'Records that failed on their own (not transiently) and were written to the dead-letter topic',
      labelNames: ['topic', 'reason'],
      registers: [registry],
    }),
    consumerStalls: new Counter({
      name: 'parley_consumer_stalls_total',
      help: 'Consumers that had records waiting but finished no batch within the stall bound',
      labelNames: ['group', 'topic'],
      registers: [registry],
    }),
    kafkaRequests: new Counter({
      name: 'parley_kafka_requests_total',
      help: 'Requests a Kafka broker answered to this process (producer, consumers, admin), by API name',
      labelNames: ['api'],
      registers: [registry],
    }),
  };
  registries.set(registry, metrics);
  return metrics;
}

/**
 * How often the event-loop delay is sampled, in ms. prom-client's default (10 ms) wakes an idle
 * process 100 times a second for this alone; at 100 ms a stall still shows in full (it delays
 * the next sample by its length, and the alert's threshold is 200 ms), with 10 samples a second.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  return registry;
}
