// The sequencer on the memory adapters: positions, deduplication of retransmits, msg:A
// to the sender's own connection and forwarding to delivery.
import { createLogger, createRegistry, Registry } from '@parley/observability';
import { FakeClock, type BatchHandler, type Bus } from '@parley/ports';
import { asGatewayId, decodeDeliveryCommand, decodeFrame, encodeClientPacket, DownlinkBatch, ErrorCode } from '@parley/protocol';
import { createMemoryInfrastructure, Infrastructure } from '@parley/composition';
import { REPEAT_DELAYS_MS } from '@parley/runtime';
import { Sequencer } from '../../src';

const gw = asGatewayId('gw1');
const send = (msgId: string, from = 'alice', to = 'bob') => ({
  key: 'k',
  value: encodeClientPacket({
    origin: { gatewayId: gw, connectionId: `c-${from}`, userId: from, receivedAtMs: 1 },
    frame: { msgR: { msgId, toUser: to, payload: Buffer.from(msgId) } },
  }),
});
/** alice's msg:R to bob numbered `clientSeq`, from `device` over `connection` (device '': the gateway named none). */
const numbered = (msgId: string, clientSeq: number, { device = 'phone', connection = 'c-alice' } = {}) => ({
  key: 'd:alice:bob',
  value: encodeClientPacket({
    origin: { gatewayId: gw, connectionId: connection, userId: 'alice', receivedAtMs: 1, ...(device ? { deviceId: device } : {}) },
    frame: { msgR: { msgId, toUser: 'bob', clientSeq, payload: Buffer.from(msgId) } },
  }),
});

describe('sequencer', () => {
  let infra: Infrastructure;
  let sequencer: Sequencer;
  let answers: Array<{ connection: string; msgId: string; seq: number }>;
  let forwarded: Array<{ msgId: string; seq: number; duplicate: boolean }>;
  let errors: Array<{ connection: string; msgId: string; code: number; retryable?: boolean; expectedClientSeq?: number }>;
  let registry: Registry;
  let clock: FakeClock;
  let groupEvents: Array<Record<string, unknown>>;

  beforeEach(async () => {
    clock = new FakeClock();
    infra = createMemoryInfrastructure(clock);
    await infra.bus.ensureTopics([{ name: 't.deliver', partitions: 1 }]);
    await infra.bus.ensureTopics([{ name: 't.groups', partitions: 1 }]);
    answers = [];
    forwarded = [];
    groupEvents = [];
    errors = [];
    await infra.downlink.subscribe(gw, (b: DownlinkBatch) => {
      for (const item of b.items) {
        const frame = decodeFrame(item.frame as Uint8Array);
        if (frame.error) {
          const { msgId, code, retryable, expectedClientSeq } = frame.error;
          errors.push({
            connection: item.connectionId ?? '',
            msgId,
            code,
            ...(code === ErrorCode.NOT_A_MEMBER ? {} : { retryable, expectedClientSeq: Number(expectedClientSeq) }),
          });
          continue;
        }
        answers.push({ connection: item.connectionId ?? '', msgId: frame.msgA?.msgId ?? '', seq: Number(frame.msgA?.position?.seq) });
      }
    });
    await infra.bus.subscribe({
      topic: 't.deliver',
      group: 'probe',
      onFatal: () => undefined,
      handler: async (batch) => {
        for (const r of batch.records) {
          const command = decodeDeliveryCommand(r.value);
          const changed = command.appEvent?.groupChanged;
          if (changed) {
            groupEvents.push({ key: r.key, version: Number(changed.version), members: changed.members, added: changed.added, removed: changed.removed, by: changed.byUser, created: changed.created });
            forwarded.push({ msgId: `group.changed/${Number(changed.version)}`, seq: 0, duplicate: false });
            continue;
          }
          const s = command.sequenced!;
          forwarded.push({ msgId: s.message!.msgId, seq: Number(s.message!.position!.seq), duplicate: s.duplicate });
        }
      },
    });
    registry = createRegistry();
    sequencer = new Sequencer({ topicPrefix: 't', infrastructure: infra, registry, logger: createLogger('t', 'silent'), clock });
  });

  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };

  it('numbers a conversation 1, 2, 3 whoever sends, and answers each sender on its own connection', async () => {
    await sequencer.handleBatch({ topic: 't.send', partition: 0, records: [send('a1'), send('b1', 'bob', 'alice'), send('a2')] });
    await settle();
    expect(answers).toEqual([
      { connection: 'c-alice', msgId: 'a1', seq: 1 },
      { connection: 'c-bob', msgId: 'b1', seq: 2 },
      { connection: 'c-alice', msgId: 'a2', seq: 3 },
    ]);
    expect(forwarded.map((f) => f.seq)).toEqual([1, 2, 3]);
  });

  it('counts a batch of N messages as N in its metrics, and N more for the next batch', async () => {
    const n = 25;
    const batchOf = (from: number) => ({ topic: 't.send', partition: 0, records: Array.from({ length: n }, (_, i) => send(`m${from + i}`)) });
    const counted = async () => ({
      assigned: (await registry.getSingleMetric('parley_sequencer_messages_total')!.get()).values.find((v) => v.labels.result === 'new')?.value,
      msgA: (await registry.getSingleMetric('parley_packets_total')!.get()).values.find((v) => v.labels.type === 'msg:A' && v.labels.direction === 'out')?.value,
    });
    await sequencer.handleBatch(batchOf(0));
    await settle();
    expect(answers).toHaveLength(n);
    expect(await counted()).toEqual({ assigned: n, msgA: n });
    await sequencer.handleBatch(batchOf(n));
    await settle();
    expect(await counted()).toEqual({ assigned: 2 * n, msgA: 2 * n });
    expect(await registry.metrics()).toContain(`parley_sequencer_messages_total{result="new"} ${2 * n}`);
  });

  it('answers a retransmit with the first seq and marks it duplicate for delivery', async () => {
    await sequencer.handleBatch({ topic: 't.send', partition: 0, records: [send('a1'), send('a2')] });
    await sequencer.handleBatch({ topic: 't.send', partition: 0, records: [send('a1')] });
    await settle();
    expect(answers.map((a) => `${a.msgId}:${a.seq}`)).toEqual(['a1:1', 'a2:2', 'a1:1']);
    expect(forwarded.at(-1)).toEqual({ msgId: 'a1', seq: 1, duplicate: true });
  });

  it("keeps two senders' equal msgIds apart", async () => {
    await sequencer.handleBatch({ topic: 't.send', partition: 0, records: [send('same'), send('same', 'bob', 'alice')] });
    await settle();
    expect(answers.map((a) => `${a.connection}:${a.seq}`)).toEqual(['c-alice:1', 'c-bob:2']);
  });

  it('refuses a group send from a non-member without taking a seq', async () => {
    await infra.membership.create('g:club' as never, ['alice' as never]);
    const groupSend = (msgId: string, from: string) => ({
      key: 'g:club',
      value: encodeClientPacket({
        origin: { gatewayId: gw, connectionId: `c-${from}`, userId: from, receivedAtMs: 1 },
        frame: { msgR: { msgId, conversation: 'g:club', payload: Buffer.from(msgId) } },
      }),
    });
    await sequencer.handleBatch({ topic: 't.send', partition: 0, records: [groupSend('x1', 'mallory'), groupSend('a1', 'alice')] });
    await settle();
    expect(errors).toEqual([{ connection: 'c-mallory', msgId: 'x1', code: ErrorCode.NOT_A_MEMBER }]);
    expect(answers).toEqual([{ connection: 'c-alice', msgId: 'a1', seq: 1 }]);
    expect(forwarded.map((f) => f.msgId)).toEqual(['a1']);
  });

  it('publishes a msg:A that reached no gateway again with backoff until it is heard (the gateway re-subscribing after a store restart)', async () => {
    const late = asGatewayId('gw-late');
    const lateSend = {
      key: 'd:carol:dave',
      value: encodeClientPacket({
        origin: { gatewayId: late, connectionId: 'c-carol', userId: 'carol', receivedAtMs: 1 },
        frame: { msgR: { msgId: 'c1', toUser: 'dave', payload: Buffer.from('c1') } },
      }),
    };
    await sequencer.handleBatch({ topic: 't.send', partition: 0, records: [lateSend, send('a1')] });
    await settle();
    expect(answers).toEqual([{ connection: 'c-alice', msgId: 'a1', seq: 1 }]); // gw-late has no subscriber yet
    const heard: string[] = [];
    clock.advance(REPEAT_DELAYS_MS[0]!);
    await settle();
    await infra.downlink.subscribe(late, (b: DownlinkBatch) => {
      for (const item of b.items) heard.push(`${item.connectionId}:${decodeFrame(item.frame as Uint8Array).msgA?.msgId}`);
    });
    clock.advance(REPEAT_DELAYS_MS[1]!);
    await settle();
    expect(heard).toEqual(['c-carol:c1']);
    for (const delay of REPEAT_DELAYS_MS) clock.advance(delay);
    await settle();
    expect(heard).toEqual(['c-carol:c1']); // heard: not repeated any more
    expect(answers).toEqual([{ connection: 'c-alice', msgId: 'a1', seq: 1 }]); // the heard one was never repeated
    const repeated = (await registry.getSingleMetric('parley_sequencer_answers_repeated_total')!.get()).values[0]?.value;
    expect(repeated).toBe(2);
  });

  it('gives up repeating an unheard msg:A after a bounded number of attempts, and stop() cancels what is pending', async () => {
    const nowhere = {
      key: 'd:carol:dave',
      value: encodeClientPacket({
        origin: { gatewayId: 'gw-gone', connectionId: 'c-carol', userId: 'carol', receivedAtMs: 1 },
        frame: { msgR: { msgId: 'c1', toUser: 'dave', payload: Buffer.from('c1') } },
      }),
    };
    await sequencer.handleBatch({ topic: 't.send', partition: 0, records: [nowhere] });
    for (const delay of [...REPEAT_DELAYS_MS, 10_000]) {
      await settle();
      clock.advance(delay);
    }
    await settle();
    const repeated = async () => (await registry.getSingleMetric('parley_sequencer_answers_repeated_total')!.get()).values[0]?.value;
    expect(await repeated()).toBe(REPEAT_DELAYS_MS.length);
    await sequencer.handleBatch({ topic: 't.send', partition: 0, records: [nowhere] });
    await sequencer.stop();
    clock.advance(60_000);
    await settle();
    expect(await repeated()).toBe(REPEAT_DELAYS_MS.length);
  });

  describe("the sender's order", () => {
    const batch = (...records: Array<{ key: string; value: Uint8Array }>) => sequencer.handleBatch({ topic: 't.send', partition: 0, records });

    it('refuses messages ahead of the next client_seq with OUT_OF_ORDER naming it, forwards none of them, and takes the resend in order', async () => {
      // client_seq 2 never reached the sequencer (its publish failed at the gateway); 3 and 4 did.
      await batch(numbered('m1', 1), numbered('m3', 3), numbered('m4', 4));
      await settle();
      expect(answers.map((a) => `${a.msgId}:${a.seq}`)).toEqual(['m1:1']);
      expect(errors).toEqual([
        { connection: 'c-alice', msgId: 'm3', code: ErrorCode.OUT_OF_ORDER, retryable: true, expectedClientSeq: 2 },
        { connection: 'c-alice', msgId: 'm4', code: ErrorCode.OUT_OF_ORDER, retryable: true, expectedClientSeq: 2 },
      ]);
      expect(forwarded.map((f) => f.msgId)).toEqual(['m1']);

      await batch(numbered('m2', 2), numbered('m3', 3), numbered('m4', 4));
      await settle();
      expect(answers.map((a) => `${a.msgId}:${a.seq}`)).toEqual(['m1:1', 'm2:2', 'm3:3', 'm4:4']);
      expect(forwarded.map((f) => `${f.msgId}:${f.seq}`)).toEqual(['m1:1', 'm2:2', 'm3:3', 'm4:4']);
    });

    it('refuses a new message with a used client_seq as CLIENT_SEQ_REUSED, not retryable, and answers a retransmit as before', async () => {
      await batch(numbered('m1', 1), numbered('m2', 2));
      await batch(numbered('lost-counter', 1), numbered('m2', 2));
      await settle();
      expect(errors).toEqual([{ connection: 'c-alice', msgId: 'lost-counter', code: ErrorCode.CLIENT_SEQ_REUSED, retryable: false, expectedClientSeq: 0 }]);
      expect(answers.map((a) => `${a.msgId}:${a.seq}`)).toEqual(['m1:1', 'm2:2', 'm2:2']);
      expect(forwarded.map((f) => `${f.msgId}:${f.seq}:${f.duplicate}`)).toEqual(['m1:1:false', 'm2:2:false', 'm2:2:true']);
    });

    it('keeps the rule for a device across connections, and takes a connection without a device as a device of its own', async () => {
      await batch(numbered('m1', 1, { connection: 'c-old' }));
      // The same device reconnected: its next message must still be 2.
      await batch(numbered('m3', 3, { connection: 'c-new' }), numbered('m2', 2, { connection: 'c-new' }));
      // A connection that named no device counts alone, from its first message.
      await batch(numbered('x7', 7, { device: '', connection: 'c-anon' }), numbered('x9', 9, { device: '', connection: 'c-anon' }));
      await settle();
      expect(errors).toEqual([
        { connection: 'c-new', msgId: 'm3', code: ErrorCode.OUT_OF_ORDER, retryable: true, expectedClientSeq: 2 },
        { connection: 'c-anon', msgId: 'x9', code: ErrorCode.OUT_OF_ORDER, retryable: true, expectedClientSeq: 8 },
      ]);
      expect(answers.map((a) => `${a.connection}:${a.msgId}:${a.seq}`)).toEqual(['c-old:m1:1', 'c-new:m2:2', 'c-anon:x7:3']);
    });

    it('counts refusals by result and by error code', async () => {
      await batch(numbered('m1', 1), numbered('m3', 3), numbered('again', 1), numbered('m1', 1));
      const assigned = await registry.getSingleMetricAsString('parley_sequencer_messages_total');
      expect(assigned).toContain('result="new"} 1');
      expect(assigned).toContain('result="duplicate"} 1');
      expect(assigned).toContain('result="out_of_order"} 1');
      expect(assigned).toContain('result="client_seq_reused"} 1');
      const errorsMetric = await registry.getSingleMetricAsString('parley_errors_total');
      expect(errorsMetric).toMatch(/code="OUT_OF_ORDER".*service="sequencer".*\} 1/);
      expect(errorsMetric).toMatch(/code="CLIENT_SEQ_REUSED".*service="sequencer".*\} 1/);
    });
  });

  it('puts a group.changed event for every applied create and change on the deliver topic, in order with the group messages', async () => {
    sequencer = new Sequencer({ topicPrefix: 't', infrastructure: infra, registry: createRegistry(), logger: createLogger('t', 'silent'), clock, appEvents: true });
    const groupR = (from: string, groupR: Record<string, unknown>) => ({
      key: 'g:team',
      value: encodeClientPacket({ origin: { gatewayId: gw, connectionId: `c-${from}`, userId: from, receivedAtMs: 1 }, frame: { groupR: { requestId: `r-${from}-${forwarded.length}`, ...groupR } } }),
    });
    const toGroup = (msgId: string) => ({
      key: 'g:team',
      value: encodeClientPacket({ origin: { gatewayId: gw, connectionId: 'c-alice', userId: 'alice', receivedAtMs: 1 }, frame: { msgR: { msgId, conversation: 'g:team', payload: Buffer.from(msgId) } } }),
    });
    await sequencer.handleBatch({
      topic: 't.send',
      partition: 0,
      records: [
        groupR('alice', { create: { groupId: 'team', members: ['bob'] } }),
        toGroup('g1'),
        groupR('alice', { change: { conversation: 'g:team', add: ['carol', 'bob'], remove: ['bob'] } }),
        groupR('mallory', { change: { conversation: 'g:team', add: ['mallory'] } }),
        toGroup('g2'),
      ],
    });
    await settle();
    expect(forwarded.map((f) => f.msgId)).toEqual(['group.changed/1', 'g1', 'group.changed/2', 'g2']);
    expect(groupEvents).toEqual([
      { key: 'g:team', version: 1, members: ['alice', 'bob'], added: ['alice', 'bob'], removed: [], by: 'alice', created: true },
      { key: 'g:team', version: 2, members: ['alice', 'carol'], added: ['carol'], removed: ['bob'], by: 'alice', created: false },
    ]);
  });

  describe('as its consumer calls it', () => {
    /** The sequencer started on a bus whose deliver- and groups-topic publishes wait for `release`; the consumer's handler captured. */
    async function started() {
      const real = infra.bus;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let handler: BatchHandler | undefined;
      const bus: Bus = {
        ensureTopics: (topics) => real.ensureTopics(topics),
        readToEnd: (topic, visit) => real.readToEnd(topic, visit),
        publish: async (topic, records) => {
          if (topic === 't.deliver' || topic === 't.groups') await gate;
          await real.publish(topic, records);
        },
        subscribe: async (options) => {
          if (options.topic === 't.send') handler = options.handler;
          return real.subscribe(options);
        },
      };
      await real.ensureTopics([{ name: 't.send', partitions: 1 }, { name: 't.dead-letter', partitions: 1 }]);
      const stage = new Sequencer({ topicPrefix: 't', infrastructure: { ...infra, bus }, registry: createRegistry(), logger: createLogger('t', 'silent'), clock });
      await stage.start();
      return { stage, handler: handler!, release };
    }

    it('ends a call once positions are stored: the forward to delivery and msg:A settle after it, msg:A only once the forward is durable', async () => {
      const { stage, handler, release } = await started();
      const handled = await handler({ topic: 't.send', partition: 0, records: [send('a1'), send('a2')] });
      expect(handled).toBeDefined();
      await settle();
      expect(forwarded).toEqual([]);
      expect(answers).toEqual([]);
      // The next call reads what the first stored (the dedupe), though its effects are still on their way.
      const next = await handler({ topic: 't.send', partition: 0, records: [send('a2'), send('a3')] });
      release();
      await handled!.settled;
      await next!.settled;
      await settle();
      expect(forwarded).toEqual([
        { msgId: 'a1', seq: 1, duplicate: false },
        { msgId: 'a2', seq: 2, duplicate: false },
        { msgId: 'a2', seq: 2, duplicate: true },
        { msgId: 'a3', seq: 3, duplicate: false },
      ]);
      expect(answers.map((a) => `${a.msgId}@${a.seq}`)).toEqual(['a1@1', 'a2@2', 'a2@2', 'a3@3']);
      await stage.stop();
    });

    it('waits for the effects itself in a batch with a group change (the groups topic is read by a rebuild)', async () => {
      const { stage, handler, release } = await started();
      const create = {
        key: 'g:team',
        value: encodeClientPacket({
          origin: { gatewayId: gw, connectionId: 'c-alice', userId: 'alice', receivedAtMs: 1 },
          frame: { groupR: { requestId: 'r1', create: { groupId: 'team', members: ['bob'] } } },
        }),
      };
      let over = false;
      const call = handler({ topic: 't.send', partition: 0, records: [create] }).then((handled) => {
        over = true;
        return handled;
      });
      await settle();
      expect(over).toBe(false);
      release();
      expect(await call).toBeUndefined();
      await stage.stop();
    });
  });
});
