// CPU per 1:1 message of the embedded mode's own code, in one process, with a fixed shape (so
// the figure hardly moves with the machine's load): the all-in-one server (gateway, sequencer,
// delivery on the memory adapters) started as `npm start` starts it, its gateway driven through
// its connection handler by in-process client links instead of sockets. Per round, K pairs
// each send one msg:R; every receiver acks its msg:N with ack:R as soon as it is written; the
// next round starts when every message of the round has its msg:A, msg:N and ack:N. K = 1 is
// the shape of a low rate (each message alone in every hand-over), larger K of a high one.
// What it leaves out: uWS (socket reads and writes) and the event loop's wake-ups.
// usage (after `npx turbo run build` in ROOT): node bench/results/embedded-path-cost.js ROOT [K=1] [MESSAGES=20000] [PAIRS=1000]
// prints: µs of CPU (user + system, process.cpuUsage) per message, min over 3 measured runs.
const path = require('node:path');
const [ROOT, K = '1', N = '20000', PAIRS = '1000'] = process.argv.slice(2);
const R = (m) => require(path.join(ROOT, 'node_modules', m));
const { startParleyServer } = R('@parley/server');
const P = R('@parley/protocol');

const k = Number(K), total = Number(N), pairs = Number(PAIRS);

class FakeLink {
  constructor(handler, user, onFrame) {
    this.transport = 'websocket';
    this.handler = handler;
    this.onFrame = onFrame;
    this.state = handler.newState(P.asUserId(user));
  }
  send(frames) {
    for (const f of frames) this.onFrame(this, P.decodeFrame(f));
  }
  close() {
    if (this.state.closed) return;
    this.handler.closed(this, 1000);
  }
  bufferedBytes() {
    return 0;
  }
}

async function main() {
  const server = await startParleyServer(
    { PARLEY_GATEWAY_PORT: '0', PARLEY_LOG_LEVEL: 'error', PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '1000000', PARLEY_DEV_TOKENS: 'false' },
    {},
  );
  const handler = server.gateway.handler;
  let welcomed = 0;
  let outstanding = 0;
  let wake;
  const done = () => {
    outstanding -= 1;
    if (outstanding === 0 && wake) wake();
  };
  const onFrame = (link, frame) => {
    switch (frame.packet) {
      case 'welcome':
        welcomed += 1;
        if (wake && welcomed === 2 * pairs) wake();
        return;
      case 'msgA':
      case 'ackA':
      case 'ackN':
        return done();
      case 'msgN': {
        const n = frame.msgN;
        handler.received(link, P.encodeFrame({ ackR: { conversation: n.conversation, position: { epoch: n.position.epoch, seq: n.position.seq } } }));
        return done();
      }
      default:
        throw new Error(`unexpected ${frame.packet}: ${JSON.stringify(frame)}`);
    }
  };
  const senders = [], receivers = [];
  for (let i = 0; i < pairs; i++) {
    senders.push(new FakeLink(handler, `s${i}`, onFrame));
    receivers.push(new FakeLink(handler, `r${i}`, onFrame));
  }
  await new Promise((resolve) => {
    wake = resolve;
    for (const l of [...senders, ...receivers]) handler.opened(l);
  });
  wake = undefined;
  const clientSeq = new Array(pairs).fill(0);
  let next = 0;
  const payload = Buffer.alloc(64, 7);
  const round = () =>
    new Promise((resolve) => {
      outstanding = 4 * k;
      wake = resolve;
      for (let j = 0; j < k; j++) {
        const i = next++ % pairs;
        clientSeq[i] += 1;
        const frame = P.encodeFrame({ msgR: { msgId: `m${next}`, toUser: `r${i}`, clientSeq: clientSeq[i], payload } });
        handler.received(senders[i], frame);
      }
    });
  const run = async (messages) => {
    const start = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let sent = 0; sent < messages; sent += k) await round();
    const used = process.cpuUsage(start);
    if (process.env.VERBOSE) console.log(`${messages} msgs in ${Number(process.hrtime.bigint() - t0) / 1e6} ms wall, ${(used.user + used.system) / 1000} ms CPU`);
    return (used.user + used.system) / messages;
  };
  await run(Math.min(total, 5000)); // warm-up
  const results = [];
  for (let r = 0; r < 3; r++) results.push(await run(total));
  if (global.__stopAllocProf) await global.__stopAllocProf();
  console.log(`K=${k} µs/msg: ${results.map((x) => x.toFixed(1)).join(' ')} min ${Math.min(...results).toFixed(1)}`);
  await server.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
