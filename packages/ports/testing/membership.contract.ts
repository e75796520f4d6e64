/// <reference types="jest" />
// The Membership contract, run over every adapter (memory in unit tests, Redis in
// integration tests): what group fan-out and the group commands rely on.
import { asUserId, groupConversationId, type UserId } from '@parley/protocol';
import { type Membership, type MembershipRestore, MembershipUnavailableError, UnavailableError } from '@parley/ports';

export interface MembershipFixture {
  readonly membership: Membership & MembershipRestore;
  close(): Promise<void>;
  /** Loses every group and the restored mark, as a store restarted empty. */
  lose(): Promise<void>;
}

/**
 * `make` is called once per test and must return a membership store with no group in it,
 * not marked restored (a new store).
 */
export function describeMembershipContract(name: string, make: () => Promise<MembershipFixture>): void {
  describe(`Membership contract: ${name}`, () => {
    let fixture: MembershipFixture;
    let membership: Membership & MembershipRestore;
    const team = groupConversationId('team');
    const other = groupConversationId('other');
    const [alice, bob, carol, dave] = users('alice', 'bob', 'carol', 'dave');

    beforeEach(async () => {
      fixture = await make();
      membership = fixture.membership;
      await membership.markRestored();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('creates a group with its members deduplicated and sorted', async () => {
      expect(await membership.create(team, [carol, alice, bob, alice])).toBe(true);

      expect(await membership.members(team)).toEqual([alice, bob, carol]);
      expect(await membership.members(other)).toEqual([]);
    });

    it('refuses to create a group that exists, changing nothing', async () => {
      await membership.create(team, [alice, bob]);

      expect(await membership.create(team, [carol, dave])).toBe(false);
      expect(await membership.create(team, [])).toBe(false);
      expect(await membership.members(team)).toEqual([alice, bob]);
    });

    it('lets exactly one of two concurrent creates of one group win', async () => {
      const results = await Promise.all([membership.create(team, [alice]), membership.create(team, [bob])]);

      expect([...results].sort()).toEqual([false, true]);
      expect(await membership.members(team)).toEqual(results[0] ? [alice] : [bob]);
    });

    it('adds then removes, and returns the members afterwards', async () => {
      await membership.create(team, [alice, bob]);

      // carol is added, dave is added and removed in the same change (removal wins), bob leaves.
      const after = await membership.change(team, [carol, dave, carol], [bob, dave, asUserId('never-there')]);

      expect(after).toEqual({ members: [alice, carol], version: 2 });
      expect(await membership.members(team)).toEqual([alice, carol]);
      expect(await membership.change(team, [], [])).toEqual({ members: [alice, carol], version: 3 });
      expect(await membership.state(team)).toEqual({ members: [alice, carol], version: 3 });
    });

    it('keeps a group that lost all its members: it still exists', async () => {
      await membership.create(team, [alice]);

      expect(await membership.change(team, [], [alice])).toEqual({ members: [], version: 2 });
      expect(await membership.members(team)).toEqual([]);
      expect(await membership.state(team)).toEqual({ members: [], version: 2 });
      expect(await membership.create(team, [bob])).toBe(false);
      expect(await membership.change(team, [bob], [])).toEqual({ members: [bob], version: 3 });
    });

    it('changes nothing in a group that does not exist, and does not create it', async () => {
      expect(await membership.change(team, [alice], [])).toBeUndefined();

      expect(await membership.members(team)).toEqual([]);
      expect(await membership.state(team)).toBeUndefined();
      expect(await membership.areMembers(team, [alice])).toEqual([false]);
      expect(await membership.create(team, [bob])).toBe(true);
      expect(await membership.members(team)).toEqual([bob]);
      expect(await membership.state(team)).toEqual({ members: [bob], version: 1 });
    });

    it('applies each change atomically: concurrent changes each see the others entirely or not at all', async () => {
      const base = users('m-00', 'm-01', 'm-02');
      await membership.create(team, base);
      const joiners = Array.from({ length: 30 }, (_, i) => asUserId(`j-${String(i).padStart(2, '0')}`));

      // Each change adds one user and removes one that is not there: every result is the
      // group after one whole change, so the results grow one user at a time.
      const results = await Promise.all(joiners.map((user, i) => membership.change(team, [user], [asUserId(`absent-${i}`)])));

      const memberLists = results.map((after) => [...after!.members]);
      memberLists.forEach((after, i) => expect(after).toContain(joiners[i]));
      const sizes = memberLists.map((after) => after.length).sort((a, b) => a - b);
      expect(sizes).toEqual(joiners.map((_, i) => base.length + i + 1));
      // Each change bumped the version once: the versions are 2..31, the one with k joiners at k + 1.
      results.forEach((after) => expect(after!.version).toBe(after!.members.length - base.length + 1));
      const bySize = [...memberLists].sort((a, b) => a.length - b.length);
      bySize.forEach((after, i) => {
        if (i > 0) expect(bySize[i - 1]!.every((user) => after.includes(user))).toBe(true);
      });
      expect(await membership.members(team)).toEqual([...base, ...joiners].sort());
    });

    it('answers areMembers once per asked user, in the order asked', async () => {
      await membership.create(team, [alice, carol]);
      await membership.create(other, [bob]);

      expect(await membership.areMembers(team, [bob, alice, dave, carol, alice])).toEqual([false, true, false, true, true]);
      expect(await membership.areMembers(other, [alice, bob])).toEqual([false, true]);
      expect(await membership.areMembers(groupConversationId('nobody'), [alice, bob])).toEqual([false, false]);
      expect(await membership.areMembers(team, [])).toEqual([]);
    });

    it('holds a large group', async () => {
      const many = Array.from({ length: 5_000 }, (_, i) => asUserId(`u${String(i).padStart(5, '0')}`));
      await membership.create(team, [...many].reverse());

      expect(await membership.members(team)).toEqual(many);
      const asked = [many[4_999]!, alice, many[0]!];
      expect(await membership.areMembers(team, asked)).toEqual([true, false, true]);
      const after = await membership.change(team, [alice], many.slice(0, 4_000));
      expect(after?.members).toEqual([...many.slice(4_000), alice].sort());
    });

    describe('after the store lost its data', () => {
      beforeEach(async () => {
        await membership.create(team, [alice, bob]);
        await membership.change(team, [carol], [bob]);
        await fixture.lose();
      });

      it('refuses, as not known yet (transient), every call on a group it does not hold until it is marked restored', async () => {
        expect(await membership.isRestored()).toBe(false);
        for (const call of [
          () => membership.members(team),
          () => membership.areMembers(team, [alice]),
          () => membership.state(team),
          () => membership.change(team, [dave], []),
          () => membership.create(team, [dave]),
        ]) {
          const refusal = await call().then(() => undefined, (err: unknown) => err);
          expect(refusal).toBeInstanceOf(MembershipUnavailableError);
          expect(refusal).toBeInstanceOf(UnavailableError);
        }
        // The refused create created nothing.
        await membership.markRestored();
        expect(await membership.isRestored()).toBe(true);
        expect(await membership.state(team)).toBeUndefined();
        expect(await membership.areMembers(team, [alice])).toEqual([false]);
      });

      it('answers for the groups put back by restore, exactly as given, before and after the mark', async () => {
        await membership.restore([
          { conversation: team, state: { members: [alice, carol], version: 2 } },
          { conversation: other, state: { members: [], version: 5 } },
        ]);
        expect(await membership.state(team)).toEqual({ members: [alice, carol], version: 2 });
        expect(await membership.areMembers(team, [alice, bob, carol])).toEqual([true, false, true]);
        expect(await membership.state(other)).toEqual({ members: [], version: 5 });
        expect(await membership.create(team, [dave])).toBe(false);
        await expect(membership.members(groupConversationId('unknown'))).rejects.toBeInstanceOf(MembershipUnavailableError);
        await membership.markRestored();
        expect(await membership.members(groupConversationId('unknown'))).toEqual([]);
        expect(await membership.change(team, [bob], [])).toEqual({ members: [alice, bob, carol], version: 3 });
      });

      it('never puts an older snapshot over a newer state, and replaces an older or equal one whole', async () => {
        await membership.restore([{ conversation: team, state: { members: [alice, carol], version: 2 } }]);
        await membership.markRestored();
        await membership.change(team, [dave], [alice]); // version 3: carol, dave
        // A second rebuild that read the log before that change was published.
        await membership.restore([{ conversation: team, state: { members: [alice, carol], version: 2 } }]);
        expect(await membership.state(team)).toEqual({ members: [carol, dave], version: 3 });
        // A snapshot at the same or a later version replaces the members entirely (a removed member stays removed).
        await membership.restore([{ conversation: team, state: { members: [bob], version: 4 } }]);
        expect(await membership.state(team)).toEqual({ members: [bob], version: 4 });
      });

      it('restores many groups, large ones included', async () => {
        const many = Array.from({ length: 3_000 }, (_, i) => asUserId(`u${String(i).padStart(5, '0')}`));
        const groups = Array.from({ length: 1_200 }, (_, i) => ({ conversation: groupConversationId(`g${i}`), state: { members: [alice, asUserId(`m${i}`)].sort(), version: 1 + (i % 3) } }));
        await membership.restore([...groups, { conversation: team, state: { members: many, version: 9 } }]);
        await membership.markRestored();
        expect(await membership.state(groupConversationId('g1199'))).toEqual({ members: [alice, asUserId('m1199')], version: 3 });
        expect(await membership.members(team)).toEqual(many);
      });
    });
  });
}

function users(...names: string[]): UserId[] {
  return names.map(asUserId);
}
