// The Presence contract over MemoryPresence, with a FakeClock so expiry needs no sleeping, and
// what its shared leases must not change: each entry keeps its own gateway and expiry.
import { FakeClock, MemoryPresence, type PresenceEntry } from '@parley/ports';
import { describePresenceContract } from '@parley/ports/testing';

describePresenceContract('memory', async () => {
  const clock = new FakeClock();
  return {
    presence: new MemoryPresence(clock),
    shortTtlMs: 1_000,
    letTimePass: async (ms, condition, what) => {
      clock.advance(ms);
      if (!(await condition())) throw new Error(`still waiting for ${what} after ${ms}ms of fake time`);
    },
    close: async () => {},
  };
});

describe('MemoryPresence, registrations sharing their call', () => {
  const entry = (user: string, gatewayId: string, connectionId: string) =>
    ({ user, gatewayId, connectionId }) as unknown as PresenceEntry;

  it('keeps each entry its own gateway when one call names several, alternating', async () => {
    const presence = new MemoryPresence(new FakeClock());
    await presence.register([entry('u1', 'g1', 'c1'), entry('u2', 'g2', 'c2'), entry('u3', 'g1', 'c3'), entry('u1', 'g2', 'c4')], 10_000);
    const found = await presence.lookup(['u1', 'u2', 'u3'] as never);
    expect(found.get('u1' as never)).toEqual([entry('u1', 'g1', 'c1'), entry('u1', 'g2', 'c4')]);
    expect(found.get('u2' as never)).toEqual([entry('u2', 'g2', 'c2')]);
    expect(await presence.clearGateway('g2' as never)).toBe(2);
    const left = await presence.lookup(['u1', 'u2', 'u3'] as never);
    expect([...left.keys()]).toEqual(['u1', 'u3']);
    expect(left.get('u1' as never)).toEqual([entry('u1', 'g1', 'c1')]);
  });

  it('extends only the entries a later call refreshes, though they were stored together', async () => {
    const clock = new FakeClock();
    const presence = new MemoryPresence(clock);
    await presence.register([entry('u1', 'g1', 'c1'), entry('u2', 'g1', 'c2')], 1_000);
    clock.advance(600);
    await presence.register([entry('u2', 'g1', 'c2')], 1_000);
    clock.advance(600);
    const found = await presence.lookup(['u1', 'u2'] as never);
    expect([...found.keys()]).toEqual(['u2']);
  });
});
