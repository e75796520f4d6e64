import { FakeClock } from '@parley/ports';
import { asConnectionId, asConversationId, asEpoch, asGatewayId, asUserId, parley } from '@parley/protocol';
import { PendingDeliveries, pendingKey } from '../../src/pending-deliveries';
import { GroupWatermarks, Watermark } from '../../src/group-watermarks';
import { redeliveryDelayMs } from '../../src/redelivery-policy';

const policy = { ackTimeoutMs: 1000, maxRedeliveries: 3, maxBackoffMs: 3000 };
const position = { conversation: asConversationId('d:a:b'), epoch: asEpoch('e1'), seq: 5 };
const message = {
  message: parley.v1.StoredMessage.create({ conversation: 'd:a:b', position: { epoch: 'e1', seq: 5 }, fromUser: 'a', toUsers: ['b'] }),
  position,
  sender: asUserId('a'),
  receiver: asUserId('b'),
  receivedAtMs: 0,
  origin: undefined,
};
const entry = (conn: string, user = 'b') => ({ user: asUserId(user), gatewayId: asGatewayId('gw'), connectionId: asConnectionId(conn) });

describe('re-delivery of unacknowledged 1:1 pushes, per device', () => {
  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => redeliveryDelayMs(policy, n))).toEqual([1000, 2000, 3000, 3000]);
  });

  it('times out per connection, and not for a connection that acked', () => {
    const clock = new FakeClock();
    const timedOut: string[] = [];
    const pending = new PendingDeliveries(clock, policy, (_p, conn) => timedOut.push(conn));
    const delivery = pending.track(message, [entry('phone'), entry('laptop')]);
    expect(pending.size).toBe(2);
    pending.settleConnection(delivery, asConnectionId('phone'));
    clock.advance(999);
    expect(timedOut).toEqual([]);
    clock.advance(1);
    expect(timedOut).toEqual(['laptop']);
    expect(pending.pendingFor(asConnectionId('phone'))).toBe(0);
    expect(pending.pendingFor(asConnectionId('laptop'))).toBe(1);
  });

  it('tracks a (message, receiver) once, drops it with its last connection, and bounds re-pushes', () => {
    const clock = new FakeClock();
    const pending = new PendingDeliveries(clock, policy, () => undefined);
    const first = pending.track(message, [entry('phone')]);
    expect(pending.track(message, [entry('phone')])).toBe(first);
    expect(pending.size).toBe(1);
    first.connections.get(asConnectionId('phone'))!.attempts = 3;
    expect(pending.canRedeliver(first, asConnectionId('phone'))).toBe(false);
    pending.settleConnection(first, asConnectionId('phone'));
    expect(pending.get(pendingKey(position, asUserId('b')))).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('group ack watermarks', () => {
  it('keep one timer per lagging connection, cleared by a cumulative ack', () => {
    const clock = new FakeClock();
    const lagging: string[] = [];
    const marks = new GroupWatermarks(clock, policy, (m) => lagging.push(`${m.connectionId}:${m.ackedSeq}/${m.pushedSeq}`));
    const g = 'g:team' as never;
    for (let seq = 1; seq <= 10; seq++) marks.pushed(g, 'e1', seq, [entry('c1', 'u1'), entry('c2', 'u2')]);
    expect(clock.pendingTimers()).toBe(2);
    marks.acked(g, asUserId('u1'), asConnectionId('c1'), 'e1', 10);
    marks.acked(g, asUserId('u2'), asConnectionId('c2'), 'e1', 4);
    expect(marks.pendingFor(asConnectionId('c1'))).toBe(0);
    expect(marks.pendingFor(asConnectionId('c2'))).toBe(6);
    clock.advance(1000);
    expect(lagging).toEqual(['c2:4/10']);
  });

  it('start no timer for a connection in line for the re-push budget, however many pushes come meanwhile', () => {
    const clock = new FakeClock();
    const timedOut: string[] = [];
    let waiting: Watermark | undefined;
    const marks = new GroupWatermarks(clock, policy, (m) => {
      timedOut.push(`${m.connectionId}:${m.pushedSeq}`);
      m.waiting = true; // as GroupDelivery does when the budget queues the re-push
      waiting = m;
    });
    const g = 'g:team' as never;
    marks.pushed(g, 'e1', 1, [entry('c1', 'u1')]);
    clock.advance(1000);
    expect(timedOut).toEqual(['c1:1']);
    for (let seq = 2; seq <= 5; seq++) marks.pushed(g, 'e1', seq, [entry('c1', 'u1')]);
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(10_000);
    expect(timedOut).toEqual(['c1:1']); // one re-push in line, covering up to seq 5 when it goes
    expect(marks.isDue(waiting!)).toBe(true);
    expect(waiting!.pushedSeq).toBe(5);
  });

  it('ignores an ack from another epoch', () => {
    const clock = new FakeClock();
    const marks = new GroupWatermarks(clock, policy, () => undefined);
    marks.pushed('g:x' as never, 'e1', 3, [entry('c1', 'u1')]);
    marks.acked('g:x' as never, asUserId('u1'), asConnectionId('c1'), 'e0', 3);
    expect(marks.pendingFor(asConnectionId('c1'))).toBe(1);
  });
});
