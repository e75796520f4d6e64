// Property test of the server's request handlers (seeded): batches of generated client packets
// of every kind go through the gateway's frame validation, then the sequencer's and delivery's
// batch handlers on the memory adapters. No handler may throw or hang, every request that
// expects an answer gets one (its answer or a documented error), and after each batch a fresh
// pair still exchanges a message (msg:A, msg:N, ack:A, ack:N).
import fc from 'fast-check';
import { createLogger, createRegistry } from '@parley/observability';
import { Bus, BusRecord, ConsumedRecord, FakeClock } from '@parley/ports';
import {
  asConnectionId,
  asGatewayId,
  asUserId,
  decodeFrame,
  DownlinkBatch,
  encodeClientPacket,
  encodeDeliveryCommand,
  encodeFrame,
  Frame,
  FrameInit,
} from '@parley/protocol';
import { createMemoryInfrastructure, Infrastructure } from '@parley/composition';
import { topicNames, topicSpecs } from '@parley/runtime';
import { decodeInboundFrame } from '@parley/gateway';
import { Sequencer } from '@parley/sequencer';
import { Delivery } from '@parley/delivery';
import { AnswerLedger, FuzzPacket, LIMITS, packet, USERS } from '@parley/fuzz';

// Seeded, so a run is repeatable; PARLEY_FUZZ_SEED / PARLEY_FUZZ_RUNS explore further.
const SEED = Number(process.env.PARLEY_FUZZ_SEED ?? 20_261_206);
const RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 200);
const PACKETS_PER_RUN = { minLength: 50, maxLength: 60 };
const HANDLER_DEADLINE_MS = 10_000;
const gw = asGatewayId('gw-fuzz');
const topics = topicNames('fz');

/** Rejects when `work` has not settled by the deadline: a handler that hangs fails the property. */
function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${HANDLER_DEADLINE_MS} ms`)), HANDLER_DEADLINE_MS);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** The request path of one embedded server, driven by hand: gateway decision, then the two batch handlers. */
class RequestPath {
  /** Frames each connection received, in order. */
  readonly received = new Map<string, Frame[]>();
  readonly ledger = new AnswerLedger();
  private sendRecords: BusRecord[] = [];
  private deliverRecords: BusRecord[] = [];
  private forwarded: BusRecord[] = [];
  private offset = 0;

  private constructor(
    readonly infra: Infrastructure,
    readonly sequencer: Sequencer,
    readonly delivery: Delivery,
  ) {}

  static async create(): Promise<RequestPath> {
    const clock = new FakeClock();
    const memory = createMemoryInfrastructure(clock);
    await memory.bus.ensureTopics(topicSpecs(topics, 1));
    let path: RequestPath | undefined;
    // What the sequencer forwards is handed to delivery by the test, in the same turn.
    const bus: Bus = {
      ensureTopics: (specs) => memory.bus.ensureTopics(specs),
      subscribe: (options) => memory.bus.subscribe(options),
      readToEnd: (topic, visit) => memory.bus.readToEnd(topic, visit),
      publish: async (topic, records) => {
        if (topic === topics.deliver) path!.forwarded.push(...records);
        else await memory.bus.publish(topic, records);
      },
    };
    const infra: Infrastructure = { ...memory, bus };
    const common = { topicPrefix: 'fz', infrastructure: infra, registry: createRegistry(), logger: createLogger('fuzz', 'silent'), clock };
    const sequencer = new Sequencer({ ...common, maxGroupMembers: LIMITS.maxGroupMembers });
    const delivery = new Delivery({
      ...common,
      redelivery: { ackTimeoutMs: 5_000, maxRedeliveries: 2, maxBackoffMs: 20_000 },
      maxOfflinePage: 200,
    });
    path = new RequestPath(infra, sequencer, delivery);
    await infra.downlink.subscribe(gw, (batch: DownlinkBatch) => path!.deliver(batch));
    const everyone = [...USERS.map((u) => [u, `c-${u}`]), ['u0', 'c-u0b'], ['fresh-a', 'c-fresh-a'], ['fresh-b', 'c-fresh-b']];
    await infra.presence.register(
      everyone.map(([user, connection]) => ({ user: asUserId(user!), gatewayId: gw, connectionId: asConnectionId(connection!) })),
      3_600_000,
    );
    return path;
  }

  /** What the gateway does with one frame from `user` on `connection` (connection-handler.ts, without the transport). */
  receive(user: string, connection: string, bytes: Uint8Array): void {
    const decision = decodeInboundFrame(bytes, asUserId(user), LIMITS);
    if (decision.action === 'pong' || decision.action === 'typing') return; // typing:R never reaches the bus
    if (decision.action === 'refuse') {
      this.frames(connection).push(decodeFrame(encodeFrame({ error: { code: decision.code, message: decision.message, msgId: decision.msgId } })));
      return;
    }
    const frame = decision.frame;
    const packet = { origin: { gatewayId: gw, connectionId: connection, userId: user, receivedAtMs: 1, deviceId: connection }, frame };
    if (decision.topic === 'send') this.sendRecords.push({ key: decision.key, value: encodeClientPacket(packet) });
    else this.deliverRecords.push({ key: decision.key, value: encodeDeliveryCommand({ client: packet }) });
    this.ledger.owe(connection, frame);
  }

  /** Hands what the gateways forwarded to the sequencer, then everything for delivery to delivery. */
  async flush(): Promise<void> {
    const sends = this.sendRecords.splice(0);
    if (sends.length > 0) await withDeadline(this.sequencer.handleBatch(this.batch(topics.send, sends)), 'the sequencer');
    const delivers = [...this.deliverRecords.splice(0), ...this.forwarded.splice(0)];
    if (delivers.length > 0) await withDeadline(this.delivery.handleBatch(this.batch(topics.deliver, delivers)), 'delivery');
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Every request owed an answer got one: its own answer or a documented error naming it (unnamed ones by count). */
  expectEveryRequestAnswered(): void {
    expect(this.ledger.shortfalls((connection) => this.frames(connection))).toEqual([]);
  }

  /** A pair that took no part in the batch exchanges one message end to end. */
  async expectFreshPairExchanges(msgId: string): Promise<void> {
    this.received.delete('c-fresh-a');
    this.received.delete('c-fresh-b');
    this.receive('fresh-a', 'c-fresh-a', encodeFrame({ msgR: { msgId, toUser: 'fresh-b', payload: Buffer.from('still flowing') } }));
    await this.flush();
    const accepted = this.frames('c-fresh-a').find((f) => f.msgA?.msgId === msgId);
    const pushed = this.frames('c-fresh-b').find((f) => f.msgN?.msgId === msgId);
    expect({ msgA: accepted !== undefined, msgN: pushed !== undefined }).toEqual({ msgA: true, msgN: true });
    this.receive('fresh-b', 'c-fresh-b', encodeFrame({ ackR: { conversation: pushed!.msgN!.conversation, position: pushed!.msgN!.position } }));
    await this.flush();
    expect(this.frames('c-fresh-b').some((f) => f.ackA)).toBe(true);
    const ackN = this.frames('c-fresh-a').find((f) => f.ackN?.msgId === msgId);
    expect(ackN?.ackN?.status).toBe(1);
  }

  async stop(): Promise<void> {
    await this.delivery.stop();
    await this.infra.close();
  }

  private batch(topic: string, records: BusRecord[]): { topic: string; partition: number; records: ConsumedRecord[] } {
    return { topic, partition: 0, records: records.map((r) => ({ ...r, offset: String(this.offset++) })) };
  }

  private frames(connection: string): Frame[] {
    let frames = this.received.get(connection);
    if (!frames) this.received.set(connection, (frames = []));
    return frames;
  }

  private deliver(batch: DownlinkBatch): void {
    for (const item of batch.items) {
      const frame = decodeFrame(item.frame as Uint8Array);
      for (const user of [item.userId ?? '', ...(item.moreUserIds ?? [])]) {
        const connections = user === 'u0' ? ['c-u0', 'c-u0b'] : [`c-${user}`];
        for (const connection of connections) {
          if (item.connectionId && item.connectionId !== connection) continue;
          if (item.exceptConnectionId === connection) continue;
          this.frames(connection).push(frame);
        }
      }
    }
  }
}

const connectionOf = (p: FuzzPacket, i: number): string => (p.user === 0 && i % 3 === 0 ? 'c-u0b' : `c-${USERS[p.user]}`);
const bytesOf = (p: FuzzPacket): Uint8Array => ('bytes' in p ? p.bytes : encodeFrame(p.frame as FrameInit));

describe('the request handlers under generated client packets', () => {
  it(`never throw or hang, answer every request, and keep serving others (${RUNS} batches, seed ${SEED})`, async () => {
    let packets = 0;
    let run = 0;
    expect(RUNS * PACKETS_PER_RUN.minLength).toBeGreaterThanOrEqual(process.env.PARLEY_FUZZ_RUNS ? 0 : 10_000);
    await fc.assert(
      fc.asyncProperty(fc.array(packet, PACKETS_PER_RUN), async (batch) => {
        const path = await RequestPath.create();
        try {
          batch.forEach((p, i) => path.receive(USERS[p.user]!, connectionOf(p, i), bytesOf(p)));
          packets += batch.length;
          await path.flush();
          path.expectEveryRequestAnswered();
          await path.expectFreshPairExchanges(`fresh-${run++}`);
        } finally {
          await path.stop();
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false },
    );
    expect(packets).toBeGreaterThanOrEqual(RUNS * PACKETS_PER_RUN.minLength);
  }, 300_000);
});
