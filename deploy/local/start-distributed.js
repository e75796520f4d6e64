#!/usr/bin/env node
// Runs parley the distributed way on this machine: a single-node KRaft Kafka (jars from
// Maven Central, cached), a redis-server, and the gateway, sequencer and delivery as three
// separate processes, all on loopback. Ctrl-C (or SIGTERM) stops everything.
//
//   npm run start:distributed                  # one gateway on http://127.0.0.1:8080
//   PARLEY_GATEWAY_PORT=9000 npm run start:distributed
//   npm run start:distributed -- --gateways 2  # gateways on 8080 and 8081 (ids gw-local-1, -2)
//   npm run start:distributed -- --cpu-prof /tmp/prof   # V8 CPU profiles of every service on exit
//
// Extra PARLEY_* variables in the environment are passed to the gateway (each service
// refuses settings it does not know, so they are not given to the sequencer and delivery).
const path = require('node:path');
const { startKafkaBroker, startRedisServer, spawnNodeProcess } = require('@parley/testkit');

const root = path.resolve(__dirname, '../..');
const service = (name) => path.join(root, 'services', name, 'dist', 'main.js');

function parseArgs(argv) {
  const options = { gateways: 1, cpuProfDir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--gateways' && /^[1-9][0-9]*$/.test(value ?? '')) options.gateways = Number(value);
    else if (flag === '--cpu-prof' && value) options.cpuProfDir = path.resolve(value);
    else {
      console.error(`usage: start-distributed.js [--gateways N] [--cpu-prof DIR]; unexpected ${flag} ${value ?? ''}`);
      process.exit(2);
    }
    i++;
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const execArgv = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
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
    const firstPort = Number(inherited.PARLEY_GATEWAY_PORT ?? 8080);
    const gatewayEnv = (index) => ({
      PARLEY_JWT_SECRET: 'local-distributed-secret-change-me',
      PARLEY_GATEWAY_HOST: '127.0.0.1',
      ...inherited,
      PARLEY_GATEWAY_ID: `gw-local-${index + 1}`,
      PARLEY_GATEWAY_PORT: String(firstPort + index),
      ...common,
    });
    const gateways = Array.from({ length: options.gateways }, (_, index) => [`gateway`, gatewayEnv(index), /gateway listening/]);
    for (const [name, env, ready] of [
      ['sequencer', { PARLEY_SEQUENCER_ADMIN_PORT: '9091', ...common }, /sequencer ready/],
      ['delivery', { PARLEY_DELIVERY_ADMIN_PORT: '9092', ...common }, /delivery ready/],
      ...gateways,
    ]) {
      const child = spawnNodeProcess(service(name), [], { PARLEY_LOG_LEVEL: 'info', ...env }, { echo: true, execArgv });
      started.push(child);
      await child.waitForLine(ready, 60_000);
    }
    const urls = gateways.map(([, env]) => `ws://127.0.0.1:${env.PARLEY_GATEWAY_PORT}/ws`).join(',');
    console.log(`[parley] Kafka ${kafka.brokers.join(',')}, Redis ${redis.url}`);
    console.log(`[parley] gateway${gateways.length > 1 ? 's' : ''} on ${urls} (tokens signed with PARLEY_JWT_SECRET); metrics on :9091 (sequencer), :9092 (delivery)`);
    console.log('[parley] Ctrl-C stops everything');
  } catch (error) {
    console.error('[parley] failed to start:', error instanceof Error ? error.message : error);
    await stopAll();
    process.exit(1);
  }
}

void main();
