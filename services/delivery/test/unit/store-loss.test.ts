// Delivery when the store lost its data (presence and inboxes gone, delivery's memory
// intact): the sender's ack:N still reaches the connection its message came from, an ack:N
// that reached no gateway is published again, a batch handed again after its publish failed
// announces again, and pending messages, 1:1 and group, go back to the inboxes.
import type { Registry } from '@parley/observability';
import { FakeClock, MemoryMembership, MemoryStoreGeneration, UnavailableError } from '@parley/ports';
import { asGatewayId, asUserId, encodeDeliveryCommand, parley, GatewayId } from '@parley/protocol';
import type { Infrastructure } from '@parley/composition';
import { topicNames, topicSpecs } from '@parley/runtime';
import type { Delivery } from '../../src';
import { batch, deliveryHarness, DeliveryHarness, PushedFrame, settle } from '../support/delivery-harness';
import { REPEAT_DELAYS_MS } from '../../src/sender-notices';
import { ackFromBob, gw, sequenced } from '../support/direct-records';

const pullFromBob = {
  key: 'bob',
  value: encodeDeliveryCommand({ client: { origin: { gatewayId: gw, connectionId: 'cb', userId: 'bob' }, frame: { offlineR: { limit: 10, cursor: '' } } } }),
};
const club = 'g:club';
const groupMessage = (seq: number) =>
  parley.v1.StoredMessage.create({ conversation: club, position: { epoch: 'e1', seq }, msgId: `g${seq}`, fromUser: 'alice', toUsers: [], payload: Buffer.from(`to all ${seq}`) });
const groupSequenced = (seq: number) => ({
  key: club,
  value: encodeDeliveryCommand({ sequenced: { message: groupMessage(seq), duplicate: false, origin: { gatewayId: gw, connectionId: 'ca', userId: 'alice' } } }),
});
const groupAck = (user: string, conn: string, gateway: string, seq: number) => ({
  key: club,
  value: encodeDeliveryCommand({ client: { origin: { gatewayId: gateway, connectionId: conn, userId: user }, frame: { ackR: { conversation: club, position: { epoch: 'e1', seq } } } } }),
});

describe('delivery after the store lost its data', () => {
  let clock: FakeClock;
  let infra: Infrastructure;
  let delivery: Delivery;
  let registry: Registry;
  let pushed: PushedFrame[];
  let harness: DeliveryHarness;

  const listen = (gateway: GatewayId) => harness.listen(gateway);
  const online = (user: string, conn: string, gateway: GatewayId = gw) => harness.online(user, conn, gateway);
  const inboxOf = async (user: string) => (await infra.inbox.page(asUserId(user), undefined, 100)).messages.map((m) => m.msgId);
  const pushesTo = (user: string) => pushed.filter((p) => p.packet === 'msgN' && p.user === user).map((p) => p.frame.msgN?.msgId);
  const forget = (user: string, conn: string) => harness.offline(user, conn);
  const ackNs = () => pushed.filter((p) => p.packet === 'ackN').map((p) => `${p.gateway}:${p.user}:${p.frame.ackN?.msgId}:${p.frame.ackN?.status}`);

  beforeEach(async () => {
    pushed = [];
    harness = await deliveryHarness({ onPushed: (p) => pushed.push(p), redelivery: { ackTimeoutMs: 5_000, maxRedeliveries: 3, maxBackoffMs: 30_000 } });
    ({ clock, infra, delivery, registry } = harness);
  });
  afterEach(async () => {
    await delivery.stop();
  });

  it('tells the sender STORED_OFFLINE at the connection the message came from, though presence knows neither user', async () => {
    await delivery.handleBatch(batch(sequenced(1)));
    await settle();
    expect(await infra.inbox.size(asUserId('bob'))).toBe(1);
    expect(ackNs()).toEqual(['gw1:alice:m1:2']); // ACK_STATUS_STORED_OFFLINE
  });

  it("tells the sender DELIVERED at its origin connection after presence lost the sender's entry", async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1)));
    await forget('alice', 'ca'); // the store restarted empty; alice's gateway has not re-registered yet
    await delivery.handleBatch(batch(ackFromBob(1)));
    await settle();
    expect(ackNs()).toEqual(['gw1:alice:m1:1']); // ACK_STATUS_DELIVERED
  });

  it('publishes an ack:N that reached no gateway again, with backoff, until its gateway hears it', async () => {
    const gw2 = asGatewayId('gw2'); // alice's gateway, its subscription re-opening
    await delivery.handleBatch(batch(sequenced(1, { from: gw2 })));
    await settle();
    expect(ackNs()).toEqual([]);
    clock.advance(REPEAT_DELAYS_MS[0]!);
    await settle();
    expect(ackNs()).toEqual([]); // still nobody subscribed: repeated again later
    await listen(gw2);
    clock.advance(REPEAT_DELAYS_MS[1]!);
    await settle();
    expect(ackNs()).toEqual(['gw2:alice:m1:2']);
    clock.advance(60_000);
    await settle();
    expect(ackNs()).toHaveLength(1); // heard: not repeated any more
  });

  it('gives up repeating after a bounded number of attempts', async () => {
    const gone = asGatewayId('gone');
    await delivery.handleBatch(batch(sequenced(1, { from: gone })));
    for (const delay of REPEAT_DELAYS_MS) {
      clock.advance(delay);
      await settle();
    }
    const repeats = (await registry.getSingleMetric('parley_delivery_notices_repeated_total')!.get()).values[0]?.value;
    expect(repeats).toBe(REPEAT_DELAYS_MS.length);
    expect(clock.pendingTimers()).toBe(0); // bob is offline: no re-push timer either
  });

  it("writes every pending message back to its receiver's inbox, and not one a device acked", async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1), sequenced(2), sequenced(3)));
    await delivery.handleBatch(batch(ackFromBob(2)));
    // The store lost the inbox with everything else.
    await infra.inbox.remove(asUserId('bob'), [1, 3].map((seq) => ({ conversation: 'd:alice:bob' as never, epoch: 'e1' as never, seq })));
    expect(await infra.inbox.size(asUserId('bob'))).toBe(0);

    await delivery.afterStoreLoss();
    const page = await infra.inbox.page(asUserId('bob'), '', 10);
    expect(page.messages.map((m) => m.msgId)).toEqual(['m1', 'm3']);
    expect(delivery.pendingCount).toBe(2); // still pushed again on timeout until acked
  });

  it('answers a pull made after the loss with the pending messages, even before the periodic check noticed the loss', async () => {
    await infra.bus.ensureTopics(topicSpecs(topicNames('t'), 1));
    await delivery.start(); // watches the store
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1), sequenced(2)));
    await infra.inbox.remove(asUserId('bob'), [1, 2].map((seq) => ({ conversation: 'd:alice:bob' as never, epoch: 'e1' as never, seq })));
    (infra.storeGeneration as MemoryStoreGeneration).forget(); // lost; no reconnect seen, next check 1 s away

    await delivery.handleBatch(batch(pullFromBob)); // bob's gateway noticed first: resync:N, then this pull
    await settle();
    const answer = pushed.find((p) => p.packet === 'offlineA');
    expect(answer?.frame.offlineA?.messages?.map((m) => m.msgId)).toEqual(['m1', 'm2']);
  });

  it('never fans a group message out to nobody, nor refuses a member, while the store has not got the groups back', async () => {
    const club = 'g:club';
    await infra.membership.create(club as never, [asUserId('alice'), asUserId('bob')]);
    await online('alice', 'ca');
    await online('bob', 'cb');
    const groupMessage = parley.v1.StoredMessage.create({ conversation: club, position: { epoch: 'e1', seq: 1 }, msgId: 'g1', fromUser: 'alice', toUsers: [], payload: Buffer.from('hi') });
    const groupSequenced = { key: club, value: encodeDeliveryCommand({ sequenced: { message: groupMessage, duplicate: false, origin: { gatewayId: gw, connectionId: 'ca', userId: 'alice' } } }) };
    const syncFromBob = { key: club, value: encodeDeliveryCommand({ client: { origin: { gatewayId: gw, connectionId: 'cb', userId: 'bob' }, frame: { syncR: { requestId: 's1', conversation: club, limit: 10 } } } }) };
    (infra.membership as MemoryMembership).forget(); // the store lost its data; the sequencer has not rebuilt the groups yet

    // Not known yet: transient (the bus hands the batch again), nothing pushed, nothing refused.
    await expect(delivery.handleBatch(batch(groupSequenced))).rejects.toBeInstanceOf(UnavailableError);
    await expect(delivery.handleBatch(batch(syncFromBob))).rejects.toBeInstanceOf(UnavailableError);
    await settle();
    expect(pushed.filter((p) => p.packet === 'msgN' || p.packet === 'error')).toEqual([]);

    await infra.membership.restore([{ conversation: club as never, state: { members: [asUserId('alice'), asUserId('bob')], version: 1 } }]);
    await infra.membership.markRestored();
    await delivery.handleBatch(batch(groupSequenced));
    await delivery.handleBatch(batch(syncFromBob));
    await settle();
    expect(pushed.filter((p) => p.packet === 'msgN').map((p) => `${p.user}:${p.frame.msgN?.msgId}`)).toEqual(['bob:g1']);
    expect(pushed.filter((p) => p.packet === 'error')).toEqual([]);
    expect(pushed.some((p) => p.packet === 'syncA')).toBe(true);
  });

  it('announces DELIVERED when the batch carrying the receiver\'s ack is handed again after its publish failed', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1)));
    // Redis went away while the ack:N was being published: the batch fails and is handed again.
    jest.spyOn(infra.downlink, 'publish').mockRejectedValueOnce(new UnavailableError('downlink unavailable'));
    await expect(delivery.handleBatch(batch(ackFromBob(1)))).rejects.toBeInstanceOf(UnavailableError);
    expect(ackNs()).toEqual([]);
    await delivery.handleBatch(batch(ackFromBob(1)));
    await settle();
    expect(ackNs()).toEqual(['gw1:alice:m1:1']); // DELIVERED, once
    expect(delivery.pendingCount).toBe(0);
    await delivery.handleBatch(batch(ackFromBob(1))); // a later copy of the ack: told already
    await settle();
    expect(ackNs()).toEqual(['gw1:alice:m1:1']);
  });

  it('puts a pending message back in the inbox, and tells the sender STORED_OFFLINE, when its receiver is not found after the loss', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1)));
    await infra.inbox.remove(asUserId('bob'), [{ conversation: 'd:alice:bob' as never, epoch: 'e1' as never, seq: 1 }]);
    await forget('bob', 'cb'); // the store lost presence; bob's gateway has not re-registered him yet
    clock.advance(5_000); // the ack timeout: bob is not found
    await settle();
    await settle();
    expect(await inboxOf('bob')).toEqual(['m1']); // his pull after resync:N finds it
    expect(ackNs()).toEqual(['gw1:alice:m1:2']); // STORED_OFFLINE
    expect(delivery.pendingCount).toBe(0);
  });

  describe('group messages pushed before the loss', () => {
    const members = ['alice', 'bob', 'carol', 'dave'].map(asUserId);
    const gwMembers = asGatewayId('gw2'); // bob's, carol's and dave's gateway

    beforeEach(async () => {
      await infra.membership.create(club as never, members);
      await online('alice', 'ca');
      for (const user of ['bob', 'carol', 'dave']) await online(user, `c-${user}`, gwMembers);
      // gw2's subscription is re-opening after the store restart: these pushes reach nobody.
      await delivery.handleBatch(batch(groupSequenced(1), groupSequenced(2), groupSequenced(3)));
      await delivery.handleBatch(batch(groupAck('carol', 'c-carol', 'gw2', 2), groupAck('dave', 'c-dave', 'gw2', 3)));
    });

    it('go back to the inboxes of the members that had not acked them, from memory, though the message store lost them', async () => {
      expect(pushesTo('bob')).toEqual([]);
      expect(await infra.messageStore.range(club as never, 0, 10)).toMatchObject({ messages: [] }); // nothing to read there
      await delivery.afterStoreLoss();
      expect(await inboxOf('bob')).toEqual(['g1', 'g2', 'g3']);
      expect(await inboxOf('carol')).toEqual(['g3']);
      expect(await inboxOf('dave')).toEqual([]);
      expect(await inboxOf('alice')).toEqual([]); // the sender's connection has its msg:A
      const restored = (await registry.getSingleMetric('parley_delivery_inbox_restored_total')!.get()).values;
      expect(restored.find((v) => v.labels.kind === 'group')?.value).toBe(4);
    });

    it('are pushed again from memory until acked, then let go', async () => {
      await delivery.afterStoreLoss();
      await listen(gwMembers);
      clock.advance(5_000);
      await settle();
      await settle();
      expect(pushesTo('bob')).toEqual(['g1', 'g2', 'g3']);
      expect(pushesTo('carol')).toEqual(['g3']);
      expect(pushesTo('dave')).toEqual([]);
      await delivery.handleBatch(batch(groupAck('bob', 'c-bob', 'gw2', 3), groupAck('carol', 'c-carol', 'gw2', 3)));
      const kept = async () => (await registry.getSingleMetric('parley_delivery_group_messages_kept')!.get()).values[0]?.value;
      expect(await kept()).toBe(0); // every connection acked all three
      clock.advance(120_000);
      await settle();
      expect(pushesTo('bob')).toEqual(['g1', 'g2', 'g3']);
    });
  });

  describe('a sync from the epoch the store lost', () => {
    const syncFrom = (user: string, conn: string, conversation: string, seq: number, gateway: string = gw) => ({
      key: conversation,
      value: encodeDeliveryCommand({
        client: { origin: { gatewayId: gateway, connectionId: conn, userId: user }, frame: { syncR: { requestId: `s-${seq}`, conversation, after: { epoch: 'e1', seq }, limit: 2 } } },
      }),
    });
    const syncAnswers = () => pushed.filter((p) => p.packet === 'syncA').map((p) => p.frame.syncA!);
    const seqsOf = (answer: parley.v1.ISyncAnswer) => (answer.messages ?? []).map((m) => `${m.position?.epoch}#${Number(m.position?.seq)}`);
    /** The store's new epoch for the conversation: one message sequenced after the loss. */
    const newEpoch = async (conversation: string) => {
      await infra.seqStore.assign([
        { conversation: conversation as never, msgId: 'alice/n1' as never, message: parley.v1.StoredMessage.create({ conversation, msgId: 'n1', fromUser: 'alice', toUsers: [], serverTimeMs: clock.now() }) },
      ]);
      return (await infra.messageStore.range(conversation as never, 0, 1)).epoch;
    };

    it("hands over the old epoch's messages the receiver has not taken, page by page, before the reset to the new epoch", async () => {
      await online('alice', 'ca');
      await online('bob', 'cb');
      await delivery.handleBatch(batch(sequenced(1), sequenced(2), sequenced(3), sequenced(4)));
      await delivery.handleBatch(batch(ackFromBob(1)));
      const epoch = await newEpoch('d:alice:bob');

      await delivery.handleBatch(batch(syncFrom('bob', 'cb', 'd:alice:bob', 1)));
      await settle();
      const [first] = syncAnswers();
      expect(seqsOf(first!)).toEqual(['e1#2', 'e1#3']);
      expect(first).toMatchObject({ reset: false, hasMore: true, latest: { epoch, seq: 1 } });

      await delivery.handleBatch(batch(syncFrom('bob', 'cb', 'd:alice:bob', 3)));
      await delivery.handleBatch(batch(syncFrom('bob', 'cb', 'd:alice:bob', 4)));
      await settle();
      const [, second, third] = syncAnswers();
      expect(seqsOf(second!)).toEqual(['e1#4']);
      expect(second).toMatchObject({ reset: false, hasMore: true });
      expect(seqsOf(third!)).toEqual([`${epoch}#1`]);
      expect(third).toMatchObject({ reset: true, hasMore: false });
    });

    it('answers after the messages of its batch that came before it, though requests usually go first', async () => {
      await online('alice', 'ca');
      // bob's presence is being registered again: these are only stored in his inbox.
      const epoch = await newEpoch('d:alice:bob');
      await delivery.handleBatch(batch(sequenced(1), sequenced(2), syncFrom('bob', 'cb', 'd:alice:bob', 0)));
      await settle();
      const [answer] = syncAnswers();
      expect(seqsOf(answer!)).toEqual(['e1#1', 'e1#2']);
      expect(answer!.latest).toMatchObject({ epoch });
    });

    it("in a group, hands over what this process keeps for the member's connection, above its ack", async () => {
      const gwMembers = asGatewayId('gw2');
      await listen(gwMembers);
      await infra.membership.create(club as never, ['alice', 'bob'].map(asUserId));
      await online('alice', 'ca');
      await online('bob', 'c-bob', gwMembers);
      await delivery.handleBatch(batch(groupSequenced(1), groupSequenced(2), groupSequenced(3)));
      await delivery.handleBatch(batch(groupAck('bob', 'c-bob', 'gw2', 1)));
      await newEpoch(club);

      await delivery.handleBatch(batch(syncFrom('bob', 'c-bob', club, 1, 'gw2')));
      await settle();
      const [answer] = syncAnswers();
      expect(seqsOf(answer!)).toEqual(['e1#2', 'e1#3']);
      expect(answer).toMatchObject({ reset: false, hasMore: true });
    });
  });
});
