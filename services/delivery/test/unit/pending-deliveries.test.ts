import { FakeClock } from '@parley/ports';
import { asUserId, parley } from '@parley/protocol';
import { PendingDeliveries, pendingKey } from '../../src/pending-deliveries';
import { redeliveryDelayMs } from '../../src/redelivery-policy';

const policy = { ackTimeoutMs: 1000, maxRedeliveries: 3, maxBackoffMs: 3000 };
const message = parley.v1.StoredMessage.create({ conversation: 'd:a:b', position: { epoch: 'e1', seq: 5 }, fromUser: 'a', toUsers: ['b'] });

describe('re-delivery of unacknowledged pushes', () => {
  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => redeliveryDelayMs(policy, n))).toEqual([1000, 2000, 3000, 3000]);
  });

  it('times out after the ack timeout, and not once settled', () => {
    const clock = new FakeClock();
    const timedOut: string[] = [];
    const pending = new PendingDeliveries(clock, policy, (p) => timedOut.push(p.key));
    pending.track(message, asUserId('b'));
    clock.advance(999);
    expect(timedOut).toEqual([]);
    clock.advance(1);
    expect(timedOut).toEqual([pendingKey('d:a:b', 'e1', 5, 'b')]);

    const other = parley.v1.StoredMessage.create({ ...message, position: { epoch: 'e1', seq: 6 } });
    pending.track(other, asUserId('b'));
    expect(pending.settle(pendingKey('d:a:b', 'e1', 6, 'b'))).toBeDefined();
    clock.advance(10_000);
    expect(timedOut).toHaveLength(1);
  });

  it('tracks a (message, receiver) once, and bounds the re-pushes', () => {
    const clock = new FakeClock();
    const pending = new PendingDeliveries(clock, policy, () => undefined);
    const first = pending.track(message, asUserId('b'));
    expect(pending.track(message, asUserId('b'))).toBe(first);
    expect(pending.size).toBe(1);
    first.attempts = 3;
    expect(pending.canRedeliver(first)).toBe(false);
  });
});
