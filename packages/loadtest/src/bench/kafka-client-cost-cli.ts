#!/usr/bin/env node
// CPU per record and latency of the Kafka clients parley could put behind its Bus port, on a
// real single-node broker (see kafka-client-cost.ts):
//   node packages/loadtest/dist/bench/kafka-client-cost-cli.js --runs 2
//   node packages/loadtest/dist/bench/kafka-client-cost-cli.js --clients platformatic --steps consumeTrickle --cpu-prof /tmp/prof
// Prints one JSON line per client and run, then a table of the medians.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka } from '@parley/kafka';
import { startKafkaBroker } from '@parley/testkit';
import { countOption, runCli } from './cli-numbers';
import { measureKafkaClient, percentile, STEP_NAMES, topicCreator, type KafkaClientCostResult, type StepName, type StepResult } from './kafka-client-cost';
import { CLIENT_NAMES, type ClientName } from './kafka-clients';

const USAGE = `usage: kafka-client-cost-cli.js [--brokers HOST:PORT,...] [--clients kafkajs,platformatic] [--runs R] [--steps S,...]
  [--partitions P] [--value-bytes B] [--conversations C] [--single N] [--batched N] [--trickle N]
  [--trickle-rate R] [--warm-up N] [--cpu-prof DIR]
  --brokers        an existing broker (default: a throwaway single-node KRaft broker of its own,
                   whose CPU per record is then reported too)
  --clients        clients measured, in this order in every run (default kafkajs,platformatic)
  --runs R         rounds over the clients, alternating (default 2)
  --steps S,...    steps measured (default produceSingle,produceBatched,consumeTrickle,consumeBatched)
  --partitions P   partitions of every topic (default 4)
  --value-bytes B  bytes per record value (default 150); keys are conversation ids (--conversations, default 200)
  --single N       records produced one per request, each awaited (default 2000)
  --batched N      records produced 100 per request (default 20000); then a child process produces
                   as many 100 per request, as fast as acknowledged, while this process consumes them
  --trickle N      records a child process produces one at a time at --trickle-rate a second
                   (default 1000 at 100/s) while this process consumes them in a group
  --warm-up N      records sent before each step is measured (default 200)
  --cpu-prof DIR   a CPU profile of each measured window (consumer and producing child apart) in DIR,
                   for cpuprofile-summary.js
Per step: CPU µs per record of the client's process (process.cpuUsage), of the broker, and latency
(produce: per request; consume steps: send → consumer's handler). Both clients: idempotent producer, acks all,
murmur2 partitions; consumer group, offsets committed every 100 ms, 500 ms longest fetch wait.`;

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

function table(results: readonly KafkaClientCostResult[], clients: readonly ClientName[]): string {
  const lines = [
    '| step | client | CPU µs/record | writes/record | broker CPU µs/record | p50 / p99 ms | producer CPU µs/record |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const step of STEP_NAMES) {
    for (const client of clients) {
      const runs = results.filter((r) => r.client === client).flatMap((r) => r[step] ?? []);
      if (runs.length === 0) continue;
      const of = (pick: (r: StepResult) => number | undefined) => {
        const values = runs.map(pick).filter((v): v is number => v !== undefined);
        return values.length === 0 ? '' : String(median(values));
      };
      const latency = runs[0]!.latencyMs ? `${of((r) => r.latencyMs?.p50)} / ${of((r) => r.latencyMs?.p99)}` : '';
      lines.push(
        `| ${step} | ${client} | ${of((r) => r.cpuUsPerRecord)} | ${of((r) => r.writesPerRecord)} | ${of((r) => r.brokerCpuUsPerRecord)} | ${latency} | ${of((r) => r.producerCpuUsPerRecord)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n(medians of ${results.length / clients.length} run(s) per client)`;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        brokers: { type: 'string' },
        clients: { type: 'string' },
        steps: { type: 'string' },
        runs: { type: 'string' },
        partitions: { type: 'string' },
        'value-bytes': { type: 'string' },
        conversations: { type: 'string' },
        single: { type: 'string' },
        batched: { type: 'string' },
        trickle: { type: 'string' },
        'trickle-rate': { type: 'string' },
        'warm-up': { type: 'string' },
        'cpu-prof': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let settings;
  let clients: ClientName[];
  let runs: number;
  let steps: StepName[];
  try {
    clients = (values.clients ?? CLIENT_NAMES.join(',')).split(',').map((name) => {
      if (!(CLIENT_NAMES as readonly string[]).includes(name)) throw new Error(`--clients: unknown client ${name} (${CLIENT_NAMES.join(', ')})`);
      return name as ClientName;
    });
    runs = countOption('runs', values.runs, 2);
    steps = (values.steps ?? STEP_NAMES.join(',')).split(',').map((name) => {
      if (!(STEP_NAMES as readonly string[]).includes(name)) throw new Error(`--steps: unknown step ${name} (${STEP_NAMES.join(', ')})`);
      return name as StepName;
    });
    settings = {
      partitions: countOption('partitions', values.partitions, 4),
      valueBytes: countOption('value-bytes', values['value-bytes'], 150),
      conversations: countOption('conversations', values.conversations, 200),
      single: countOption('single', values.single, 2000),
      batched: countOption('batched', values.batched, 20_000),
      trickle: countOption('trickle', values.trickle, 1000),
      trickleRate: countOption('trickle-rate', values['trickle-rate'], 100),
      warmUp: countOption('warm-up', values['warm-up'], 200),
    };
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const broker = values.brokers ? undefined : await startKafkaBroker();
  const brokers = values.brokers ? values.brokers.split(',') : broker!.brokers;
  const admin = createKafka({ brokers, clientId: 'kafka-client-bench-admin', logLevel: 'error' }).admin();
  try {
    await admin.connect();
    const createTopic = topicCreator(admin);
    const prefix = `kcost.${Date.now().toString(36)}`;
    const results: KafkaClientCostResult[] = [];
    for (let run = 0; run < runs; run += 1) {
      for (const client of clients) {
        const result = await measureKafkaClient({
          ...settings,
          brokers,
          ...(broker ? { brokerPid: broker.pid } : {}),
          client,
          steps,
          ...(values['cpu-prof'] ? { profileDir: path.resolve(values['cpu-prof']) } : {}),
          prefix: `${prefix}.r${run}`,
          createTopic,
        });
        results.push(result);
        process.stdout.write(`${JSON.stringify({ run, ...result })}\n`);
      }
    }
    process.stdout.write(`${table(results, clients)}\n`);
  } finally {
    await admin.disconnect().catch(() => undefined);
    await broker?.stop();
  }
  return 0;
}

runCli(main);
