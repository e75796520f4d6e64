// An ack:R batch reads the senders' presence together with the inbox removals (one round
// trip to the store), not after them, and still tells the sender DELIVERED.
import { parley } from '@parley/protocol';
import type { Infrastructure } from '@parley/composition';
import type { Delivery } from '../../src';
import { batch, deliveryHarness } from '../support/delivery-harness';
import { ackFromBob, sequenced } from '../support/direct-records';

describe('delivery: store round trips of an ack batch', () => {
  let infra: Infrastructure;
  let delivery: Delivery;
  let acks: Array<parley.v1.AckStatus | null | undefined>;

  beforeEach(async () => {
    acks = [];
    const harness = await deliveryHarness({ onPushed: (p) => void (p.frame.ackN && p.user === 'alice' && acks.push(p.frame.ackN.status)) });
    ({ infra, delivery } = harness);
    await harness.online('alice', 'ca');
    await harness.online('bob', 'cb');
  });

  it("looks the pending message's sender up before the removal is answered, once", async () => {
    await delivery.handleBatch(batch(sequenced(1)));
    const events: string[] = [];
    const remove = infra.inbox.remove.bind(infra.inbox);
    infra.inbox.remove = async (user, refs) => {
      events.push('remove sent');
      const removed = await remove(user, refs);
      events.push('remove answered');
      return removed;
    };
    const lookup = infra.presence.lookup.bind(infra.presence);
    infra.presence.lookup = async (users) => {
      events.push(`lookup ${[...users].join(',')}`);
      return lookup(users);
    };
    await delivery.handleBatch(batch(ackFromBob(1)));
    expect(events).toEqual(['lookup alice', 'remove sent', 'remove answered']);
    expect(acks).toEqual([parley.v1.AckStatus.ACK_STATUS_DELIVERED]);
    expect(delivery.pendingCount).toBe(0);
  });
});
