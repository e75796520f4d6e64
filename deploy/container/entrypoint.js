// Entry point of the parley container image: runs one service chosen by name.
//
//   <image> server      the all-in-one process (default)
//   <image> gateway     WebSocket/long-poll gateway (Kafka + Redis)
//   <image> sequencer   per-conversation sequencing (Kafka + Redis)
//   <image> delivery    inboxes, pushes, acks (Kafka + Redis)
//   <image> api         the server API and webhooks (Kafka + Redis)
//
// The node process is PID 1 in the container. The kernel applies no default action to a signal
// sent to PID 1, so a SIGTERM without a handler would be ignored and the runtime would kill the
// process 10-30 s later. Each service installs its graceful SIGTERM/SIGINT handling once it has
// started; until then (configuration, connecting to Kafka and Redis) these handlers end the
// process at once: nothing has been accepted yet that would need draining, and every hop is
// at-least-once, so an interrupted start-up loses nothing.
'use strict';
const path = require('node:path');
const { constants } = require('node:os');

const services = {
  server: 'services/server/dist/main.js',
  gateway: 'services/gateway/dist/main.js',
  sequencer: 'services/sequencer/dist/main.js',
  delivery: 'services/delivery/dist/main.js',
  api: 'services/api/dist/main.js',
};

const name = process.argv[2] ?? 'server';
if (!Object.hasOwn(services, name)) {
  process.stderr.write(`parley image: unknown service "${name}"; run one of: ${Object.keys(services).join(', ')}\n`);
  process.exit(64);
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    // Once the service has its own handler, that one does the graceful stop.
    if (process.listenerCount(signal) === 1) process.exit(128 + constants.signals[signal]);
  });
}

// The service sees the command line it would see when started directly.
process.argv.splice(2, 1);
require(path.join(__dirname, services[name]));
