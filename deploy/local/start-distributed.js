#!/usr/bin/env node
// Runs parley the distributed way on this machine: a single-node KRaft Kafka (jars from
// Maven Central, cached), a redis-server, and the gateway, sequencer and delivery as three
// separate processes, all on loopback. Ctrl-C (or SIGTERM) stops everything.
//
//   npm run start:distributed            # gateway on http://127.0.0.1:8080
//   PARLEY_GATEWAY_PORT=9000 npm run start:distributed
//
// Extra PARLEY_* variables in the environment are passed to the gateway (each service
// refuses settings it does not know, so they are not given to the sequencer and delivery).
const path = require('node:path');
const { startKafkaBroker, startRedisServer, spawnNodeProcess } = require('@parley/testkit');

const root = path.resolve(__dirname, '../..');
const service = (name) => path.join(root, 'services', name, 'dist', 'main.js');

async function main() {
  const started = [];
  const stopAll = async () => {
    for (const handle of started.reverse()) await handle.stop().catch(() => undefined);
  };
  process.on('SIGINT', () => stopAll().then(() => process.exit(0)));
  process.on('SIGTERM', () => stopAll().then(() => process.exit(0)));
  try {
    console.log('[parley] starting Kafka and Redis');
    const [kafka, redis] = await Promise.all([startKafkaBroker(), startRedisServer()]);
    started.push(kafka, redis);
    const inherited = {};
    for (const key of Object.keys(process.env)) {
      if (!key.startsWith('PARLEY_') || key.startsWith('PARLEY_TEST_')) continue;
      inherited[key] = process.env[key];
      delete process.env[key]; // children inherit this process's environment
    }
    const common = { PARLEY_KAFKA_BROKERS: kafka.brokers.join(','), PARLEY_REDIS_URL: redis.url };
    const gatewayEnv = {
      PARLEY_JWT_SECRET: 'local-distributed-secret-change-me',
      PARLEY_GATEWAY_ID: 'gw-local-1',
      PARLEY_GATEWAY_HOST: '127.0.0.1',
      ...inherited,
      ...common,
    };
    for (const [name, env, ready] of [
      ['sequencer', { PARLEY_SEQUENCER_ADMIN_PORT: '9091', ...common }, /sequencer ready/],
      ['delivery', { PARLEY_DELIVERY_ADMIN_PORT: '9092', ...common }, /delivery ready/],
      ['gateway', gatewayEnv, /gateway listening/],
    ]) {
      const child = spawnNodeProcess(service(name), [], { PARLEY_LOG_LEVEL: 'info', ...env }, { echo: true });
      started.push(child);
      await child.waitForLine(ready, 60_000);
    }
    console.log(`[parley] Kafka ${kafka.brokers.join(',')}, Redis ${redis.url}`);
    console.log(`[parley] gateway on ws://127.0.0.1:${gatewayEnv.PARLEY_GATEWAY_PORT ?? 8080}/ws (tokens signed with PARLEY_JWT_SECRET); metrics on :9091 (sequencer), :9092 (delivery)`);
    console.log('[parley] Ctrl-C stops everything');
  } catch (error) {
    console.error('[parley] failed to start:', error instanceof Error ? error.message : error);
    await stopAll();
    process.exit(1);
  }
}

void main();
