// `npm run fuzz`: generated client packets of every kind against parley on a real Kafka broker
// and redis-server it starts itself. Packets go out in batches over one WebSocket per fuzzing
// user; after each batch every request must be answered (its answer, or the documented error the
// gateway or the services give), no fuzzing connection may be closed, and a fresh pair on every
// deliver partition must exchange a message (msg:A, msg:N, ack:N) within the pair deadline.
import { join } from 'node:path';
import fc from 'fast-check';
import { asUserId, directConversationId, encodeFrame, Frame } from '@parley/protocol';
import { partitionForKey } from '@parley/ports';
import { decodeInboundFrame, isProtocolViolation } from '@parley/gateway';
import { freePort, KafkaBrokerHandle, RedisServerHandle, spawnNodeProcess, startKafkaBroker, startRedisServer, waitFor } from '@parley/testkit';
import { AnswerLedger, LIMITS, packet, USERS } from '@parley/fuzz';
import { FuzzConnection } from './fuzz-connection';
import { FuzzOptions } from './fuzz-options';

const PARTITIONS = 4;
const SECRET = 'parley-fuzz-secret-0123456789abcdef';
const GATEWAY_LIMITS = { ...LIMITS, maxFrameBytes: 64 * 1024 };
const ANSWER_TIMEOUT_MS = 60_000;
/** How long a fresh pair's exchange is awaited at all (a late one fails, a missing one is a stall). */
const PAIR_GIVE_UP_MS = 30_000;
/** The gateway closes a connection after this many malformed/unexpected frames with no forwarded one between (4002). */
const STRIKES_CLOSE = 10;
const PARLEY_MAIN = join(__dirname, '..', '..', '..', '..', 'services', 'server', 'dist', 'main.js');

export interface FuzzResult {
  readonly sent: number;
  readonly skipped: number;
  readonly forwarded: number;
  readonly answers: number;
  readonly errorsByCode: ReadonlyMap<number, number>;
  readonly batches: number;
  readonly slowestPairMs: number;
  readonly failures: readonly string[];
}

/** Everything the run started, stopped in reverse order (also from a signal handler). */
export class Started {
  private readonly stops: Array<() => Promise<unknown>> = [];
  add(stop: () => Promise<unknown>): void {
    this.stops.push(stop);
  }
  async stopAll(): Promise<void> {
    while (this.stops.length > 0) await this.stops.pop()!().catch(() => undefined);
  }
}

export async function runFuzz(options: FuzzOptions, started: Started, log: (line: string) => void): Promise<FuzzResult> {
  const deadline = Date.now() + options.maxMinutes * 60_000;
  const failures: string[] = [];
  const [redis, kafka] = await Promise.allSettled([startRedisServer(), startKafkaBroker()]);
  for (const r of [redis, kafka]) if (r.status === 'fulfilled') started.add(() => r.value.stop());
  if (redis.status === 'rejected' || kafka.status === 'rejected') throw new Error(`could not start Kafka and Redis: ${[redis, kafka].map((r) => (r.status === 'rejected' ? String(r.reason) : '')).join(' ')}`);
  log(`kafka ${(kafka.value as KafkaBrokerHandle).brokers.join(',')}, redis ${(redis.value as RedisServerHandle).url}`);

  const port = await freePort();
  const server = spawnNodeProcess(PARLEY_MAIN, [], {
    PARLEY_KAFKA_BROKERS: kafka.value.brokers.join(','),
    PARLEY_REDIS_URL: redis.value.url,
    PARLEY_TOPIC_PREFIX: 'fuzz',
    PARLEY_REDIS_PREFIX: 'fuzz:',
    PARLEY_TOPIC_PARTITIONS: String(PARTITIONS),
    PARLEY_JWT_SECRET: SECRET,
    PARLEY_GATEWAY_ID: 'gw-fuzz',
    PARLEY_GATEWAY_PORT: String(port),
    PARLEY_GATEWAY_HOST: '127.0.0.1',
    PARLEY_LOG_LEVEL: 'info',
    PARLEY_KAFKA_SESSION_TIMEOUT_MS: '6000',
    PARLEY_MAX_PAYLOAD_BYTES: String(LIMITS.maxPayloadBytes),
    PARLEY_MAX_GROUP_MEMBERS: String(LIMITS.maxGroupMembers),
    PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '10000',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  });
  started.add(() => server.stop());
  let serverExited = false;
  void server.exited.then(() => (serverExited = true));
  await server.waitForLine(/parley ready on/, 120_000);
  log(`parley ready on port ${port} (pid ${server.pid})`);

  const connections = await Promise.all(USERS.map((user) => FuzzConnection.open(port, user, SECRET)));
  started.add(async () => connections.forEach((c) => c.close()));
  const framesOf = (user: string): readonly Frame[] => connections[USERS.indexOf(user as (typeof USERS)[number])]!.frames;
  const ledger = new AnswerLedger();
  const packets = fc.sample(packet, { seed: options.seed, numRuns: options.count });
  const strikes = USERS.map(() => 0);
  let sent = 0;
  let skipped = 0;
  let forwarded = 0;
  let batches = 0;
  let slowestPairMs = 0;
  const t0 = Date.now();

  for (let start = 0; start < packets.length && failures.length === 0; start += options.batch) {
    if (Date.now() > deadline) {
      failures.push(`run bound of ${options.maxMinutes} min reached after ${sent} packets`);
      break;
    }
    for (const p of packets.slice(start, start + options.batch)) {
      const user = USERS[p.user]!;
      const bytes = 'frame' in p ? encodeFrame(p.frame) : p.bytes;
      const decision = decodeInboundFrame(bytes, asUserId(user), GATEWAY_LIMITS);
      const strike = decision.action === 'refuse' && isProtocolViolation(decision.code);
      if (strike && strikes[p.user]! + 1 >= STRIKES_CLOSE) {
        skipped += 1; // would close the connection (documented, 4002), which is not what is fuzzed here
        continue;
      }
      if (strike) strikes[p.user] = strikes[p.user]! + 1;
      else if (decision.action === 'forward') strikes[p.user] = 0;
      connections[p.user]!.sendBytes(bytes);
      sent += 1;
      if (decision.action === 'forward') {
        forwarded += 1;
        ledger.owe(user, decision.frame);
      } else if (decision.action === 'refuse') ledger.oweError(user, decision.code);
    }
    batches += 1;
    try {
      await waitFor(() => ledger.shortfalls(framesOf).length === 0, {
        timeoutMs: ANSWER_TIMEOUT_MS,
        intervalMs: 100,
        what: `every request of batch ${batches} answered`,
      });
    } catch {
      failures.push(`batch ${batches}: unanswered after ${ANSWER_TIMEOUT_MS / 1000} s: ${JSON.stringify(ledger.shortfalls(framesOf).slice(0, 5))}`);
    }
    connections.forEach((c, i) => {
      if (c.closeCode !== undefined) failures.push(`batch ${batches}: the connection of ${USERS[i]} was closed (${c.closeCode})`);
    });
    for (let partition = 0; partition < PARTITIONS && failures.length === 0; partition++) {
      const outcome = await freshPairExchange(port, batches, partition);
      if (typeof outcome === 'string') failures.push(`batch ${batches}, partition ${partition}: ${outcome}`);
      else {
        slowestPairMs = Math.max(slowestPairMs, outcome);
        if (outcome > options.pairDeadlineMs) failures.push(`batch ${batches}, partition ${partition}: a fresh pair took ${outcome} ms (over ${options.pairDeadlineMs} ms)`);
      }
    }
    if (serverExited) failures.push('the parley process exited');
    log(`batch ${batches}: ${sent} sent, ${forwarded} forwarded, slowest fresh pair ${slowestPairMs} ms, ${((Date.now() - t0) / 1000).toFixed(1)} s${failures.length ? `, FAIL: ${failures[0]}` : ''}`);
  }

  const errorsByCode = new Map<number, number>();
  let answers = 0;
  for (const c of connections) {
    for (const f of c.frames) {
      if (f.error) errorsByCode.set(f.error.code ?? 0, (errorsByCode.get(f.error.code ?? 0) ?? 0) + 1);
      if (f.packet !== 'welcome' && f.packet !== 'msgN' && f.packet !== 'ackN' && f.packet !== 'pong' && f.packet !== 'resyncN') answers += 1;
    }
  }
  if (failures.length > 0) log(`parley's last output lines:\n${server.lines().slice(-30).join('\n')}`);
  return { sent, skipped, forwarded, answers, errorsByCode, batches, slowestPairMs, failures };
}

/** Milliseconds from msg:R to ack:N of a fresh pair on `partition`, or why it did not finish. */
async function freshPairExchange(port: number, batch: number, partition: number): Promise<number | string> {
  const [a, b] = pairOn(batch, partition);
  const alice = await FuzzConnection.open(port, a, SECRET);
  const bob = await FuzzConnection.open(port, b, SECRET);
  try {
    const msgId = `fresh-${batch}-${partition}`;
    const t0 = Date.now();
    alice.send({ msgR: { msgId, toUser: b, payload: Buffer.from('after the batch') } });
    await alice.next('msgA', (f) => f.msgA?.msgId === msgId, PAIR_GIVE_UP_MS);
    const pushed = await bob.next('msgN', (f) => f.msgN?.msgId === msgId, PAIR_GIVE_UP_MS);
    bob.send({ ackR: { conversation: pushed.msgN!.conversation, position: pushed.msgN!.position } });
    const ack = await alice.next('ackN', (f) => f.ackN?.msgId === msgId, PAIR_GIVE_UP_MS);
    if (ack.ackN?.status !== 1) return `ack:N status ${ack.ackN?.status}`;
    return Date.now() - t0;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    alice.close();
    bob.close();
  }
}

function pairOn(batch: number, partition: number): [string, string] {
  for (let i = 0; ; i++) {
    const a = `fz${batch}a${i}`;
    const b = `fz${batch}b${i}`;
    if (partitionForKey(directConversationId(asUserId(a), asUserId(b)), PARTITIONS) === partition) return [a, b];
  }
}

export function formatFuzzResult(options: FuzzOptions, result: FuzzResult, seconds: number): string {
  const errors = [...result.errorsByCode].sort(([a], [b]) => a - b).map(([code, n]) => `${code}:${n}`).join(' ');
  const verdict = result.failures.length === 0 ? 'PASS' : `FAIL (${result.failures.join('; ')})`;
  return (
    `fuzz seed ${options.seed}: ${result.sent} packets sent (${result.skipped} skipped), ${result.forwarded} forwarded, ` +
    `${result.answers} answers, errors by code {${errors}}, ${result.batches} batches of ${options.batch}, ` +
    `slowest fresh pair ${result.slowestPairMs} ms, ${seconds.toFixed(1)} s: ${verdict}`
  );
}
