// Delivery ticks and read receipts on the memory adapters: a message stored for an offline
// receiver becomes DELIVERED when the receiver's device takes it from the inbox (offline
// pull + offlineack:R), told at once to an online sender and in conversations:A to one that
// was away; read:R is recorded monotonically and told as read:N to the reader's other
// devices and the other members' devices.
import { FakeClock, isPositioned } from '@parley/ports';
import { asConversationId, asMsgId, asUserId, decodeDeliveryCommand, encodeDeliveryCommand, parley } from '@parley/protocol';
import type { Infrastructure } from '@parley/composition';
import type { Delivery } from '../../src';
import { batch, deliveryHarness, DeliveryHarness, PushedFrame, settle } from '../support/delivery-harness';
import { gw } from '../support/direct-records';
import { deliveredUpTo } from '../../src/conversation-list';
import { acceptedReadSeq } from '../../src/read-receipts';

const direct = asConversationId('d:alice:bob');
const team = asConversationId('g:team');
const { ACK_STATUS_DELIVERED: DELIVERED, ACK_STATUS_STORED_OFFLINE: STORED_OFFLINE } = parley.v1.AckStatus;

describe('delivery ticks and read receipts', () => {
  let clock: FakeClock;
  let infra: Infrastructure;
  let delivery: Delivery;
  let pushed: PushedFrame[];
  let harness: DeliveryHarness;

  beforeEach(async () => {
    pushed = [];
    harness = await deliveryHarness({ onPushed: (p) => pushed.push(p), appEvents: true });
    ({ clock, infra, delivery } = harness);
  });

  const online = (user: string, conn: string) => harness.online(user, conn);
  const offline = (user: string, conn: string) => harness.offline(user, conn);
  const handle = async (...commands: Array<{ key: string; command: parley.v1.IDeliveryCommand }>) => {
    await delivery.handleBatch(batch(...commands.map((c) => ({ key: c.key, value: encodeDeliveryCommand(c.command) }))));
    await settle();
  };
  const client = (user: string, conn: string, frame: parley.v1.IFrame) => ({ key: user, command: { client: { origin: { gatewayId: gw, connectionId: conn, userId: user }, frame } } });

  /** Sequences a message of `from` in `conversation` and hands it to delivery. */
  const send = async (from: string, conversation: string, to: string[], n: number) => {
    const message = parley.v1.StoredMessage.create({ conversation, msgId: `${from}-m${n}`, fromUser: from, toUsers: to, serverTimeMs: clock.now() });
    const [assigned] = await infra.seqStore.assign([{ conversation: asConversationId(conversation), msgId: asMsgId(`${from}/${from}-m${n}`), message }]);
    if (!assigned || !isPositioned(assigned)) throw new Error('not sequenced');
    message.position = { epoch: assigned.epoch, seq: assigned.seq };
    await handle({ key: conversation, command: { sequenced: { message, duplicate: false, origin: { gatewayId: gw, connectionId: `${from}-1`, userId: from } } } });
    return message;
  };
  const acksTo = (user: string) => pushed.filter((p) => p.users.includes(user) && p.frame.ackN).map((p) => [p.frame.ackN!.msgId, p.frame.ackN!.status]);
  const readsTo = (user: string) => pushed.filter((p) => p.users.includes(user) && p.frame.readN).map((p) => p.frame.readN!);
  const conversationsOf = async (user: string, conn: string) => {
    await handle(client(user, conn, { conversationsR: { requestId: 'c' } }));
    return pushed.at(-1)!.frame.conversationsA!.conversations;
  };
  const pullAndTake = async (user: string, conn: string) => {
    await handle(client(user, conn, { offlineR: { limit: 0, cursor: '' } }));
    const page = pushed.at(-1)!.frame.offlineA!;
    await handle(client(user, conn, { offlineackR: { refs: page.messages.map((m) => ({ conversation: m.conversation, position: m.position })) } }));
    return page.messages.map((m) => m.msgId);
  };

  it('tells an online sender DELIVERED once the offline receiver took the message from its inbox, once per message', async () => {
    await online('alice', 'alice-1');
    await send('alice', direct, ['bob'], 1);
    await send('alice', direct, ['bob'], 2);
    expect(acksTo('alice')).toEqual([['alice-m1', STORED_OFFLINE], ['alice-m2', STORED_OFFLINE]]);

    await online('bob', 'bob-1');
    expect(await pullAndTake('bob', 'bob-1')).toEqual(['alice-m1', 'alice-m2']);
    expect(acksTo('alice').slice(2)).toEqual([['alice-m1', DELIVERED], ['alice-m2', DELIVERED]]);

    // The same offlineack:R again (a retransmit), and per-message acks of the same messages: nothing more.
    const epoch = (await infra.messageStore.range(direct, 0, 1)).epoch;
    await handle(client('bob', 'bob-1', { offlineackR: { refs: [{ conversation: direct, position: { epoch, seq: 1 } }] } }));
    await handle(client('bob', 'bob-1', { ackR: { conversation: direct, position: { epoch, seq: 2 } } }));
    expect(acksTo('alice')).toHaveLength(4);
    // Each DELIVERED is also a message.delivered application event, keyed by the conversation.
    const events: Array<[string, string | null | undefined, string | null | undefined]> = [];
    await infra.bus.readToEnd('t.deliver', (batch) => {
      for (const r of batch.records) {
        const delivered = decodeDeliveryCommand(r.value).appEvent?.messageDelivered;
        if (delivered) events.push([r.key, delivered.msgId, delivered.toUser]);
      }
    });
    expect(events).toEqual([[direct, 'alice-m1', 'bob'], [direct, 'alice-m2', 'bob']]);
  });

  it('tells the sender DELIVERED once when one batch holds both takes of a pushed message (its ack:R and an offlineack:R of the same page)', async () => {
    // A receiver whose offline pull read the inbox after the message was written gets it twice,
    // pushed and in the page, and takes it twice; both takes can reach delivery in one batch.
    await online('alice', 'alice-1');
    await online('bob', 'bob-1');
    const message = await send('alice', direct, ['bob'], 1);
    expect(pushed.some((p) => p.users.includes('bob') && p.frame.msgN?.msgId === 'alice-m1')).toBe(true);
    const position = { epoch: message.position!.epoch!, seq: message.position!.seq! };
    await handle(
      client('bob', 'bob-1', { ackR: { conversation: direct, position } }),
      client('bob', 'bob-1', { offlineackR: { refs: [{ conversation: direct, position }] } }),
    );
    expect(acksTo('alice')).toEqual([['alice-m1', DELIVERED]]);
    // And again in a later batch: still nothing more.
    await handle(client('bob', 'bob-1', { offlineackR: { refs: [{ conversation: direct, position }] } }));
    expect(acksTo('alice')).toEqual([['alice-m1', DELIVERED]]);
  });

  it('tells the sender DELIVERED once when two partitions\' batches take the same message at the same time', async () => {
    // ack:R is keyed by conversation, offlineack:R by user: the two takes can sit in batches of
    // two partitions handled concurrently, neither published when the other announces.
    await online('alice', 'alice-1');
    await online('bob', 'bob-1');
    const message = await send('alice', direct, ['bob'], 1);
    const position = { epoch: message.position!.epoch!, seq: message.position!.seq! };
    const take = (partition: number, frame: parley.v1.IFrame) => {
      const { key, command } = client('bob', 'bob-1', frame);
      return delivery.handleBatch({ ...batch({ key, value: encodeDeliveryCommand(command) }), partition });
    };
    await Promise.all([take(0, { ackR: { conversation: direct, position } }), take(1, { offlineackR: { refs: [{ conversation: direct, position }] } })]);
    await settle();
    expect(acksTo('alice')).toEqual([['alice-m1', DELIVERED]]);
  });

  it('tells a sender that was away in conversations:A how far its messages were delivered', async () => {
    await online('alice', 'alice-1');
    await send('alice', direct, ['bob'], 1);
    await send('alice', direct, ['bob'], 2);
    await offline('alice', 'alice-1');
    await send('alice', direct, ['bob'], 3);
    expect((await conversationsOf('alice', 'alice-2'))[0]).toMatchObject({ conversation: direct, delivered: { seq: 0 } });

    await online('bob', 'bob-1');
    // bob's device takes only the first two (a page of two, say): 3 is still held.
    await handle(client('bob', 'bob-1', { offlineR: { limit: 2, cursor: '' } }));
    const page = pushed.at(-1)!.frame.offlineA!;
    await handle(client('bob', 'bob-1', { offlineackR: { refs: page.messages.map((m) => ({ conversation: m.conversation, position: m.position })) } }));
    expect((await conversationsOf('alice', 'alice-2'))[0]).toMatchObject({ delivered: { seq: 2 } });

    await pullAndTake('bob', 'bob-1');
    const [summary] = await conversationsOf('alice', 'alice-2');
    expect(summary).toMatchObject({ latest: { seq: 3 }, delivered: { seq: 3 }, peerRead: { seq: 0 }, read: { seq: 0 } });
  });

  it('records read:R, never moving it back, and tells the reader\'s other devices and the other member', async () => {
    await online('alice', 'alice-1');
    await online('bob', 'bob-1');
    await online('bob', 'bob-2');
    for (const n of [1, 2, 3]) await send('alice', direct, ['bob'], n);
    const epoch = (await infra.messageStore.range(direct, 0, 1)).epoch;
    pushed = [];
    await handle(client('bob', 'bob-1', { readR: { conversation: direct, position: { epoch, seq: 2 } } }));
    expect(readsTo('alice')).toEqual([expect.objectContaining({ conversation: direct, user: 'bob', position: expect.objectContaining({ epoch, seq: 2 }) })]);
    const toBob = pushed.find((p) => p.frame.readN && p.users.includes('bob'));
    expect(toBob).toBeDefined(); // bob-2 (the gateway skips bob-1, the reader's own connection)

    await handle(client('bob', 'bob-2', { readR: { conversation: direct, position: { epoch, seq: 1 } } }));
    expect(readsTo('alice').at(-1)!.position).toMatchObject({ seq: 2 }); // a lower one tells the recorded position
    await handle(client('bob', 'bob-1', { readR: { conversation: direct, position: { epoch, seq: 99 } } }));
    expect(readsTo('alice').at(-1)!.position).toMatchObject({ seq: 3 }); // capped at the latest message

    expect((await conversationsOf('alice', 'alice-1'))[0]).toMatchObject({ peerRead: { seq: 3 }, read: { seq: 0 } });
    expect((await conversationsOf('bob', 'bob-1'))[0]).toMatchObject({ read: { seq: 3 }, peerRead: { seq: 0 } });
  });

  it('ignores a read:R of another epoch, and refuses a non-member of a group', async () => {
    await infra.membership.create(team, [asUserId('alice'), asUserId('bob'), asUserId('carol')]);
    await online('alice', 'alice-1');
    await online('carol', 'carol-1');
    await send('alice', team, [], 1);
    const epoch = (await infra.messageStore.range(team, 0, 1)).epoch;
    pushed = [];
    await handle(client('bob', 'bob-1', { readR: { conversation: team, position: { epoch: 'old-epoch', seq: 1 } } }));
    expect(pushed).toEqual([]);
    await handle(client('bob', 'bob-1', { readR: { conversation: team, position: { epoch, seq: 1 } } }));
    expect(readsTo('alice')).toHaveLength(1);
    expect(readsTo('carol')).toHaveLength(1);
    await handle(client('mallory', 'm-1', { readR: { conversation: team, position: { epoch, seq: 1 } } }));
    expect(pushed.at(-1)!.frame.error).toMatchObject({ code: 3002 });
    expect(await infra.conversationIndex.reads(team, [asUserId('bob'), asUserId('mallory')])).toEqual([{ epoch, seq: 1 }, undefined]);
  });

  it('computes how far a receiver took a sender\'s messages from its acked position and its inbox', () => {
    expect(deliveredUpTo('e2', { epoch: 'e2', seq: 9 }, undefined)).toBe(9);
    expect(deliveredUpTo('e2', { epoch: 'e2', seq: 9 }, 5)).toBe(4);
    expect(deliveredUpTo('e2', { epoch: 'e1', seq: 9 }, undefined)).toBe(0);
    expect(deliveredUpTo('e2', undefined, 3)).toBe(0);
    expect(acceptedReadSeq({ epoch: 'e1', seq: 7 }, { epoch: 'e1', latestSeq: 5 })).toBe(5);
    expect(acceptedReadSeq({ epoch: 'e1', seq: 3 }, { epoch: 'e1', latestSeq: 5 })).toBe(3);
    expect(acceptedReadSeq({ epoch: 'e0', seq: 3 }, { epoch: 'e1', latestSeq: 5 })).toBeUndefined();
    expect(acceptedReadSeq({ epoch: 'e1', seq: 3 }, { epoch: '', latestSeq: 0 })).toBeUndefined();
  });
});
