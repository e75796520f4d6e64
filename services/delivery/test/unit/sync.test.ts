// sync:R and conversations:R answers on the memory adapters: history after a position,
// paging, and an explicit reset when the position is past retention or in an old epoch.
import { asConversationId, asMsgId, asUserId, encodeDeliveryCommand, parley } from '@parley/protocol';
import type { Infrastructure } from '@parley/composition';
import type { Delivery } from '../../src';
import { batch, deliveryHarness, settle } from '../support/delivery-harness';
import { gw } from '../support/direct-records';
const conversation = asConversationId('d:alice:bob');

describe('sync and the conversation list', () => {
  let infra: Infrastructure;
  let delivery: Delivery;
  let answers: parley.v1.Frame[];

  beforeEach(async () => {
    answers = [];
    const harness = await deliveryHarness({ onPushed: (p) => answers.push(p.frame), retention: { maxMessages: 5, maxAgeMs: 86_400_000 }, maxOfflinePage: 3 });
    ({ infra, delivery } = harness);
    const clock = harness.clock;
    await infra.seqStore.assign(
      Array.from({ length: 10 }, (_, i) => ({
        conversation,
        msgId: asMsgId(`alice/m${i + 1}`),
        message: parley.v1.StoredMessage.create({ conversation, msgId: `m${i + 1}`, fromUser: 'alice', toUsers: ['bob'], serverTimeMs: clock.now() }),
      })),
    );
  });

  const request = async (user: string, frame: parley.v1.IFrame) => {
    await delivery.handleBatch(batch({ key: user, value: encodeDeliveryCommand({ client: { origin: { gatewayId: gw, connectionId: 'c', userId: user }, frame } }) }));
    await settle();
    return answers.at(-1)!;
  };

  it('pages history after a position', async () => {
    const epoch = (await infra.messageStore.range(conversation, 0, 1)).epoch;
    const answer = await request('bob', { syncR: { requestId: 'r1', conversation, after: { epoch, seq: 6 }, limit: 10 } });
    expect(answer.syncA).toMatchObject({ requestId: 'r1', reset: false, hasMore: true, latest: { epoch, seq: 10 } });
    expect(answer.syncA!.messages.map((m) => Number(m.position!.seq))).toEqual([7, 8, 9]);
  });

  it('answers reset from the oldest kept message when the position is past retention', async () => {
    const epoch = (await infra.messageStore.range(conversation, 0, 1)).epoch;
    const answer = await request('bob', { syncR: { requestId: 'r2', conversation, after: { epoch, seq: 2 } } });
    expect(answer.syncA!.reset).toBe(true);
    expect(answer.syncA!.messages.map((m) => Number(m.position!.seq))).toEqual([6, 7, 8]);
  });

  it('answers reset when the position is from another epoch', async () => {
    const answer = await request('bob', { syncR: { requestId: 'r3', conversation, after: { epoch: 'an-old-epoch', seq: 9 } } });
    expect(answer.syncA!.reset).toBe(true);
    expect(Number(answer.syncA!.messages[0]!.position!.seq)).toBe(6);
  });

  it('refuses a non-member with NOT_A_MEMBER, naming the request', async () => {
    const answer = await request('mallory', { syncR: { requestId: 'r4', conversation, after: { epoch: '', seq: 0 } } });
    expect(answer.error).toMatchObject({ code: 3002, msgId: 'r4' });
  });

  it('lists conversations with latest and acked positions', async () => {
    await infra.conversationIndex.touch([{ user: asUserId('bob'), conversation, atMs: 5 }]);
    const epoch = (await infra.messageStore.range(conversation, 0, 1)).epoch;
    await request('bob', { ackR: { conversation, position: { epoch, seq: 4 } } });
    const answer = await request('bob', { conversationsR: { requestId: 'r5' } });
    expect(answer.conversationsA!.conversations).toEqual([
      expect.objectContaining({ conversation, latest: expect.objectContaining({ epoch, seq: 10 }), acked: expect.objectContaining({ epoch, seq: 4 }) }),
    ]);
  });
});
