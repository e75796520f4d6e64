// Delivery's decisions on the memory adapters with a fake clock: inbox before push,
// stored-offline when nobody is connected, re-push on ack timeout, ack:N on ack:R.
import type { FakeClock } from '@parley/ports';
import { asUserId, encodeDeliveryCommand, parley, ErrorCode } from '@parley/protocol';
import type { Infrastructure } from '@parley/composition';
import { Delivery, MAX_POSTPONED_TIMEOUTS } from '../../src';
import { batch, deliveryHarness, DeliveryHarness, PushedFrame, settle } from '../support/delivery-harness';
import { ackFromBob, gw, message, sequenced } from '../support/direct-records';

// A new message from alice as received by her gateway at `receivedAtMs` (for delivery's intake lag).
const stamped = (seq: number, receivedAtMs: number) => ({
  key: 'd:alice:bob',
  value: encodeDeliveryCommand({
    sequenced: { message: { ...message(seq), receivedAtMs }, duplicate: false, origin: { gatewayId: gw, connectionId: 'ca', userId: 'alice' } },
  }),
});

describe('delivery', () => {
  let clock: FakeClock;
  let infra: Infrastructure;
  let delivery: Delivery;
  let pushed: PushedFrame[];
  let harness: DeliveryHarness;

  beforeEach(async () => {
    pushed = [];
    harness = await deliveryHarness({ onPushed: (p) => pushed.push(p) });
    ({ clock, infra, delivery } = harness);
  });
  const online = (user: string, conn: string) => harness.online(user, conn);

  it('stores for an offline receiver and tells the sender STORED_OFFLINE', async () => {
    await online('alice', 'ca');
    await delivery.handleBatch(batch(sequenced(1)));
    await settle();
    expect(await infra.inbox.size(asUserId('bob'))).toBe(1);
    expect(pushed.map((p) => `${p.user}:${p.packet}`)).toEqual(['alice:ackN']);
    expect(pushed[0]!.frame.ackN?.status).toBe(parley.v1.AckStatus.ACK_STATUS_STORED_OFFLINE);
  });

  it('pushes to an online receiver, keeps it in the inbox until ack:R, then ack:A and ack:N DELIVERED', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1)));
    await settle();
    expect(pushed.map((p) => `${p.user}:${p.packet}`)).toEqual(['bob:msgN']);
    expect(await infra.inbox.size(asUserId('bob'))).toBe(1);
    await delivery.handleBatch(batch(ackFromBob(1)));
    await settle();
    expect(pushed.map((p) => `${p.user}:${p.packet}`)).toEqual(['bob:msgN', 'bob:ackA', 'alice:ackN']);
    expect(pushed[2]!.frame.ackN?.status).toBe(parley.v1.AckStatus.ACK_STATUS_DELIVERED);
    expect(await infra.inbox.size(asUserId('bob'))).toBe(0);
    expect(delivery.pendingCount).toBe(0);
  });

  it('re-pushes on ack timeout with backoff, then gives up to the inbox with STORED_OFFLINE', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1)));
    await settle();
    const pushes = () => pushed.filter((p) => p.packet === 'msgN').length;
    expect(pushes()).toBe(1);
    clock.advance(1000);
    await settle();
    expect(pushes()).toBe(2);
    clock.advance(1999);
    await settle();
    expect(pushes()).toBe(2);
    clock.advance(1);
    await settle();
    expect(pushes()).toBe(3);
    clock.advance(4000); // out of re-pushes
    await settle();
    expect(pushes()).toBe(3);
    expect(pushed.at(-1)).toMatchObject({ user: 'alice', packet: 'ackN' });
    expect(await infra.inbox.size(asUserId('bob'))).toBe(1);
  });

  it('re-pushes no more than its budget per second, the rest in the order they fell due; one acked while it waited is not re-pushed', async () => {
    const limited = harness.another({ redelivery: { ackTimeoutMs: 1000, maxRedeliveries: 5, maxBackoffMs: 1000 }, repushPerSecond: 2 });
    await online('alice', 'ca');
    await online('bob', 'cb');
    await limited.handleBatch(batch(sequenced(1), sequenced(2), sequenced(3), sequenced(4), sequenced(5), sequenced(6)));
    await settle();
    const repushes = () => pushed.filter((p) => p.packet === 'msgN').slice(6).map((p) => p.frame.msgN?.msgId);
    clock.advance(1000); // all six time out together: two go, four wait
    await settle();
    expect(repushes()).toEqual(['m1', 'm2']);
    await limited.handleBatch(batch(ackFromBob(4))); // m4 acked while it waits
    clock.advance(500);
    await settle();
    expect(repushes()).toEqual(['m1', 'm2', 'm3']);
    clock.advance(1000);
    await settle();
    expect(repushes()).toEqual(['m1', 'm2', 'm3', 'm5', 'm6']);
    await limited.stop();
  });

  it("pushes to the sender's other devices, not to the sending one", async () => {
    await online('alice', 'ca');
    await online('alice', 'tablet');
    await delivery.handleBatch(batch(sequenced(1)));
    await settle();
    expect(pushed.map((p) => `${p.user}:${p.packet}`)).toEqual(['alice:msgN', 'alice:ackN']);
    // one item naming alice, minus the sending connection: the gateway skips `ca`
    expect(pushed[0]!.frame.msgN?.msgId).toBe('m1');
  });

  it('answers a retransmit of a message the receiver confirmed with ack:N DELIVERED at once: no second push, no second inbox entry', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1), ackFromBob(1)));
    await settle();
    pushed = [];
    await delivery.handleBatch(batch(sequenced(1, { duplicate: true })));
    await settle();
    expect(await infra.inbox.size(asUserId('bob'))).toBe(0);
    expect(pushed.map((p) => `${p.user}:${p.packet}`)).toEqual(['alice:ackN']);
    expect(pushed[0]!.frame.ackN).toMatchObject({ msgId: 'm1', status: parley.v1.AckStatus.ACK_STATUS_DELIVERED });
  });

  it('pushes a retransmit again when the receiver has not confirmed it and nothing is pending (delivery restarted)', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1)));
    await delivery.stop(); // pending records are in memory only
    await settle();
    pushed = [];
    await delivery.handleBatch(batch(sequenced(1, { duplicate: true })));
    await settle();
    expect(pushed.map((p) => `${p.user}:${p.packet}`)).toEqual(['bob:msgN']);
    expect(await infra.inbox.size(asUserId('bob'))).toBe(1);
  });

  it('handles a batch that interleaves new messages with acks of earlier ones in one inbox write, not one per switch', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    await delivery.handleBatch(batch(sequenced(1), sequenced(2), sequenced(3), sequenced(4), sequenced(5)));
    const addCalls: number[] = [];
    const add = infra.inbox.add.bind(infra.inbox);
    infra.inbox.add = async (additions) => {
      addCalls.push(additions.length);
      return add(additions);
    };
    // As the deliver topic carries them under load: msg 6, ack 1, msg 7, ack 2, ...
    const records = [];
    for (let seq = 6; seq <= 10; seq++) records.push(sequenced(seq), ackFromBob(seq - 5));
    await delivery.handleBatch(batch(...records));
    await settle();
    expect(addCalls).toEqual([5]);
    expect(pushed.filter((p) => p.packet === 'msgN').map((p) => p.frame.msgN?.msgId)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10']);
    expect(pushed.filter((p) => p.packet === 'ackN').map((p) => Number(p.frame.ackN?.position?.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(await infra.inbox.size(asUserId('bob'))).toBe(5); // m6..m10, not acked yet
  });

  it('puts re-pushes off while delivery is behind on the deliver topic (the ack may be in the backlog), then re-pushes', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    clock.advance(10_000);
    await delivery.handleBatch(batch(stamped(1, clock.now() - 5)));
    // A later batch handles records received 4 s ago: delivery is behind.
    clock.advance(500);
    await delivery.handleBatch(batch(stamped(2, clock.now() - 4_000)));
    await settle();
    pushed = [];
    clock.advance(600); // past message 1's ack timeout (1 s)
    await settle();
    expect(pushed.filter((p) => p.packet === 'msgN')).toEqual([]);
    // Caught up (the last batch was fresh): the postponed re-push goes out one timeout later.
    await delivery.handleBatch(batch(stamped(3, clock.now() - 5)));
    pushed = [];
    clock.advance(1_000);
    await settle();
    expect(pushed.filter((p) => p.packet === 'msgN').map((p) => p.frame.msgN?.msgId)).toContain('m1');
  });

  it('does not push a retransmit met while behind with nothing pending: the ack in the backlog settles it, or the ack timeout pushes it once caught up', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    clock.advance(10_000);
    await delivery.handleBatch(batch(stamped(1, clock.now() - 5), stamped(2, clock.now() - 5)));
    await delivery.stop(); // a restart: nothing pending any more
    clock.advance(500);
    await delivery.handleBatch(batch(stamped(3, clock.now() - 4_000))); // behind
    await settle();
    pushed = [];
    await delivery.handleBatch(batch(sequenced(1, { duplicate: true }), sequenced(2, { duplicate: true })));
    await settle();
    expect(pushed.filter((p) => p.packet === 'msgN')).toEqual([]);
    await delivery.handleBatch(batch(ackFromBob(1)));
    await settle();
    expect(pushed.filter((p) => p.packet === 'ackN').map((p) => [p.frame.ackN?.msgId, p.frame.ackN?.status])).toEqual([['m1', parley.v1.AckStatus.ACK_STATUS_DELIVERED]]);
    // Caught up: message 2, never acked, is pushed at its ack timeout; message 1 is not.
    await delivery.handleBatch(batch(stamped(4, clock.now() - 5)));
    pushed = [];
    clock.advance(1_000);
    await settle();
    expect(pushed.filter((p) => p.packet === 'msgN').map((p) => p.frame.msgN?.msgId).filter((id) => id === 'm1' || id === 'm2')).toEqual(['m2']);
  });

  it('postpones a re-push at most MAX_POSTPONED_TIMEOUTS times in a row, however long delivery looks behind', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    clock.advance(10_000);
    await delivery.handleBatch(batch(stamped(1, clock.now() - 5)));
    pushed = [];
    // Every batch from now on carries records 4 s old (e.g. a gateway clock stepped back).
    for (let timeout = 1; timeout <= MAX_POSTPONED_TIMEOUTS; timeout++) {
      await delivery.handleBatch(batch(stamped(100 + timeout, clock.now() - 4_000)));
      pushed = pushed.filter((p) => p.frame.msgN?.msgId === 'm1');
      clock.advance(1_000);
      await settle();
      expect(pushed.filter((p) => p.frame.msgN?.msgId === 'm1')).toEqual([]);
    }
    await delivery.handleBatch(batch(stamped(200, clock.now() - 4_000)));
    clock.advance(1_000);
    await settle();
    expect(pushed.filter((p) => p.frame.msgN?.msgId === 'm1').length).toBeGreaterThan(0);
  });

  it('answers an offline:R with a cursor it never issued INVALID_CURSOR, and the rest of the batch is handled', async () => {
    await online('alice', 'ca');
    await online('bob', 'cb');
    const pull = (cursor: string) => ({
      key: 'bob',
      value: encodeDeliveryCommand({ client: { origin: { gatewayId: gw, connectionId: 'cb', userId: 'bob' }, frame: { offlineR: { limit: 10, cursor } } } }),
    });
    await delivery.handleBatch(batch(pull('0'), pull('abc'), pull('x'.repeat(60_000)), sequenced(1), pull('')));
    await settle();
    const errors = pushed.filter((p) => p.packet === 'error');
    expect(errors.map((p) => p.frame.error?.code)).toEqual([ErrorCode.INVALID_CURSOR, ErrorCode.INVALID_CURSOR, ErrorCode.INVALID_CURSOR]);
    expect(errors.every((p) => p.user === 'bob' && p.frame.error?.retryable === false)).toBe(true);
    expect(pushed.some((p) => p.user === 'bob' && p.frame.msgN?.msgId === 'm1')).toBe(true);
    expect(pushed.filter((p) => p.packet === 'offlineA')).toHaveLength(1);
  });

  it('pages the inbox with the cursors it hands out', async () => {
    await online('alice', 'ca');
    await delivery.handleBatch(batch(sequenced(1), sequenced(2), sequenced(3)));
    const pull = (cursor: string) => ({
      key: 'bob',
      value: encodeDeliveryCommand({ client: { origin: { gatewayId: gw, connectionId: 'cb', userId: 'bob' }, frame: { offlineR: { limit: 2, cursor } } } }),
    });
    await online('bob', 'cb');
    await delivery.handleBatch(batch(pull('')));
    const first = pushed.find((p) => p.packet === 'offlineA')!.frame.offlineA!;
    expect(first.messages.map((m) => m.msgId)).toEqual(['m1', 'm2']);
    expect(first.hasMore).toBe(true);
    pushed = [];
    await delivery.handleBatch(batch(pull(first.nextCursor)));
    const second = pushed.find((p) => p.packet === 'offlineA')!.frame.offlineA!;
    expect(second.messages.map((m) => m.msgId)).toEqual(['m3']);
    expect(second.hasMore).toBe(false);
    expect(second.nextCursor).toBe('');
  });
});
