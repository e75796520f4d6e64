// What one Kafka client costs per record on a real broker, in the shapes parley produces and
// consumes: ~150 B values keyed by conversation over a few partitions.
// - produce, one record per request: send one, await its acks, send the next (the low-rate case);
// - produce, 100 records per request;
// - consume at a trickle: a child process with the same client produces one record at a time at
//   a fixed rate, this process consumes in a group (commits every 100 ms); CPU per record of the
//   consumer (idle fetches between records included) and of the producer, and the latency from
//   the producer's send to the consumer's handler;
// - consume batched: the same, the child producing 100 records per request as fast as they are
//   acknowledged.
// CPU is this process' own (process.cpuUsage: user + system), plus the broker's from /proc when
// its pid is known (requests the client makes cost the broker too).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Admin } from 'kafkajs';
import path from 'node:path';
import { benchConsumer, benchProducer, type BenchRecord, type ClientName, type ClientSettings } from './kafka-clients';
import { cpuSecondsOf, writeCallsOf } from './proc-cpu';
import { startWindowProfile } from './window-profile';

export interface KafkaClientCostSettings {
  readonly brokers: readonly string[];
  /** The broker's pid, for its CPU per record; absent = not measured. */
  readonly brokerPid?: number;
  readonly client: ClientName;
  /** Topic name prefix; every step gets fresh topics. */
  readonly prefix: string;
  readonly partitions: number;
  readonly valueBytes: number;
  readonly conversations: number;
  /** Records sent one per request (after `warmUp` not measured). */
  readonly single: number;
  /** Records sent 100 per request (and, by the child, while this process consumes them). */
  readonly batched: number;
  /** Records the trickle producer sends, at `trickleRate` a second. */
  readonly trickle: number;
  readonly trickleRate: number;
  readonly warmUp: number;
  /** Writes a CPU profile of every measured window (this process' and the producing child's) there. */
  readonly profileDir?: string;
  /** Steps measured (default: all), in STEP_NAMES' order. */
  readonly steps?: readonly StepName[];
  /** Creates the topics (partition count given); the bench uses one admin for every client. */
  readonly createTopic: (name: string, partitions: number) => Promise<void>;
}

export interface StepResult {
  readonly records: number;
  /** CPU µs per record of the client's process (the consumer's in consume steps). */
  readonly cpuUsPerRecord: number;
  /** Write system calls of the client's process per record (about one per request it sends). */
  readonly writesPerRecord?: number;
  /** CPU µs per record of the broker, when its pid is known. */
  readonly brokerCpuUsPerRecord?: number;
  /** Produce: per request, from send to acks. Trickle: send → consumer handler. ms. */
  readonly latencyMs?: { readonly p50: number; readonly p99: number };
  /** Consume steps: CPU µs per record of the producing child. */
  readonly producerCpuUsPerRecord?: number;
  readonly seconds: number;
}

export const STEP_NAMES = ['produceSingle', 'produceBatched', 'consumeTrickle', 'consumeBatched'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type KafkaClientCostResult = { readonly client: ClientName } & Partial<Record<StepName, StepResult>>;

const BATCH = 100;

/** The producing child's script: beside this file when built, the build's when this runs from src/ (tests). */
function trickleMain(): string {
  const beside = path.join(__dirname, 'kafka-trickle-main.js');
  return existsSync(beside) ? beside : path.join(__dirname, '..', '..', 'dist', 'bench', 'kafka-trickle-main.js');
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function latencyOf(samples: number[]): { p50: number; p99: number } {
  samples.sort((a, b) => a - b);
  return { p50: round(percentile(samples, 0.5)), p99: round(percentile(samples, 0.99)) };
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Wall clock in ms with sub-ms resolution, comparable between processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** `count` records over `conversations` keys; the value's first 8 bytes are free for a timestamp. */
export function benchRecords(count: number, valueBytes: number, conversations: number, first = 0): BenchRecord[] {
  const records: BenchRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    records.push({ key: `c:${(first + i) % conversations}`, value: randomBytes(Math.max(8, valueBytes)) });
  }
  return records;
}

/** CPU of this process and of the broker over a window. */
class CpuWindow {
  private readonly start = process.cpuUsage();
  private readonly writesStart = writeCallsOf(process.pid);
  private readonly brokerStart: number | undefined;
  private readonly wallStart = performance.now();
  constructor(private readonly brokerPid: number | undefined) {
    this.brokerStart = brokerPid === undefined ? undefined : cpuSecondsOf(brokerPid);
  }
  end(records: number): Pick<StepResult, 'records' | 'cpuUsPerRecord' | 'writesPerRecord' | 'brokerCpuUsPerRecord' | 'seconds'> {
    const used = process.cpuUsage(this.start);
    const writesEnd = writeCallsOf(process.pid);
    const writes = this.writesStart !== undefined && writesEnd !== undefined ? (writesEnd - this.writesStart) / records : undefined;
    const brokerEnd = this.brokerPid === undefined ? undefined : cpuSecondsOf(this.brokerPid);
    const broker = this.brokerStart !== undefined && brokerEnd !== undefined ? ((brokerEnd - this.brokerStart) * 1e6) / records : undefined;
    return {
      records,
      cpuUsPerRecord: round((used.user + used.system) / records, 1),
      ...(writes === undefined ? {} : { writesPerRecord: round(writes, 2) }),
      ...(broker === undefined ? {} : { brokerCpuUsPerRecord: round(broker, 1) }),
      seconds: round((performance.now() - this.wallStart) / 1000, 1),
    };
  }
}

function clientSettings(s: KafkaClientCostSettings, role: string): ClientSettings {
  return { brokers: s.brokers, clientId: `kafka-client-bench-${s.client}-${role}` };
}

async function produce(s: KafkaClientCostSettings, topic: string, count: number, perRequest: number, step: StepName): Promise<StepResult> {
  const producer = benchProducer(s.client, clientSettings(s, 'producer'));
  try {
    const warm = benchRecords(s.warmUp, s.valueBytes, s.conversations);
    for (let i = 0; i < warm.length; i += perRequest) await producer.send(topic, warm.slice(i, i + perRequest));
    const requests: BenchRecord[][] = [];
    const records = benchRecords(count, s.valueBytes, s.conversations, s.warmUp);
    for (let i = 0; i < records.length; i += perRequest) requests.push(records.slice(i, i + perRequest));
    const latencies: number[] = [];
    const profile = await startWindowProfile(s.profileDir, `${s.prefix}.${s.client}.${step}`);
    const window = new CpuWindow(s.brokerPid);
    for (const request of requests) {
      const sent = performance.now();
      await producer.send(topic, request);
      latencies.push(performance.now() - sent);
    }
    const result = window.end(count);
    await profile.stop();
    return { ...result, latencyMs: latencyOf(latencies) };
  } finally {
    await producer.close();
  }
}

/** Resolves once `count` records arrived (counted by the caller through `arrived`). */
function counter(): { arrived(): void; reach(count: number): Promise<void> } {
  let seen = 0;
  let target = Number.POSITIVE_INFINITY;
  let done: (() => void) | undefined;
  return {
    arrived() {
      seen += 1;
      if (seen >= target && done) {
        done();
        done = undefined;
      }
    },
    reach(count) {
      target = count;
      if (seen >= count) return Promise.resolve();
      return new Promise<void>((resolve) => (done = resolve));
    },
  };
}

/** Consumes what a child process with the same client produces: `count` records, `perRequest` per request, at `rate` a second (0: unpaced). */
async function consumeWhileProducing(
  s: KafkaClientCostSettings,
  topic: string,
  count: number,
  perRequest: number,
  rate: number,
  step: StepName,
): Promise<StepResult> {
  const profileName = `${s.prefix}.${s.client}.${step}`;
  const latencies: number[] = [];
  let measuring = false;
  const arrivals = counter();
  const consumer = await benchConsumer(s.client, clientSettings(s, 'consumer'), topic, `${topic}.group`, (_key, value) => {
    if (measuring) latencies.push(nowMs() - value.readDoubleLE(0));
    arrivals.arrived();
  });
  const child = fork(trickleMain(), [], {
    env: {
      ...process.env,
      KAFKA_TRICKLE: JSON.stringify({
        brokers: s.brokers,
        client: s.client,
        topic,
        warmUp: s.warmUp,
        count,
        perRequest,
        rate,
        ...(s.profileDir ? { profileDir: s.profileDir, profileName: `${profileName}.producer` } : {}),
        valueBytes: s.valueBytes,
        conversations: s.conversations,
      }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    // The child sends its warm-up records (this consumer joined and reads), then waits for `go`.
    await arrivals.reach(s.warmUp);
    measuring = true;
    const profile = await startWindowProfile(s.profileDir, `${profileName}.consumer`);
    const window = new CpuWindow(s.brokerPid);
    const report = once(child, 'message') as Promise<[{ producerCpuUsPerRecord: number }]>;
    child.send('go');
    await arrivals.reach(s.warmUp + count);
    const result = window.end(count);
    await profile.stop();
    const [{ producerCpuUsPerRecord }] = await report;
    return { ...result, latencyMs: latencyOf(latencies), producerCpuUsPerRecord };
  } finally {
    // The child closes its producer (and writes its profile) and exits; killed if it does not.
    const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve();
    const killer = setTimeout(() => child.kill(), 15_000);
    await exited;
    clearTimeout(killer);
    await consumer.close();
  }
}

/** Creates a topic and resolves once every partition has a leader (a fresh broker may not know it for a moment). */
export function topicCreator(admin: Admin): (name: string, partitions: number) => Promise<void> {
  return async (name, partitions) => {
    await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions, replicationFactor: -1 }], waitForLeaders: false });
    for (;;) {
      const led = await admin.fetchTopicMetadata({ topics: [name] }).then(
        ({ topics }) => topics[0]!.partitions.length === partitions && topics[0]!.partitions.every((p) => p.leader >= 0),
        () => false,
      );
      if (led) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
}

export async function measureKafkaClient(s: KafkaClientCostSettings): Promise<KafkaClientCostResult> {
  const topic = (step: StepName) => `${s.prefix}.${s.client}.${step}`;
  const run: Record<StepName, (topic: string) => Promise<StepResult>> = {
    produceSingle: (t) => produce(s, t, s.single, 1, 'produceSingle'),
    produceBatched: (t) => produce(s, t, s.batched, BATCH, 'produceBatched'),
    consumeTrickle: (t) => consumeWhileProducing(s, t, s.trickle, 1, s.trickleRate, 'consumeTrickle'),
    consumeBatched: (t) => consumeWhileProducing(s, t, s.batched, BATCH, 0, 'consumeBatched'),
  };
  const result: Partial<Record<StepName, StepResult>> = {};
  for (const step of STEP_NAMES.filter((name) => !s.steps || s.steps.includes(name))) {
    await s.createTopic(topic(step), s.partitions);
    result[step] = await run[step](topic(step));
  }
  return { client: s.client, ...result };
}
