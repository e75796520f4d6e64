// The sequencer on the memory adapters: positions, deduplication of retransmits, msg:A
// to the sender's own connection and forwarding to delivery.
import { createLogger, createRegistry } from '@parley/observability';
import { FakeClock } from '@parley/ports';
import { asGatewayId, decodeDeliveryCommand, decodeFrame, encodeClientPacket, DownlinkBatch, ErrorCode } from '@parley/protocol';
import { createMemoryInfrastructure, Infrastructure } from '@parley/runtime';
import { Sequencer } from '../../src';

const gw = asGatewayId('gw1');
const send = (msgId: string, from = 'alice', to = 'bob') => ({
  key: 'k',
  value: encodeClientPacket({
    origin: { gatewayId: gw, connectionId: `c-${from}`, userId: from, receivedAtMs: 1 },
    frame: { msgR: { msgId, toUser: to, payload: Buffer.from(msgId) } },
  }),
});

describe('sequencer', () => {
  let infra: Infrastructure;
  let sequencer: Sequencer;
  let answers: Array<{ connection: string; msgId: string; seq: number }>;
  let forwarded: Array<{ msgId: string; seq: number; duplicate: boolean }>;
  let errors: Array<{ connection: string; msgId: string; code: number }>;

  beforeEach(async () => {
    const clock = new FakeClock();
    infra = createMemoryInfrastructure(clock);
    await infra.bus.ensureTopics([{ name: 't.deliver', partitions: 1 }]);
    answers = [];
    forwarded = [];
    errors = [];
    await infra.downlink.subscribe(gw, (b: DownlinkBatch) => {
      for (const item of b.items) {
        const frame = decodeFrame(item.frame as Uint8Array);
        if (frame.error) {
          errors.push({ connection: item.connectionId ?? '', msgId: frame.error.msgId, code: frame.error.code });
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
          const s = decodeDeliveryCommand(r.value).sequenced!;
          forwarded.push({ msgId: s.message!.msgId, seq: Number(s.message!.position!.seq), duplicate: s.duplicate });
        }
      },
    });
    sequencer = new Sequencer({ topicPrefix: 't', infrastructure: infra, registry: createRegistry(), logger: createLogger('t', 'silent'), clock });
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
});
