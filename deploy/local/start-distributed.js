#!/usr/bin/env node
// Runs parley the distributed way on this machine: a single-node KRaft Kafka (jars from
// Maven Central, cached), a redis-server, and the gateway, sequencer and delivery as
// separate processes, all on loopback. Ctrl-C (or SIGTERM) stops everything.
//
//   npm run start:distributed                  # one gateway on http://127.0.0.1:8080
//   PARLEY_GATEWAY_PORT=9000 npm run start:distributed
//   npm run start:distributed -- --gateways 2  # gateways on 8080 and 8081 (ids gw-local-1, -2)
//   npm run start:distributed -- --sequencers 2 --deliveries 2   # two of each (one Kafka consumer group each)
//   npm run start:distributed -- --cpu-prof /tmp/prof   # V8 CPU profiles of every service on exit
//   npm run start:distributed -- --cluster     # 3 Kafka brokers + Redis Cluster (3 masters, 3 replicas),
//                                              # 2 gateways (8080, 8081), 2 sequencers, 2 deliveries
//
// Metrics: the first sequencer on :9091, the first delivery on :9092 (PARLEY_SEQUENCER_ADMIN_PORT
// and PARLEY_DELIVERY_ADMIN_PORT move them; 0 takes free ports), the next ones 10 ports further
// each (9101, 9102, ...). Extra PARLEY_* variables in the environment are passed to the gateways
// (each service refuses settings it does not know, so they are not given to the sequencers and
// deliveries). The processes are the chaos harness's LocalCluster (packages/loadtest/src/chaos),
// so `npm run chaos` hurts exactly this setup.
//
// Stopping: SIGTERM, SIGINT and (through deploy/local/launch.js, which `npm run start:distributed`
// runs it with) SIGHUP and the death of its parent make it stop the services (each drains and
// leaves its consumer group), then Kafka and Redis, and exit. The services, the Kafka JVM and
// redis-server run in their own process groups and are registered with the test kit's orphan
// guard (packages/testkit/src/orphan-guard.ts): should this process be killed with -9, they are
// stopped all the same (SIGTERM, then SIGKILL after 4 s).
const path = require('node:path');
const { LocalCluster } = require('../../packages/loadtest/dist/chaos/local-cluster.js');

function parseArgs(argv) {
  const options = { gateways: 1, sequencers: 1, deliveries: 1, cpuProfDir: undefined, replicated: false };
  if (argv.includes('--cluster')) Object.assign(options, { gateways: 2, sequencers: 2, deliveries: 2, replicated: true });
  argv = argv.filter((arg) => arg !== '--cluster');
  const counts = { '--gateways': 'gateways', '--sequencers': 'sequencers', '--deliveries': 'deliveries' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (counts[flag] && /^[1-9][0-9]*$/.test(value ?? '')) options[counts[flag]] = Number(value);
    else if (flag === '--cpu-prof' && value) options.cpuProfDir = path.resolve(value);
    else {
      console.error(`usage: start-distributed.js [--cluster] [--gateways N] [--sequencers N] [--deliveries N] [--cpu-prof DIR]; unexpected ${flag} ${value ?? ''}`);
      process.exit(2);
    }
    i++;
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const inherited = {};
  for (const key of Object.keys(process.env)) {
    if (!key.startsWith('PARLEY_') || key.startsWith('PARLEY_TEST_')) continue;
    inherited[key] = process.env[key];
    delete process.env[key]; // children inherit this process's environment
  }
  const { PARLEY_GATEWAY_PORT, PARLEY_SEQUENCER_ADMIN_PORT, PARLEY_DELIVERY_ADMIN_PORT, ...gatewayEnv } = inherited;
  const port = (value, fallback) => (value === undefined ? fallback : Number(value));
  const sequencerAdminPort = port(PARLEY_SEQUENCER_ADMIN_PORT, 9091);
  const deliveryAdminPort = port(PARLEY_DELIVERY_ADMIN_PORT, 9092);
  let cluster;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Before the cluster exists (Kafka still starting), exiting is the stop: the exit hook of
    // the orphan guard kills what was started so far and removes its files.
    void (cluster ? cluster.stop() : LocalCluster.stopAll()).then(() => {
      console.log('[parley] every process it started has exited');
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    cluster = await LocalCluster.start({
      replicated: options.replicated,
      gateways: options.gateways,
      sequencers: options.sequencers,
      deliveries: options.deliveries,
      jwtSecret: gatewayEnv.PARLEY_JWT_SECRET ?? 'local-distributed-secret-change-me',
      firstGatewayPort: Number(PARLEY_GATEWAY_PORT ?? 8080),
      sequencerAdminPort,
      deliveryAdminPort,
      // No load balancer in front here: nothing to wait for before the connections are closed
      // (4007, the clients reconnect), and a stop within seconds.
      // The demo page and /dev/token as in `npm start` (development only; on 127.0.0.1 unless
      // PARLEY_GATEWAY_HOST says otherwise; PARLEY_DEV_TOKENS=false turns them off).
      gatewayEnv: { PARLEY_DRAIN_DELAY_MS: '0', PARLEY_DRAIN_WINDOW_MS: '1000', PARLEY_DEV_TOKENS: 'true', ...gatewayEnv },
      echo: true,
      execArgv: options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [],
      log: (line) => console.log(`[parley] ${line}`),
    });
    console.log(`[parley] Kafka ${cluster.stores.brokers}, Redis ${cluster.stores.redisUrl}`);
    console.log(`[parley] gateway${options.gateways > 1 ? 's' : ''} on ${cluster.urls.join(',')} (tokens signed with PARLEY_JWT_SECRET)`);
    if (gatewayEnv.PARLEY_DEV_TOKENS !== 'false' && gatewayEnv.PARLEY_DEV_TOKENS !== '0') {
      const host = gatewayEnv.PARLEY_GATEWAY_HOST ?? '127.0.0.1';
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      const reach = host.startsWith('127.') || host === '::1' ? 'this machine only' : `reachable on ${host}: anyone who reaches it gets a token for any user`;
      console.log(`[parley] demo chat on ${cluster.gatewayPorts.map((p) => `http://${shown}:${p}`).join(', ')} (DEVELOPMENT ONLY: /dev/token?user=NAME gives a token for any user; ${reach}; PARLEY_DEV_TOKENS=false turns it off)`);
    }
    console.log('[parley] Ctrl-C (or SIGTERM) stops everything');
  } catch (error) {
    console.error('[parley] failed to start:', error instanceof Error ? error.message : error);
    await LocalCluster.stopAll();
    process.exit(1);
  }
}

void main();
