// An ack:R batch reads the senders' presence together with the inbox removals (one round
// trip to the store), not after them, and still tells the sender DELIVERED.
import { createLogger, createRegistry } from '@parley/observability';
import { FakeClock } from '@parley/ports';
import { asConnectionId, asUserId, decodeFrame, DownlinkBatch, parley } from '@parley/protocol';
import { createMemoryInfrastructure, Infrastructure } from '@parley/composition';
import { Delivery } from '../../src';
import { ackFromBob, gw, sequenced } from '../support/direct-records';

const batch = (...records: Array<{ key: string; value: Uint8Array }>) => ({ topic: 't.deliver', partition: 0, records });

describe('delivery: store round trips of an ack batch', () => {
  let infra: Infrastructure;
  let delivery: Delivery;
  let acks: Array<parley.v1.AckStatus | null | undefined>;

  beforeEach(async () => {
    const clock = new FakeClock();
    infra = createMemoryInfrastructure(clock);
    await infra.bus.ensureTopics([{ name: 't.deliver', partitions: 1 }]);
    acks = [];
    await infra.downlink.subscribe(gw, (b: DownlinkBatch) => {
      for (const item of b.items) {
        const frame = decodeFrame(item.frame as Uint8Array);
        if (frame.ackN && item.userId === 'alice') acks.push(frame.ackN.status);
      }
    });
    for (const [user, connection] of [['alice', 'ca'], ['bob', 'cb']] as const) {
      await infra.presence.register([{ user: asUserId(user), gatewayId: gw, connectionId: asConnectionId(connection) }], 60_000);
    }
    delivery = new Delivery({
      topicPrefix: 't',
      infrastructure: infra,
      registry: createRegistry(),
      logger: createLogger('test', 'silent'),
      clock,
      redelivery: { ackTimeoutMs: 1000, maxRedeliveries: 2, maxBackoffMs: 4000 },
      maxOfflinePage: 100,
    });
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
