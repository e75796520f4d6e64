// CPU per 1:1 message of the sequencer's and delivery's Redis path, in one process, with a
// fixed batch shape, so the figure does not move with how far behind a loaded machine puts the
// services: per round, the sequencer's assign for `partitions` calls of `perCall` messages at
// once, then delivery's handler calls of those messages, then of the receivers' ack:R. Real
// Redis adapters on a real redis-server; the bus is the memory one (delivery uses it only for
// app events, off here). The packages measured are loaded from a built tree (`root`), so one
// build of this tool measures another build (an A/B pair against main's tree).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ConsumedRecord } from '@parley/ports';
import { cpuSecondsOf } from './proc-cpu';
import { callsBetween, commandCalls } from './redis-commands';

type Redis = typeof import('@parley/redis');
type Composition = typeof import('@parley/composition');
type DeliveryPackage = typeof import('@parley/delivery');
type Ports = typeof import('@parley/ports');
type Protocol = typeof import('@parley/protocol');
type Observability = typeof import('@parley/observability');

export interface RedisPathOptions {
  /** A built parley tree whose packages are measured. */
  readonly root: string;
  /** `redis://127.0.0.1:<port>` of a server this run may FLUSHALL. */
  readonly redisUrl: string;
  /** The redis-server's pid, for its CPU per message (optional). */
  readonly redisPid?: number;
  /** Messages per handler call (per partition). */
  readonly perCall: number;
  /** Handler calls at once (partitions handled concurrently). */
  readonly partitions: number;
  /** Messages measured, after `warmUp` not measured. */
  readonly messages: number;
  readonly warmUp: number;
  /** Users, in pairs; each has one connection (a presence entry) on one gateway. */
  readonly users: number;
}

export interface RedisPathResult {
  readonly root: string;
  readonly perCall: number;
  readonly partitions: number;
  readonly messages: number;
  /** CPU µs per message of this process: all, the assign calls, delivery's handler calls; and of redis-server. */
  readonly usPerMessage: { readonly total: number; readonly seqAssign: number; readonly delivery: number; readonly redisServer?: number };
  /** Write system calls per message of this process (round trips). */
  readonly writesPerMessage: number;
  /** INFO commandstats per message (commands inside scripts counted), largest first. */
  readonly commandsPerMessage: Record<string, number>;
  /** Downlink items published (per message: msg:N, ack:A, the sender's ack:N). */
  readonly downlinkItems: number;
  readonly wallMs: number;
  readonly loadAverage: string;
}

/** One message of a round: the sequencer's request and the two users. */
interface Sent {
  readonly assign: import('@parley/ports').AssignRequest;
  readonly from: string;
  readonly to: string;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

function writeCalls(): number {
  return Number(/syscw: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? 0);
}

export async function measureRedisPath(options: RedisPathOptions): Promise<RedisPathResult> {
  const load = createRequire(path.join(path.resolve(options.root), 'package.json'));
  const redisPkg = load('@parley/redis') as Redis;
  const { createMemoryInfrastructure } = load('@parley/composition') as Composition;
  const { Delivery } = load('@parley/delivery') as DeliveryPackage;
  const { SystemClock, senderDevice } = load('@parley/ports') as Ports;
  const P = load('@parley/protocol') as Protocol;
  const { createLogger, createRegistry } = load('@parley/observability') as Observability;

  const clock = new SystemClock();
  const redis = redisPkg.createRedisConnection(options.redisUrl, { name: 'redis-path-cost' });
  await redis.flushall();
  const keys = new redisPkg.RedisKeys('parley:');
  const downlink = new redisPkg.RedisDownlink({ redis, keys });
  const infrastructure = {
    ...createMemoryInfrastructure(clock),
    inbox: new redisPkg.RedisInbox({ redis, keys }),
    presence: new redisPkg.RedisPresence({ redis, keys, clock }),
    conversationIndex: new redisPkg.RedisConversationIndex({ redis, keys }),
    messageStore: new redisPkg.RedisMessageStore({ redis, keys, clock }),
    membership: new redisPkg.RedisMembership({ redis, keys }),
    downlink,
  };
  const seqStore = new redisPkg.RedisSeqStore({ redis, keys, clock });
  const gateway = P.asGatewayId('gw1');
  let downlinkItems = 0;
  await downlink.subscribe(gateway, (batch) => {
    downlinkItems += batch.items.length;
  });
  const users = Array.from({ length: options.users }, (_, i) => P.asUserId(`u${String(i).padStart(5, '0')}`));
  await infrastructure.presence.register(
    users.map((user) => ({ user, gatewayId: gateway, connectionId: P.asConnectionId(`c-${user}`) })),
    3_600_000,
  );
  const delivery = new Delivery({
    topicPrefix: 't',
    infrastructure,
    registry: createRegistry(),
    logger: createLogger('redis-path-cost', 'silent'),
    clock,
    redelivery: { ackTimeoutMs: 60_000, maxRedeliveries: 2, maxBackoffMs: 60_000 },
    maxOfflinePage: 100,
  });

  // Pairs take turns: a pair's first round one way, its next round the other.
  const clientSeqs = new Map<string, number>();
  const pairs = Math.floor(options.users / 2);
  let sent = 0;
  const nextMessage = (): Sent => {
    const pair = sent % pairs;
    const back = Math.floor(sent / pairs) % 2 === 1;
    const from = users[2 * pair + (back ? 1 : 0)]!;
    const to = users[2 * pair + (back ? 0 : 1)]!;
    const conversation = P.directConversationId(from, to);
    const clientSeq = (clientSeqs.get(`${from}|${conversation}`) ?? 0) + 1;
    clientSeqs.set(`${from}|${conversation}`, clientSeq);
    const msgId = P.asMsgId(`m${sent}-${Math.random().toString(36).slice(2, 10)}`);
    sent += 1;
    const now = Date.now();
    const message = P.parley.v1.StoredMessage.create({
      conversation,
      msgId,
      fromUser: from,
      toUsers: [to],
      payload: Buffer.from('hello, this is a message of about sixty bytes of payload....'),
      serverTimeMs: now,
      receivedAtMs: now,
      clientSeq,
    });
    return { assign: { conversation, msgId, sender: senderDevice(from, P.asDeviceId('d1')), clientSeq, message }, from, to };
  };

  /** One handler call per partition, all at once, each of the records `recordOf` makes of its messages. */
  const handleAll = async (parts: readonly Sent[][], recordOf: (sent: Sent, partition: number, index: number) => Omit<ConsumedRecord, 'offset'>): Promise<void> => {
    await Promise.all(
      parts.map((part, partition) =>
        delivery.handleBatch({ topic: 't.deliver', partition, records: part.map((s, index) => ({ ...recordOf(s, partition, index), offset: String(index) })) }),
      ),
    );
  };

  const cpu = { seq: 0, delivery: 0 };
  const timed = async (into: 'seq' | 'delivery', work: () => Promise<void>): Promise<void> => {
    const start = process.cpuUsage();
    await work();
    const used = process.cpuUsage(start);
    cpu[into] += used.user + used.system;
  };
  const round = async (): Promise<void> => {
    const parts = Array.from({ length: options.partitions }, () => Array.from({ length: options.perCall }, nextMessage));
    let assignments: import('@parley/ports').Assignment[][] = [];
    await timed('seq', async () => {
      assignments = await Promise.all(parts.map((part) => seqStore.assign(part.map((s) => s.assign))));
    });
    const positionOf = (partition: number, index: number): { epoch: string; seq: number } => {
      const assignment = assignments[partition]![index]!;
      if (assignment.outcome !== 'new' && assignment.outcome !== 'duplicate') throw new Error(`assign refused a message: ${assignment.outcome}`);
      return { epoch: assignment.epoch, seq: assignment.seq };
    };
    await timed('delivery', async () => {
      await handleAll(parts, (s, partition, index) => ({
        key: s.assign.conversation,
        value: P.encodeDeliveryCommand({
          sequenced: {
            message: { ...s.assign.message, position: positionOf(partition, index) },
            duplicate: assignments[partition]![index]!.outcome === 'duplicate',
            origin: { gatewayId: gateway, connectionId: `c-${s.from}`, userId: s.from },
          },
        }),
      }));
      await handleAll(parts, (s, partition, index) => ({
        key: s.assign.conversation,
        value: P.encodeDeliveryCommand({
          client: {
            origin: { gatewayId: gateway, connectionId: `c-${s.to}`, userId: s.to },
            frame: { ackR: { conversation: s.assign.conversation, position: positionOf(partition, index) } },
          },
        }),
      }));
    });
  };

  try {
    while (sent < options.warmUp) await round();
    await new Promise((resolve) => setTimeout(resolve, 200));
    cpu.seq = 0;
    cpu.delivery = 0;
    const commandsBefore = await commandCalls(options.redisUrl);
    const redisBefore = options.redisPid !== undefined ? cpuSecondsOf(options.redisPid) : undefined;
    const writesBefore = writeCalls();
    const from = sent;
    const started = process.cpuUsage();
    const wallStart = Date.now();
    while (sent - from < options.messages) await round();
    const used = process.cpuUsage(started);
    const wallMs = Date.now() - wallStart;
    const writes = writeCalls() - writesBefore;
    const redisAfter = options.redisPid !== undefined ? cpuSecondsOf(options.redisPid) : undefined;
    const messages = sent - from;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const commands = callsBetween(commandsBefore, await commandCalls(options.redisUrl));
    const commandsPerMessage: Record<string, number> = {};
    for (const [command, calls] of Object.entries(commands).sort((a, b) => b[1] - a[1])) {
      // The two INFO calls are this tool's own.
      if (command !== 'info' && calls / messages >= 0.005) commandsPerMessage[command] = Math.round((calls / messages) * 100) / 100;
    }
    const redisServer = redisBefore !== undefined && redisAfter !== undefined ? round1(((redisAfter - redisBefore) * 1e6) / messages) : undefined;
    return {
      root: path.resolve(options.root),
      perCall: options.perCall,
      partitions: options.partitions,
      messages,
      usPerMessage: {
        total: round1((used.user + used.system) / messages),
        seqAssign: round1(cpu.seq / messages),
        delivery: round1(cpu.delivery / messages),
        ...(redisServer !== undefined ? { redisServer } : {}),
      },
      writesPerMessage: Math.round((writes / messages) * 100) / 100,
      commandsPerMessage,
      downlinkItems,
      wallMs,
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    };
  } finally {
    await delivery.stop();
    await downlink.close();
    redis.disconnect();
  }
}
