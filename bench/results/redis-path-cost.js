// CPU per 1:1 message of the sequencer's and delivery's Redis path, in one process, with a
// fixed batch shape (so the figure does not move with the machine's load): the sequencer's
// assign for C partitions of K messages handled concurrently, delivery's handleBatch of those
// messages, then of the receivers' ack:R. Real Redis adapters on a real redis-server; the
// bus is the memory one (delivery uses it only for app events, off here).
// usage (after `npx turbo run build` in ROOT, with `redis-server --port PORT --save "" --appendonly no` running;
// it FLUSHALLs that server): node bench/results/redis-path-cost.js ROOT PORT [K=2] [C=4] [MESSAGES=20000]
const path = require('node:path');
const fs = require('node:fs');
const [ROOT, PORT, K = '2', C = '4', N = '20000'] = process.argv.slice(2);
const R = (m) => require(path.join(ROOT, 'node_modules', m));
const redisPkg = R('@parley/redis');
const { createMemoryInfrastructure } = R('@parley/composition');
const { Delivery } = R('@parley/delivery');
const { SystemClock, senderDevice } = R('@parley/ports');
const P = R('@parley/protocol');
const { createLogger, createRegistry } = R('@parley/observability');

const k = Number(K), c = Number(C), total = Number(N);
const USERS = 2000;
const gw = P.asGatewayId('gw1');

function syscw() {
  const io = fs.readFileSync('/proc/self/io', 'utf8');
  return Number(/syscw: (\d+)/.exec(io)[1]);
}
async function commandstats(redis) {
  const info = await redis.info('commandstats');
  const calls = {};
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (m) calls[m[1]] = Number(m[2]);
  }
  return calls;
}

async function main() {
  const clock = new SystemClock();
  const redis = redisPkg.createRedisConnection(`redis://127.0.0.1:${PORT}`, { name: 'harness' });
  const admin = redisPkg.createRedisConnection(`redis://127.0.0.1:${PORT}`, { name: 'harness-admin' });
  await redis.flushall();
  const keys = new redisPkg.RedisKeys('parley:');
  const memory = createMemoryInfrastructure(clock);
  const downlink = new redisPkg.RedisDownlink({ redis, keys });
  const infra = {
    ...memory,
    inbox: new redisPkg.RedisInbox({ redis, keys }),
    presence: new redisPkg.RedisPresence({ redis, keys, clock }),
    conversationIndex: new redisPkg.RedisConversationIndex({ redis, keys }),
    messageStore: new redisPkg.RedisMessageStore({ redis, keys, clock }),
    membership: new redisPkg.RedisMembership({ redis, keys }),
    downlink,
  };
  const seqStore = new redisPkg.RedisSeqStore({ redis, keys, clock });
  let pushed = 0;
  await downlink.subscribe(gw, (batch) => {
    pushed += batch.items.length;
  });
  const users = Array.from({ length: USERS }, (_, i) => P.asUserId(`u${String(i).padStart(4, '0')}`));
  await infra.presence.register(users.map((user) => ({ user, gatewayId: gw, connectionId: P.asConnectionId(`c-${user}`) })), 3_600_000);
  const delivery = new Delivery({
    topicPrefix: 't',
    infrastructure: infra,
    registry: createRegistry(),
    logger: createLogger('harness', 'silent'),
    clock,
    redelivery: { ackTimeoutMs: 60_000, maxRedeliveries: 2, maxBackoffMs: 60_000 },
    maxOfflinePage: 100,
  });
  const clientSeq = new Map();
  let n = 0;
  const nextRequest = () => {
    const pair = n % (USERS / 2);
    const flip = Math.floor(n / (USERS / 2)) % 2 === 1;
    const from = users[2 * pair + (flip ? 1 : 0)], to = users[2 * pair + (flip ? 0 : 1)];
    const conversation = P.directConversationId(from, to);
    const seqKey = `${from}|${conversation}`;
    const cs = (clientSeq.get(seqKey) ?? 0) + 1;
    clientSeq.set(seqKey, cs);
    const msgId = P.asMsgId(`m${n}-${Math.random().toString(36).slice(2, 10)}`);
    n += 1;
    const message = P.parley.v1.StoredMessage.create({
      conversation,
      msgId,
      fromUser: from,
      toUsers: [to],
      payload: Buffer.from('hello, this is a message of about sixty bytes of payload....'),
      serverTimeMs: Date.now(),
      receivedAtMs: Date.now(),
      clientSeq: cs,
    });
    return { assign: { conversation, msgId, sender: senderDevice(from, P.asDeviceId('d1')), clientSeq: cs, message }, from, to };
  };
  const round = async (counters) => {
    const parts = Array.from({ length: c }, () => Array.from({ length: k }, nextRequest));
    let t = process.cpuUsage();
    const assignments = await Promise.all(parts.map((p) => seqStore.assign(p.map((r) => r.assign))));
    let d = process.cpuUsage(t);
    counters.seq += d.user + d.system;
    t = process.cpuUsage();
    await Promise.all(
      parts.map((p, i) =>
        delivery.handleBatch({
          topic: 't.deliver',
          partition: i,
          records: p.map((r, j) => {
            const a = assignments[i][j];
            const message = { ...r.assign.message, position: { epoch: a.epoch, seq: a.seq } };
            return {
              key: r.assign.conversation,
              value: P.encodeDeliveryCommand({ sequenced: { message, duplicate: a.outcome === 'duplicate', origin: { gatewayId: gw, connectionId: `c-${r.from}`, userId: r.from } } }),
            };
          }),
        }),
      ),
    );
    await Promise.all(
      parts.map((p, i) =>
        delivery.handleBatch({
          topic: 't.deliver',
          partition: i,
          records: p.map((r, j) => {
            const a = assignments[i][j];
            return {
              key: r.assign.conversation,
              value: P.encodeDeliveryCommand({ client: { origin: { gatewayId: gw, connectionId: `c-${r.to}`, userId: r.to }, frame: { ackR: { conversation: r.assign.conversation, position: { epoch: a.epoch, seq: a.seq } } } } }),
            };
          }),
        }),
      ),
    );
    d = process.cpuUsage(t);
    counters.delivery += d.user + d.system;
  };
  const warm = { seq: 0, delivery: 0 };
  while (n < 4000) await round(warm);
  await new Promise((r) => setTimeout(r, 200));
  const before = await commandstats(admin);
  const w0 = syscw();
  const counters = { seq: 0, delivery: 0 };
  const start = n;
  const t0 = process.cpuUsage();
  const wall0 = Date.now();
  while (n - start < total) await round(counters);
  const all = process.cpuUsage(t0);
  const wall = Date.now() - wall0;
  const messages = n - start;
  const w1 = syscw();
  await new Promise((r) => setTimeout(r, 200));
  const after = await commandstats(admin);
  const perMsg = {};
  for (const [name, calls] of Object.entries(after)) {
    const v = (calls - (before[name] ?? 0)) / messages;
    if (v >= 0.01 && name !== 'info') perMsg[name] = Number(v.toFixed(2));
  }
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    JSON.stringify({
      root: ROOT,
      k,
      c,
      messages,
      usPerMsg: { total: +(((all.user + all.system) / messages).toFixed(1)), seqAssign: +((counters.seq / messages).toFixed(1)), delivery: +((counters.delivery / messages).toFixed(1)) },
      writesPerMsg: +(((w1 - w0) / messages).toFixed(2)),
      wallMs: wall,
      pushed,
      pending: delivery.pendingCount,
      redisCommandsPerMsg: perMsg,
      load,
    }),
  );
  await delivery.stop();
  await downlink.close();
  redis.disconnect();
  admin.disconnect();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
