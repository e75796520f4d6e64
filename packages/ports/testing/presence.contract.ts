/// <reference types="jest" />
// The Presence contract, run over every adapter: what delivery relies on to find a
// user's connections, and what a restarted gateway relies on to drop its old entries.
import { asConnectionId, asGatewayId, asUserId, type UserId } from '@parley/protocol';
import type { Presence, PresenceEntry } from '@parley/ports';

export interface PresenceFixture {
  readonly presence: Presence;
  /** A TTL this fixture can see run out (a few ms of a FakeClock, a few hundred real ms). */
  readonly shortTtlMs: number;
  /**
   * Lets at least `ms` pass, until `condition` holds: a fake clock jumps ahead and checks
   * once; a real store polls the condition with a deadline. Rejects naming `what`.
   */
  letTimePass(ms: number, condition: () => Promise<boolean>, what: string): Promise<void>;
  close(): Promise<void>;
}

/** Long enough never to run out during a test. */
const LONG_TTL_MS = 60_000;

/** `make` is called once per test and must return a presence store with nothing in it. */
export function describePresenceContract(name: string, make: () => Promise<PresenceFixture>): void {
  describe(`Presence contract: ${name}`, () => {
    let fixture: PresenceFixture;
    const alice = asUserId('alice');
    const bob = asUserId('bob');
    const carol = asUserId('carol');

    beforeEach(async () => {
      fixture = await make();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('finds registered connections per user and leaves users without any out of the map', async () => {
      await fixture.presence.register(
        [entry(alice, 'gw-1', 'c1'), entry(alice, 'gw-2', 'c2'), entry(bob, 'gw-1', 'c3')],
        LONG_TTL_MS,
      );

      const found = await fixture.presence.lookup([alice, bob, carol]);

      expect(sorted(found)).toEqual({
        alice: ['gw-1/c1', 'gw-2/c2'],
        bob: ['gw-1/c3'],
      });
      expect(found.get(alice)!.every((e) => e.user === alice)).toBe(true);
      expect((await fixture.presence.lookup([])).size).toBe(0);
    });

    it('keeps one entry per connection when it registers again', async () => {
      await fixture.presence.register([entry(alice, 'gw-1', 'c1')], LONG_TTL_MS);
      await fixture.presence.register([entry(alice, 'gw-1', 'c1'), entry(alice, 'gw-1', 'c1')], LONG_TTL_MS);

      expect(sorted(await fixture.presence.lookup([alice]))).toEqual({ alice: ['gw-1/c1'] });
    });

    it('unregisters only the named connections and ignores absent ones', async () => {
      await fixture.presence.register(
        [entry(alice, 'gw-1', 'c1'), entry(alice, 'gw-2', 'c2'), entry(bob, 'gw-1', 'c3')],
        LONG_TTL_MS,
      );

      await fixture.presence.unregister([
        entry(alice, 'gw-1', 'c1'),
        entry(alice, 'gw-9', 'c1'),
        entry(carol, 'gw-1', 'c4'),
        entry(bob, 'gw-1', 'c3'),
      ]);
      await fixture.presence.unregister([]);

      expect(sorted(await fixture.presence.lookup([alice, bob, carol]))).toEqual({ alice: ['gw-2/c2'] });
    });

    it('stops seeing an entry once its TTL ran out, while a refreshed or longer-lived one stays', async () => {
      const { shortTtlMs } = fixture;
      await fixture.presence.register(
        [entry(alice, 'gw-1', 'short'), entry(alice, 'gw-1', 'refreshed'), entry(bob, 'gw-1', 'short')],
        shortTtlMs,
      );
      await fixture.presence.register([entry(alice, 'gw-2', 'long')], LONG_TTL_MS);
      await fixture.presence.register([entry(alice, 'gw-1', 'refreshed')], LONG_TTL_MS);
      expect(sorted(await fixture.presence.lookup([alice, bob]))).toEqual({
        alice: ['gw-1/refreshed', 'gw-1/short', 'gw-2/long'],
        bob: ['gw-1/short'],
      });

      await fixture.letTimePass(
        shortTtlMs + 1,
        async () => !(await fixture.presence.lookup([bob])).has(bob),
        "bob's short-lived entry to expire",
      );

      expect(sorted(await fixture.presence.lookup([alice, bob]))).toEqual({
        alice: ['gw-1/refreshed', 'gw-2/long'],
      });
    });

    it("clears only the named gateway's entries and counts them", async () => {
      await fixture.presence.register(
        [
          entry(alice, 'gw-1', 'c1'),
          entry(alice, 'gw-1', 'c2'),
          entry(alice, 'gw-2', 'c3'),
          entry(bob, 'gw-1', 'c4'),
          entry(carol, 'gw-2', 'c5'),
        ],
        LONG_TTL_MS,
      );

      const removed = await fixture.presence.clearGateway(asGatewayId('gw-1'));

      expect(removed).toBe(3);
      expect(sorted(await fixture.presence.lookup([alice, bob, carol]))).toEqual({
        alice: ['gw-2/c3'],
        carol: ['gw-2/c5'],
      });
      expect(await fixture.presence.clearGateway(asGatewayId('gw-1'))).toBe(0);
      expect(await fixture.presence.clearGateway(asGatewayId('gw-never-seen'))).toBe(0);
    });

    it('sees a connection registered again after its gateway was cleared', async () => {
      await fixture.presence.register([entry(alice, 'gw-1', 'c1')], LONG_TTL_MS);
      await fixture.presence.clearGateway(asGatewayId('gw-1'));
      await fixture.presence.register([entry(alice, 'gw-1', 'c2')], LONG_TTL_MS);

      expect(sorted(await fixture.presence.lookup([alice]))).toEqual({ alice: ['gw-1/c2'] });
      expect(await fixture.presence.clearGateway(asGatewayId('gw-1'))).toBe(1);
    });
  });
}

function entry(user: UserId, gatewayId: string, connectionId: string): PresenceEntry {
  return { user, gatewayId: asGatewayId(gatewayId), connectionId: asConnectionId(connectionId) };
}

/** `{ user: ['gateway/connection', ...] }` with sorted lists, so adapters may return any order. */
function sorted(found: Map<UserId, PresenceEntry[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [user, entries] of found) out[user] = entries.map((e) => `${e.gatewayId}/${e.connectionId}`).sort();
  return out;
}
